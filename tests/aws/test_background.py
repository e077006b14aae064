"""The emulator as a background service: found alive while busy, one per TUTOR_HOME, listed with
its memory, stopped by `tutor aws stop` or by itself when idle."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from tutor.aws import background
from tutor.aws import emulator as emu
from tutor.cli import main


def services_of(home: Path) -> list[int]:
    """moto servers whose TUTOR_HOME is `home`."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if b"tutor.aws.moto_server" not in (proc / "cmdline").read_bytes():
                continue
            if f"TUTOR_HOME={home}".encode() in (proc / "environ").read_bytes().split(b"\0"):
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def test_a_busy_emulator_is_still_running(emulator: Any) -> None:
    """moto's state dump takes seconds once an EKS node group exists; liveness never asks for it."""
    eks = emu.client("eks")
    eks.create_cluster(
        name="demo",
        roleArn="arn:aws:iam::123456789012:role/r",
        resourcesVpcConfig={"subnetIds": ["subnet-0a1", "subnet-0b2"]},
    )
    eks.create_nodegroup(
        clusterName="demo",
        nodegroupName="ng-1",
        nodeRole="arn:aws:iam::123456789012:role/n",
        subnets=["subnet-0a1"],
        scalingConfig={"minSize": 1, "maxSize": 3, "desiredSize": 2},
    )
    busy = threading.Event()

    def dump() -> None:
        while not busy.is_set():
            with urllib.request.urlopen(f"{emulator.endpoint}/moto-api/data.json", timeout=60) as r:
                r.read()

    threads = [threading.Thread(target=dump, daemon=True) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        for _ in range(10):
            assert emu.status() == emulator
            time.sleep(0.2)
    finally:
        busy.set()
        for t in threads:
            t.join(timeout=60)


def test_one_emulator_per_home_even_when_started_at_once(tutor_home: Path) -> None:
    code = "from tutor.aws import emulator; print(emulator.start().pid)"
    procs = [
        subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True) for _ in range(3)
    ]
    try:
        pids = {int(p.communicate(timeout=120)[0].strip()) for p in procs}
        assert len(pids) == 1
        assert services_of(tutor_home.resolve()) == list(pids)
    finally:
        emu.stop()
    assert services_of(tutor_home.resolve()) == []


def test_status_lists_memory_and_stop_stops_everything(tutor_home: Path, capsys: Any) -> None:
    state = emu.start()
    try:
        assert main(["aws", "status", "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        services = {s["name"]: s for s in data["services"]}
        assert services["emulator"]["running"] and services["emulator"]["pid"] == state.pid
        assert services["emulator"]["rss_mb"] > 10
        assert 0 < services["emulator"]["idle_stop_in_s"] <= 15 * 60
        assert services["registry"]["running"] is False and services["agent"]["running"] is False
        assert main(["aws", "status"]) == 0
        out = capsys.readouterr().out
        assert f"emulator  pid {state.pid}" in out and " MB" in out
    finally:
        assert main(["aws", "stop"]) == 0
    assert "stopped: emulator" in capsys.readouterr().out
    assert emu.status() is None and services_of(tutor_home.resolve()) == []


def test_the_emulator_stops_by_itself_when_idle(tutor_home: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv(background.IDLE_ENV, "0.02")  # 1.2 s
    state = emu.start()
    deadline = time.monotonic() + 90
    while background.running("emulator") and time.monotonic() < deadline:
        time.sleep(0.5)
        background.reap(state.pid)
    assert not background.running("emulator")
    assert services_of(tutor_home.resolve()) == []
    assert "idle for too long" in (tutor_home / "aws" / "emulator.log").read_text()


def test_use_keeps_it_running(tutor_home: Path, monkeypatch: Any) -> None:
    """Requests of the learner count as use; the idle clock starts again with each."""
    monkeypatch.setenv(background.IDLE_ENV, "0.05")  # 3 s
    state = emu.start()
    try:
        client = emu.client("ecr")
        for _ in range(8):  # 8 s of use, one call a second
            client.describe_repositories()
            time.sleep(1)
            assert emu.status() == state
    finally:
        emu.stop()


def test_idle_minutes_setting(monkeypatch: Any) -> None:
    monkeypatch.delenv(background.IDLE_ENV, raising=False)
    assert background.idle_limit() == 15 * 60
    for raw, seconds in (("5", 300), ("0", 0), ("-3", 0), ("nonsense", 900), ("0.5", 30)):
        monkeypatch.setenv(background.IDLE_ENV, raw)
        assert background.idle_limit() == seconds


def test_probes_do_not_hold_the_lock(tutor_home: Path) -> None:
    """A service that starts while `running()` probes still gets its lock."""
    assert background.running("emulator") is False
    fd = background.hold("emulator")
    assert fd is not None
    try:
        assert background.running("emulator") is True
        assert background.hold("emulator", wait=0.2) is None  # one at a time
    finally:
        os.close(fd)
    assert background.running("emulator") is False
