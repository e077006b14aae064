"""ECS and Fargate on the local engine: task definitions validated as ECS would, tasks run as
containers, services kept at their desired count by a small local agent."""
