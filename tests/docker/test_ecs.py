"""ECS on the real engine: every simulated field, essential containers, services that heal
and roll out without dropping below the minimum, and bad input that leaves nothing running."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tutor.aws import emulator
from tutor.aws.ecs import runner
from tutor.aws.ecs.agent import Scheduler, events
from tutor.aws.ecs.taskdef import TaskDefinitionError

HEALTH = {
    "command": ["CMD-SHELL", "wget -qO- http://127.0.0.1/ || exit 1"],
    "interval": 1,
    "timeout": 2,
    "retries": 2,
}


@pytest.fixture
def client(docker_client: Any, base_images: None) -> Iterator[Any]:
    yield docker_client
    for task in runner.list_tasks(docker_client, include_stopped=True):
        runner.remove_task(docker_client, task.task_id)


def web(name: str = "web", **extra: Any) -> dict[str, Any]:
    return {"name": name, "image": "tutor-lab/web:1", "essential": True, "stopTimeout": 1, **extra}


def fargate(
    *containers: dict[str, Any], cpu: str = "512", memory: str = "1024", family: str = "t"
) -> dict[str, Any]:
    return {
        "family": family,
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "cpu": cpu,
        "memory": memory,
        "containerDefinitions": list(containers),
    }


def inspect(client: Any, task: runner.TaskInfo, name: str) -> dict[str, Any]:
    c = next(c for c in task.containers if c.name == name)
    return client.containers.get(c.docker_name).attrs


def test_limits_command_env_and_labels_are_visible_in_docker_inspect(client: Any) -> None:
    td = fargate(
        web(
            "a",
            cpu=256,
            memory=128,
            memoryReservation=64,
            environment=[{"name": "MODE", "value": "prod"}],
            command=["httpd", "-f", "-p", "8081", "-h", "/www"],
            dockerLabels={"team": "blue"},
        ),
        web("b"),
    )
    task = runner.run_task(client, td, revision=7)
    a, b = inspect(client, task, "a"), inspect(client, task, "b")
    assert a["HostConfig"]["Memory"] == 128 * 1024**2
    assert a["HostConfig"]["MemoryReservation"] == 64 * 1024**2
    assert a["HostConfig"]["CpuShares"] == 256
    assert a["HostConfig"]["NanoCpus"] == 500_000_000  # task cpu 512 = 0.5 vCPU
    assert b["HostConfig"]["Memory"] == 1024 * 1024**2  # task memory, for a container without its own
    assert "MODE=prod" in a["Config"]["Env"] and a["Config"]["Cmd"] == [
        "httpd",
        "-f",
        "-p",
        "8081",
        "-h",
        "/www",
    ]
    assert a["Config"]["Labels"]["team"] == "blue" and a["Config"]["Labels"]["tutor.ecs.task"] == task.task_id
    assert a["Name"] == f"/ecs-t-7-a-{task.task_id[:12]}"
    # awsvpc: both share the pause container's network namespace, so b reaches a on localhost
    assert a["HostConfig"]["NetworkMode"] == b["HostConfig"]["NetworkMode"] and a["HostConfig"][
        "NetworkMode"
    ].startswith("container:")
    out = client.containers.get(next(c.docker_name for c in task.containers if c.name == "b")).exec_run(
        ["wget", "-qO-", "http://127.0.0.1:8081/"]
    )
    assert b"Hello from a container" in out.output
    assert task.ip and task.last_status == "RUNNING"


def test_health_check_becomes_task_health(client: Any) -> None:
    task = runner.run_task(client, fargate(web(healthCheck=HEALTH)))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and runner.describe_task(client, task.task_id).health != "HEALTHY":
        time.sleep(0.3)
    info = runner.describe_task(client, task.task_id)
    assert info.health == "HEALTHY"
    hc = inspect(client, info, "web")["Config"]["Healthcheck"]
    assert hc["Test"] == HEALTH["command"] and hc["Interval"] == 1_000_000_000 and hc["Retries"] == 2


def test_depends_on_healthy_is_observed(client: Any) -> None:
    cache = web("cache", command=["sh", "-c", "sleep 2; httpd -f -p 80 -h /www"], healthCheck=HEALTH)
    app = web(
        "app",
        command=["sh", "-c", "wget -qO- http://127.0.0.1/ && sleep 600"],
        dependsOn=[{"containerName": "cache", "condition": "HEALTHY"}],
    )
    task = runner.run_task(client, fargate(app, cache))
    cache_attrs = inspect(client, task, "cache")
    first_healthy = next(p["End"] for p in cache_attrs["State"]["Health"]["Log"] if p["ExitCode"] == 0)
    app_started = inspect(client, task, "app")["State"]["StartedAt"]
    assert app_started >= first_healthy[:26]  # ISO strings compare in time order
    assert runner.describe_task(client, task.task_id).last_status == "RUNNING"


def test_depends_on_success_and_complete(client: Any) -> None:
    init = {
        "name": "init",
        "image": "tutor-lab/busybox:1",
        "essential": False,
        "command": ["sh", "-c", "sleep 1; exit 0"],
    }
    app = web(dependsOn=[{"containerName": "init", "condition": "SUCCESS"}])
    task = runner.run_task(client, fargate(app, init))
    init_attrs, app_attrs = inspect(client, task, "init"), inspect(client, task, "web")
    assert (
        init_attrs["State"]["ExitCode"] == 0
        and app_attrs["State"]["StartedAt"] >= init_attrs["State"]["FinishedAt"][:26]
    )
    failing = {**init, "command": ["sh", "-c", "exit 4"]}
    with pytest.raises(runner.TaskError, match="waits for init to succeed, but init exited with code 4"):
        runner.run_task(client, fargate(app, failing, family="f"))
    assert not [t for t in runner.list_tasks(client) if t.family == "f"]  # nothing left running


def test_an_essential_container_stopping_stops_the_task(client: Any) -> None:
    quitter = web("quitter", command=["sh", "-c", "sleep 1; exit 3"])
    sidecar = {
        "name": "side",
        "image": "tutor-lab/busybox:1",
        "essential": False,
        "command": ["sleep", "600"],
        "stopTimeout": 1,
    }
    task = runner.run_task(client, fargate(quitter, sidecar))
    optional = runner.run_task(
        client, fargate(web(), {**sidecar, "command": ["sh", "-c", "exit 0"]}, family="o")
    )
    # once both have exited (`sleep 1` takes longer under load): the essential one, the optional one
    exits = [
        next(c.docker_name for c in task.containers if c.name == "quitter"),
        next(c.docker_name for c in optional.containers if c.name == "side"),
    ]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(
        client.containers.get(name).status != "exited" for name in exits
    ):
        time.sleep(0.2)
    scheduler = Scheduler(client)
    scheduler.enforce_essential()
    stopped = runner.describe_task(client, task.task_id)
    assert stopped.last_status == "STOPPED" and stopped.stopped_reason == "Essential container in task exited"
    assert all(c.status == "exited" for c in stopped.containers)
    assert (
        runner.describe_task(client, optional.task_id).last_status == "RUNNING"
    )  # a non-essential exit is fine


def test_bridge_mode_names_and_dynamic_ports(client: Any) -> None:
    td = {
        "family": "b",
        "networkMode": "bridge",
        "containerDefinitions": [
            web("db", memory=64),
            {
                "name": "app",
                "image": "tutor-lab/busybox:1",
                "memory": 64,
                "essential": True,
                "command": ["sleep", "600"],
                "stopTimeout": 1,
            },
            web("front", memory=64, portMappings=[{"containerPort": 80, "hostPort": 0}]),
        ],
    }
    task = runner.run_task(client, td)
    out = client.containers.get(next(c.docker_name for c in task.containers if c.name == "app")).exec_run(
        ["wget", "-qO-", "http://db/"]
    )
    assert b"Hello from a container" in out.output
    host = task.published["80"]
    assert host.startswith("127.0.0.1:") and int(host.split(":")[1]) > 0


def test_bad_input_is_refused_and_leaves_nothing(client: Any) -> None:
    before = {c.id for c in client.containers.list(all=True)}
    with pytest.raises(TaskDefinitionError) as err:
        runner.run_task(client, fargate(web(dependsOn=[{"containerName": "x", "condition": "START"}])))
    assert "there is no container named 'x'" in str(err.value)
    cyc = fargate(
        web("a", dependsOn=[{"containerName": "b", "condition": "START"}]),
        web("b", dependsOn=[{"containerName": "a", "condition": "START"}]),
    )
    with pytest.raises(TaskDefinitionError, match="goes round in a circle"):
        runner.run_task(client, cyc)
    with pytest.raises(runner.TaskError, match="not on this machine") as err2:
        runner.run_task(client, fargate(web(image="nginx:1.99-nowhere")))
    assert "never pull" in err2.value.message
    with pytest.raises(TaskDefinitionError, match="privileged"):
        runner.run_task(
            client,
            {
                "family": "p",
                "networkMode": "bridge",
                "containerDefinitions": [web(memory=64, privileged=True)],
            },
        )
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        with pytest.raises(runner.TaskError, match=f"host port {port} is already in use"):
            runner.run_task(client, fargate(web(portMappings=[{"containerPort": 80}])), publish={80: port})
    assert {c.id for c in client.containers.list(all=True)} == before


def test_service_heals_and_rolls_out_within_its_limits(client: Any, tutor_home: Any) -> None:
    state = emulator.start()
    ecs = emulator.client("ecs", state.endpoint)
    td = fargate(
        web(healthCheck=HEALTH, portMappings=[{"containerPort": 80}]), family="shop", cpu="256", memory="512"
    )
    ecs.create_cluster(clusterName="dev")
    ecs.register_task_definition(**td)
    ecs.create_service(
        cluster="dev",
        serviceName="shop",
        taskDefinition="shop",
        desiredCount=4,
        deploymentConfiguration={"minimumHealthyPercent": 50, "maximumPercent": 100},
    )
    scheduler = Scheduler(client, ecs)

    def settle(condition: Any, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            scheduler.tick()
            if condition():
                # A task can turn healthy between the tick's look and ours: one more tick, so the
                # scheduler has seen the settled state too (its events and counts say so).
                scheduler.tick()
                return
            time.sleep(0.5)
        raise AssertionError(
            f"not settled: {[(t.short_id, t.revision, t.last_status, t.health) for t in tasks()]}"
        )

    def tasks() -> list[runner.TaskInfo]:
        return runner.list_tasks(client, service="dev/shop")

    settle(lambda: len(tasks()) == 4 and all(t.health == "HEALTHY" for t in tasks()))
    # A killed container: the task stops, the service replaces it.
    victim = tasks()[0]
    client.containers.get(victim.containers[0].docker_name).kill()
    settle(
        lambda: (
            victim.task_id not in {t.task_id for t in tasks()}
            and len(tasks()) == 4
            and all(t.health == "HEALTHY" for t in tasks())
        )
    )
    assert runner.describe_task(client, victim.task_id).stopped_reason == "Essential container in task exited"
    messages = [e["message"] for e in events("shop")]
    assert any("has started 1 tasks" in m for m in messages)
    # Revision 2, rolled out within minimumHealthyPercent 50 / maximumPercent 100.
    mark = time.time()
    td["containerDefinitions"][0]["environment"] = [{"name": "VERSION", "value": "2"}]
    ecs.register_task_definition(**td)
    ecs.update_service(cluster="dev", service="shop", taskDefinition="shop:2")
    settle(lambda: len(tasks()) == 4 and all(t.revision == 2 and t.health == "HEALTHY" for t in tasks()), 120)
    during = [h for h in scheduler.history if h["at"] > mark]
    assert min(h["healthy"] for h in during) >= 2  # never below 50% of 4
    assert max(h["total"] for h in during) <= 4  # never above 100%
    assert {1, 2} <= {r for h in during for r in h["revisions"]}  # old and new really overlapped in time
    assert events("shop")[0]["message"].endswith("has reached a steady state.")
    tags = {
        t["key"]: t["value"]
        for t in ecs.list_tags_for_resource(
            resourceArn=ecs.describe_services(cluster="dev", services=["shop"])["services"][0]["serviceArn"]
        )["tags"]
    }
    assert tags["tutor:runningCount"] == "4" and tags["tutor:rolloutState"] == "COMPLETED"
    assert ecs.describe_services(cluster="dev", services=["shop"])["services"][0][
        "deploymentConfiguration"
    ] == {"minimumHealthyPercent": 50, "maximumPercent": 100}
    ecs.delete_service(cluster="dev", service="shop", force=True)
    scheduler.tick()
    assert tasks() == []


def test_the_agent_process_enforces_essential_containers(client: Any, tutor_home: Any) -> None:
    from tutor.aws.ecs import agent

    agent.start()
    try:
        task = runner.run_task(
            client,
            fargate(
                web(command=["sh", "-c", "sleep 1; exit 2"]),
                {
                    "name": "side",
                    "image": "tutor-lab/busybox:1",
                    "essential": False,
                    "command": ["sleep", "600"],
                    "stopTimeout": 1,
                },
            ),
        )
        deadline = time.monotonic() + 20
        while (
            time.monotonic() < deadline
            and runner.describe_task(client, task.task_id).last_status != "STOPPED"
        ):
            time.sleep(0.3)
        info = runner.describe_task(client, task.task_id)
        assert info.last_status == "STOPPED" and info.stopped_reason == "Essential container in task exited"
    finally:
        assert agent.stop()


def test_cli_run_ps_logs_stop(client: Any, capsys: Any, tmp_path: Any) -> None:
    from tutor.cli import main

    path = tmp_path / "td.json"
    path.write_text(json.dumps(fargate(web(portMappings=[{"containerPort": 80}]), family="cli")))
    assert main(["ecs", "run", "--file", str(path), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["last_status"] == "RUNNING" and info["taskArn"].endswith(info["task_id"])
    assert main(["ecs", "ps", "--json"]) == 0
    assert [t["family"] for t in json.loads(capsys.readouterr().out)] == ["cli"]
    assert main(["ecs", "stop", info["task_id"][:8]]) == 0
    capsys.readouterr()
    assert main(["ecs", "ps", "-a"]) == 0
    assert "Task stopped by user" in capsys.readouterr().out
    from tutor.aws.ecs import agent

    agent.stop()
