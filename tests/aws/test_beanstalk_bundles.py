"""Beanstalk bundles as they are today: folders and zips, docker-compose.yml (Docker on AL2023),
Dockerrun.aws.json v1/v2/v3, .ebextensions and .platform. A valid bundle is never called failing."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

from tutor.aws.beanstalk import check_bundle
from tutor.aws.beanstalk.dockerrun_v2 import to_compose
from tutor.aws.beanstalk.extensions import env_pairs
from tutor.aws.beanstalk.source import BundleError
from tutor.cli import main

COMPOSE = """\
services:
  web:
    build: .
    ports: ["80:8080"]
    env_file: [.env]
  cache:
    image: tutor-lab/busybox:1
"""
DOCKERFILE = 'FROM tutor-lab/busybox:1\nEXPOSE 8080\nCMD ["httpd", "-f", "-p", "8080"]\n'
V2 = {
    "AWSEBDockerrunVersion": 2,
    "volumes": [{"name": "html", "host": {"sourcePath": "/var/app/current/www"}}],
    "containerDefinitions": [
        {
            "name": "web",
            "image": "nginx",
            "essential": True,
            "memory": 128,
            "portMappings": [{"hostPort": 80, "containerPort": 80}],
            "links": ["api"],
            "mountPoints": [
                {"sourceVolume": "html", "containerPath": "/usr/share/nginx/html", "readOnly": True}
            ],
        },
        {"name": "api", "image": "api:1", "environment": [{"name": "MODE", "value": "prod"}]},
    ],
}


def write(folder: Path, files: dict[str, str], executable: tuple[str, ...] = ()) -> Path:
    for name, text in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        if name in executable:
            target.chmod(0o755)
    return folder


def zip_of(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w") as zf:
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                zf.write(f, f.relative_to(folder).as_posix())
    return target


def test_a_folder_and_its_zip_read_the_same(tmp_path: Path) -> None:
    folder = write(tmp_path / "shop", {"Dockerfile": DOCKERFILE, "www/index.html": "hi"})
    for bundle in (folder, zip_of(folder, tmp_path / "shop.zip")):
        report = check_bundle(bundle)
        assert report.ok and report.kind == "dockerfile" and report.port == 8080, report.problems
        assert report.platform == "Docker running on 64bit Amazon Linux 2023"


def test_a_missing_bundle_and_a_folder_one_level_too_deep(tmp_path: Path) -> None:
    assert "does not exist" in check_bundle(tmp_path / "nope").problems[0]
    write(tmp_path / "outer" / "shop", {"Dockerfile": DOCKERFILE})
    problem = check_bundle(tmp_path / "outer").problems[0]
    assert "is in shop/, not at the root of the folder" in problem and "tutor eb check" in problem


def test_a_compose_bundle_is_valid_and_says_where_traffic_goes(tmp_path: Path) -> None:
    folder = write(tmp_path / "app", {"docker-compose.yml": COMPOSE, "Dockerfile": DOCKERFILE})
    report = check_bundle(folder)
    assert report.ok, report.problems
    assert report.kind == "compose" and report.port == 8080
    assert any("service web publishes host port 80" in n for n in report.notes)
    assert any("writes the environment properties to .env" in n for n in report.notes)
    assert not any("fail" in line for line in report.notes + report.warnings)


def test_compose_without_port_80_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    folder = write(tmp_path / "app", {"docker-compose.yml": "services:\n  web:\n    image: x\n"})
    report = check_bundle(folder)
    assert report.ok and any("no service publishes host port 80" in w for w in report.warnings)


def test_the_web_port_is_read_as_compose_resolves_the_file(tmp_path: Path) -> None:
    """Variables in `ports` are filled in, and a service of a profile (not started by `up`) is not
    where the traffic goes."""
    text = (
        "services:\n"
        "  web:\n    image: x\n    ports: ['${WEB_PORT:-80}:${APP_PORT:-5000}']\n"
        "  debug:\n    image: x\n    profiles: [debug]\n    ports: ['80:9999']\n"
    )
    report = check_bundle(write(tmp_path / "app", {"docker-compose.yml": text}))
    assert report.ok, report.problems
    assert report.port == 5000
    assert any("service web publishes host port 80" in n for n in report.notes)


def test_compose_rejected_by_compose_names_the_file_and_service(tmp_path: Path) -> None:
    bad = "services:\n  web:\n    image: x\n    ports: [{target: 80, published: 80, nonsense: 1}]\n"
    report = check_bundle(write(tmp_path / "app", {"docker-compose.yml": bad}))
    assert not report.ok
    assert report.problems[0].startswith("docker-compose.yml, service web:"), report.problems
    assert "nonsense" in report.problems[0]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("services: [\n", "is not valid YAML at line"),
        ("version: '3'\n", "defines no services"),
        ("services:\n  web:\n    build: ../elsewhere\n", "outside the bundle"),
    ],
)
def test_broken_compose_files(tmp_path: Path, text: str, problem: str) -> None:
    report = check_bundle(write(tmp_path / "app", {"docker-compose.yml": text}))
    assert any(problem in p for p in report.problems), report.problems


def test_dockerrun_v2_is_explained_not_failed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write(tmp_path / "multi", {"Dockerrun.aws.json": json.dumps(V2)})
    report = check_bundle(folder)
    assert report.ok and report.kind == "dockerrun-v2" and not report.runs_locally
    assert report.platform == "ECS running on 64bit Amazon Linux 2023"
    assert any("ECS running on 64bit Amazon Linux 2023" in n for n in report.notes)
    assert main(["eb", "check", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "would fail" not in out and "valid for the ECS running on 64bit Amazon Linux 2023" in out
    assert "docker-compose.yml for the Docker platform" in out
    assert main(["eb", "run", str(folder)]) == 2
    assert "does not emulate" in capsys.readouterr().err


def test_the_compose_draft_from_v2() -> None:
    import yaml

    draft = yaml.safe_load(to_compose(V2))
    web = draft["services"]["web"]
    assert web["ports"] == ["80:80"] and web["depends_on"] == ["api"] and web["mem_limit"] == "128m"
    assert web["volumes"] == ["/var/app/current/www:/usr/share/nginx/html:ro"]
    assert draft["services"]["api"]["environment"] == {"MODE": "prod"}


def test_dockerrun_v3_goes_with_compose(tmp_path: Path) -> None:
    v3 = json.dumps({"AWSEBDockerrunVersion": "3", "Authentication": {"bucket": "b", "key": "k"}})
    with_compose = check_bundle(
        write(tmp_path / "a", {"docker-compose.yml": COMPOSE, "Dockerrun.aws.json": v3})
    )
    assert with_compose.ok and any("v3 gives Beanstalk the login" in n for n in with_compose.notes)
    alone = check_bundle(write(tmp_path / "b", {"Dockerrun.aws.json": v3}))
    assert not alone.ok and "goes with a docker-compose.yml" in alone.problems[0]


def test_extensions_and_hooks_are_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = {
        "Dockerfile": DOCKERFILE,
        ".ebextensions/01-env.config": (
            "option_settings:\n  aws:elasticbeanstalk:application:environment:\n    GREETING: hi\n"
            "  aws:autoscaling:asg:\n    MaxSize: 2\npackages:\n  yum:\n    jq: []\n"
        ),
        ".ebextensions/notes.txt": "x",
        ".platform/hooks/predeploy/01-migrate.sh": "#!/bin/sh\necho migrate\n",
        ".platform/hooks/postdeploy/02-warm.sh": "#!/bin/sh\n",
        ".platform/nginx/conf.d/extra.conf": "client_max_body_size 20M;\n",
    }
    folder = write(tmp_path / "app", files, executable=(".platform/hooks/predeploy/01-migrate.sh",))
    for bundle in (folder, zip_of(folder, tmp_path / "app.zip")):
        report = check_bundle(bundle)
        assert report.ok, report.problems
        assert report.env == {"GREETING": "hi"}
        assert any("environment properties GREETING" in line for line in report.local)
        aws = "\n".join(report.aws_only)
        assert "aws:autoscaling:asg (MaxSize)" in aws and "packages, installs OS packages" in aws
        assert "01-migrate.sh: a platform hook, run on the instance after the build" in aws
        assert "NGINX proxy configuration" in aws
        assert any("02-warm.sh is not executable" in w for w in report.warnings)
        assert any("notes.txt: ignored" in w for w in report.warnings)
    assert main(["eb", "check", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "only on AWS" in out and "used here too" in out


def test_a_broken_config_file_is_a_problem(tmp_path: Path) -> None:
    folder = write(tmp_path / "app", {"Dockerfile": DOCKERFILE, ".ebextensions/bad.config": "a: [\n"})
    assert "is not valid YAML or JSON (line" in check_bundle(folder).problems[0]


def test_env_pairs() -> None:
    assert env_pairs(["A=1", "B=x=y", "C="]) == {"A": "1", "B": "x=y", "C": ""}
    with pytest.raises(BundleError):
        env_pairs(["nope"])


def test_zip_members_never_land_outside(tmp_path: Path) -> None:
    from tutor.aws.beanstalk.source import open_bundle

    bundle = tmp_path / "evil.zip"
    with zipfile.ZipFile(bundle, "w") as zf:
        zf.writestr("Dockerfile", DOCKERFILE)
        zf.writestr("../escape.txt", "x")
    target = tmp_path / "out"
    target.mkdir()
    open_bundle(bundle).copy_to(target)
    assert (target / "Dockerfile").exists() and not (tmp_path / "escape.txt").exists()
    assert os.listdir(target) == ["Dockerfile"]
