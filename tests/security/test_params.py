"""A `value` parameter cannot smuggle in what validation refuses: the lab is validated as it will run,
with its placeholders filled, and `tutor validate` names the line and the parameter."""

from __future__ import annotations

from pathlib import Path

import pytest

from security.packs import Pack, lab_data
from tutor.cli import main
from tutor.content.loading.loader import load_course
from tutor.labs.params import UnsafeFill, fill


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def run_action(**over: object) -> dict[str, object]:
    return {"action": "run", "name": "web", "image": "tutor-lab/busybox:1", **over}


CASES = {
    "host network": (
        {"net": {"kind": "value", "value": "host"}},
        [run_action(network="{{net}}")],
        "network:",
        "host networking",
    ),
    "docker socket": (
        {"sock": {"kind": "value", "value": "/var/run/docker.sock"}},
        [run_action(volumes={"{{sock}}": "/var/run/docker.sock"})],
        "{{sock}}",
        "docker.sock",
    ),
    "bind mount out of the workspace": (
        {"up": {"kind": "value", "value": "../../.."}},
        [run_action(volumes={"./{{up}}": "/host"})],
        "{{up}}",
        "../../..",
    ),
    "a name param that is 'host'": (
        {"net": {"kind": "name", "prefix": "host"}},
        [run_action(network="{{net}}")],
        "network:",
        "host networking",
    ),
    "a copy out of the lab": (
        {"src": {"kind": "value", "value": "../../../etc"}},
        [{"action": "copy", "source": "{{src}}"}],
        "source:",
        "../../../etc",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_parameter_cannot_carry_what_the_lab_may_not_write(pack: Pack, case: str) -> None:
    params, setup, key, said = CASES[case]
    pack.write_lab(params=params, setup=setup)
    errors = [e for e in load_course([pack.root], cache=False).errors if not e.warning]
    assert len(errors) == 1, errors
    err = errors[0]
    assert err.file == pack.lab_yaml and err.line == line_of(pack.lab_yaml, key), err
    assert "once its parameters are filled in" in err.message and said in err.message
    name = next(iter(params))
    assert f"{{{{{name}}}}}" in err.message  # which parameter brought it
    assert err.field.startswith("setup[0]") and err.hint


def test_a_file_check_path_from_a_parameter_stays_in_the_workspace(pack: Pack) -> None:
    steps = lab_data()["steps"]
    steps[0]["checks"] = [{"kind": "file", "path": "{{p}}"}]
    pack.write_lab(params={"p": {"kind": "value", "value": "../../../etc/shadow"}}, steps=steps)
    [err] = load_course([pack.root], cache=False).errors
    assert err.field == "steps[0].checks[0].path" and err.line == line_of(pack.lab_yaml, "path: '{{p}}'")


def test_validate_reports_it_and_fails(pack: Pack, capsys: pytest.CaptureFixture[str]) -> None:
    pack.write_lab(params={"net": {"kind": "value", "value": "host"}}, setup=[run_action(network="{{net}}")])
    assert main(["validate", str(pack.root)]) == 4
    out = capsys.readouterr().out
    assert f"lab.yaml:{line_of(pack.lab_yaml, 'network:')}:" in out and "{{net}} = 'host'" in out


def test_safe_parameters_pass(pack: Pack) -> None:
    pack.write_lab(
        params={"port": {"kind": "port"}, "net": {"kind": "value", "value": "lab-net"}},
        setup=[run_action(network="{{net}}", ports={"80": "{{port}}"}, volumes={"./data": "/data"})],
    )
    errors = load_course([pack.root], cache=False).errors
    assert [e for e in errors if not e.warning] == []  # (fixed names are only warned about)


def test_at_run_time_a_refused_fill_is_a_clear_error(pack: Pack) -> None:
    pack.write_lab(params={"net": {"kind": "value", "value": "host"}}, setup=[run_action(network="{{net}}")])
    lab = load_course([pack.root], cache=False).labs["pk-lab"]  # loaded, with its problem reported
    with pytest.raises(UnsafeFill) as caught:
        fill(lab.setup[0], {"net": "host"})
    assert "host networking" in caught.value.message and caught.value.exit_code == 4


def test_a_parameter_may_not_take_a_built_in_name(pack: Pack) -> None:
    """Else `aws_endpoint` could point the AWS checks at real AWS, or `workspace` elsewhere."""
    pack.write_lab(params={"aws_endpoint": {"kind": "value", "value": "https://ecr.us-east-1.amazonaws.com"}})
    [err] = load_course([pack.root], cache=False).errors
    assert err.field == "params.aws_endpoint" and "built-in" in err.message
    key = line_of(pack.lab_yaml, "aws_endpoint:")
    assert err.line in (key, key + 1)  # the parameter's key, or its first line
