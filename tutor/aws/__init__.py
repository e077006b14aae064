"""The local AWS sandbox: moto's server as the emulator, a local registry for pushes, the ECS
task runner and Beanstalk's local run. Nothing here talks to real AWS. No UI here."""
