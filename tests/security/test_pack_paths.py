"""A pack's paths stay inside the pack: named paths and shipped files resolve (after links) inside it,
or `tutor validate` refuses them at their file and line; copies and writes never follow a link out."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from security.packs import Pack, lab_data
from tutor.base.containment import PathEscape, copy_inside, resolve_inside, scan, write_inside
from tutor.base.errors import ContentError, ContentInvalid
from tutor.cli import main
from tutor.content.loading.loader import load_course
from tutor.content.models.lab_setup import CopyAction, WriteAction
from tutor.labs.setup import UnsafePath, apply_setup

SECRETS = ("SECRET-HASH", "SECRET-PASSWD", "host_secret_key", "another_secret_key")


def errors_of(root: Path) -> list[ContentError]:
    return [e for e in load_course([root], cache=False).errors if not e.warning]


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def assert_no_secret(text: str) -> None:
    leaked = [s for s in SECRETS if s in text]
    assert not leaked, f"host data reached the output: {leaked}\n{text}"


def with_copy(pack: Pack, source: str) -> None:
    pack.write_lab(setup=[{"action": "copy", "source": source}])


def test_the_pack_as_built_is_valid(pack: Pack, capsys: pytest.CaptureFixture[str]) -> None:
    assert errors_of(pack.root) == []
    assert main(["validate", str(pack.root)]) == 0


@pytest.mark.parametrize("schema_file", ["/etc/shadow", "../../x.json", "files/../../../etc/passwd"])
def test_a_schema_file_outside_the_pack_is_refused_at_its_line(pack: Pack, schema_file: str) -> None:
    steps = lab_data()["steps"]
    steps[0]["checks"] = [{"kind": "file", "path": "a.json", "format": "json", "schema_file": schema_file}]
    pack.write_lab(steps=steps)
    [err] = errors_of(pack.root)
    assert err.file == pack.lab_yaml
    assert err.line == line_of(pack.lab_yaml, "schema_file")
    assert err.field.endswith("schema_file")
    assert err.hint


def test_a_schema_file_linked_to_a_host_file_is_refused_and_never_read(pack: Pack, host: Path) -> None:
    (pack.lab_yaml.parent / "schema.json").symlink_to(host / "shadow")
    steps = lab_data()["steps"]
    steps[0]["checks"] = [{"kind": "file", "path": "a.json", "format": "json", "schema_file": "schema.json"}]
    pack.write_lab(steps=steps)
    errors = errors_of(pack.root)
    located = [e for e in errors if e.file == pack.lab_yaml]
    assert located and located[0].line == line_of(pack.lab_yaml, "schema_file"), errors
    assert "outside the pack" in located[0].message
    assert any(e.file == pack.lab_yaml.parent / "schema.json" for e in errors)  # the link itself
    assert_no_secret("\n".join(map(str, errors)))


def test_a_link_under_files_is_refused_and_the_copy_never_follows_it(
    pack: Pack, host: Path, tmp_path: Path
) -> None:
    files = pack.lab_yaml.parent / "files"
    files.mkdir()
    (files / "app.txt").write_text("the lab's own file\n")
    (files / "shadow").symlink_to(host / "shadow")
    with_copy(pack, "files")
    errors = errors_of(pack.root)
    assert any(e.file == files / "shadow" and "outside the pack" in e.message for e in errors), errors
    setup = [e for e in errors if e.file == pack.lab_yaml]
    assert setup and setup[0].line == line_of(pack.lab_yaml, "source:")
    assert setup[0].field == "setup[0].source"
    # `tutor lab start` would copy: the copy stops before reading the link.
    lab = load_course([pack.root], cache=False).labs["pk-lab"]
    workspace = tmp_path / "ws"
    workspace.mkdir()
    with pytest.raises(UnsafePath) as caught:
        apply_setup(None, lab, lab.setup[0], {}, workspace)
    assert caught.value.exit_code == 4
    copied = "".join(p.read_text() for p in workspace.rglob("*") if p.is_file())
    assert_no_secret(copied)


def test_a_folder_linked_to_a_host_folder_is_never_copied(pack: Pack, host: Path, tmp_path: Path) -> None:
    files = pack.lab_yaml.parent / "files"
    files.mkdir()
    (files / "etc").symlink_to(host / "etc", target_is_directory=True)
    with_copy(pack, "files/etc")
    errors = errors_of(pack.root)
    assert any(e.file == pack.lab_yaml and e.field == "setup[0].source" for e in errors), errors
    lab = load_course([pack.root], cache=False).labs.get("pk-lab")
    assert lab is not None
    workspace = tmp_path / "ws"
    workspace.mkdir()
    with pytest.raises(UnsafePath):
        apply_setup(None, lab, lab.setup[0], {}, workspace)
    assert not any(workspace.rglob("passwd"))


def test_lab_yaml_linked_to_a_host_yaml_file_shows_none_of_its_keys(pack: Pack, host: Path) -> None:
    pack.lab_yaml.unlink()
    pack.lab_yaml.symlink_to(host / "config.yaml")
    errors = errors_of(pack.root)
    assert [e.file for e in errors] == [pack.lab_yaml]
    assert "outside the pack" in errors[0].message
    assert_no_secret("\n".join(map(str, errors)))


@pytest.mark.parametrize("rel", ["lessons/pk/01-lesson.md", "quizzes/pk.yaml", "lessons/topics.yaml"])
def test_a_lesson_or_quiz_file_linked_out_is_refused(pack: Pack, host: Path, rel: str) -> None:
    target = pack.path(rel)
    target.unlink()
    target.symlink_to(host / "config.yaml")
    errors = errors_of(pack.root)
    assert any(e.file == target and "outside the pack" in e.message for e in errors), errors
    assert_no_secret("\n".join(map(str, errors)))


def test_a_content_folder_linked_out_is_refused(pack: Pack, host: Path) -> None:
    (host / "lesson.md").write_text(pack.path("lessons/pk/01-lesson.md").read_text())
    pack.write_quiz()
    quizzes = pack.path("quizzes")
    for f in quizzes.iterdir():
        f.unlink()
    quizzes.rmdir()
    quizzes.symlink_to(host, target_is_directory=True)
    course = load_course([pack.root], cache=False)
    assert any(e.file == quizzes and "outside the pack" in e.message for e in course.errors)
    assert not course.quizzes
    assert_no_secret("\n".join(map(str, course.errors)))


def test_links_inside_the_pack_are_fine_and_copied_as_files(pack: Pack, tmp_path: Path) -> None:
    files = pack.lab_yaml.parent / "files"
    (files / "sub").mkdir(parents=True)
    (files / "a.txt").write_text("A\n")
    (files / "b.txt").symlink_to("a.txt")
    (files / "sub" / "c.txt").symlink_to("../a.txt")
    with_copy(pack, "files")
    assert errors_of(pack.root) == []
    lab = load_course([pack.root], cache=False).labs["pk-lab"]
    workspace = tmp_path / "ws"
    workspace.mkdir()
    apply_setup(None, lab, lab.setup[0], {}, workspace)
    copied = workspace / "files"
    assert (copied / "b.txt").read_text() == "A\n" and not (copied / "b.txt").is_symlink()
    assert (copied / "sub" / "c.txt").read_text() == "A\n"


def test_a_fifo_named_like_a_lesson_is_refused_without_blocking(pack: Pack) -> None:
    os.mkfifo(pack.path("lessons/pk/02-fifo.md"))
    code = "import sys; from tutor.cli import main; sys.exit(main(['validate', sys.argv[1]]))"
    try:
        out = subprocess.run(
            [sys.executable, "-c", code, str(pack.root)], capture_output=True, text=True, timeout=120
        )
    except subprocess.TimeoutExpired:
        pytest.fail("validate blocked on a FIFO in the pack")
    assert out.returncode == 4
    assert "02-fifo.md" in out.stdout and "not a regular file" in out.stdout


def test_writes_into_the_workspace_never_go_through_a_link(pack: Pack, host: Path, tmp_path: Path) -> None:
    """A container may leave links in the workspace; a later write replaces them, or is refused."""
    lab = load_course([pack.root], cache=False).labs["pk-lab"]
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (workspace / "notes.txt").symlink_to(host / "shadow")
    (workspace / "etc").symlink_to(host / "etc", target_is_directory=True)
    apply_setup(None, lab, WriteAction(action="write", path="notes.txt", content="mine\n"), {}, workspace)
    assert (workspace / "notes.txt").read_text() == "mine\n" and not (workspace / "notes.txt").is_symlink()
    assert "SECRET-HASH" in (host / "shadow").read_text()
    with pytest.raises(UnsafePath):
        apply_setup(None, lab, WriteAction(action="write", path="etc/passwd", content="x\n"), {}, workspace)
    assert "SECRET-PASSWD" in (host / "etc" / "passwd").read_text()
    with pytest.raises(UnsafePath):
        apply_setup(None, lab, CopyAction(action="copy", source="lab.yaml", to="etc"), {}, workspace)
    assert not (host / "etc" / "lab.yaml").exists()


def test_a_file_check_does_not_follow_a_workspace_link_out(pack: Pack, host: Path) -> None:
    from tutor.labs.engine import LabSession
    from tutor.progress import open_store

    course = load_course([pack.root], cache=False)
    session = LabSession(course, open_store(), "pk-lab")
    session.workspace.mkdir(parents=True)
    (session.workspace / "notes.txt").symlink_to(host / "shadow")
    [result] = session.run_step("one", record=False)
    assert not result.passed and "outside your workspace" in result.reason
    assert_no_secret(result.reason + result.hint)
    session.close()


def test_base_images_build_only_from_the_pack(pack: Pack, host: Path) -> None:
    from tutor.labs.images import load_definitions

    images = pack.write_yaml(
        "labs/_images/images.yaml", {"images": [{"name": "x:1", "context": "../../../host"}]}
    )
    [err] = errors_of(pack.root)
    assert err.file == images and err.field == "images[0].context" and err.line == line_of(images, "context")
    with pytest.raises(ContentInvalid):
        load_definitions([pack.root])
    (pack.path("labs/_images/web")).symlink_to(host, target_is_directory=True)
    pack.write_yaml("labs/_images/images.yaml", {"images": [{"name": "x:1", "context": "web"}]})
    errors = errors_of(pack.root)
    located = [e for e in errors if e.file == images]
    assert (
        located and located[0].line == line_of(images, "context") and "outside the pack" in located[0].message
    )
    with pytest.raises(ContentInvalid) as caught:
        load_definitions([pack.root])
    assert "outside" in caught.value.message


# -- the containment function itself --------------------------------------------------------


def test_resolve_inside(tmp_path: Path, host: Path) -> None:
    root = tmp_path / "root"
    (root / "a").mkdir(parents=True)
    (root / "in").symlink_to("a", target_is_directory=True)
    (root / "out").symlink_to(host, target_is_directory=True)
    (root / "loop").symlink_to("loop")
    assert resolve_inside(root, root / "in" / "new.txt") == (root / "a" / "new.txt").resolve()
    for bad in (root / "out" / "shadow", root / ".." / "host", Path("/etc/passwd"), root / "loop"):
        with pytest.raises(PathEscape):
            resolve_inside(root, bad)


def test_scan_lists_files_in_order_and_every_escape(tmp_path: Path, host: Path) -> None:
    root = tmp_path / "root"
    (root / "b").mkdir(parents=True)
    (root / "a.txt").write_text("")
    (root / "b" / "c.txt").write_text("")
    (root / "b" / "up").symlink_to("..", target_is_directory=True)  # a loop inside: visited once
    (root / "z").symlink_to(host / "shadow")
    os.mkfifo(root / "pipe")
    found = scan(root, root)
    names = [str(p.relative_to(root)) for p in found.files]
    assert names[:2] == ["a.txt", "b/c.txt"]
    assert {e.path.name for e in found.escapes} == {"z", "pipe"}


def test_copy_and_write_inside(tmp_path: Path, host: Path) -> None:
    src, dst = tmp_path / "src", tmp_path / "dst"
    (src / "d").mkdir(parents=True)
    (src / "d" / "f.sh").write_text("#!/bin/sh\n")
    (src / "d" / "f.sh").chmod(0o755)
    dst.mkdir()
    copy_inside(src / "d", dst / "d", source_root=src, target_root=dst)
    assert os.access(dst / "d" / "f.sh", os.X_OK)
    (src / "d" / "leak").symlink_to(host / "shadow")
    with pytest.raises(PathEscape):
        copy_inside(src / "d", dst / "e", source_root=src, target_root=dst)
    assert not (dst / "e").exists()
    for rel in ("/abs", "../x", "a/../../x", "nul\x00"):
        with pytest.raises(PathEscape):
            write_inside(dst, rel, "x")


@pytest.mark.docker
def test_lab_start_refuses_a_copy_that_leads_out(
    pack: Pack, host: Path, docker_client: object, capsys: pytest.CaptureFixture[str]
) -> None:
    from tutor.labs.sandbox import workspace

    files = pack.lab_yaml.parent / "files"
    files.mkdir()
    (files / "app.txt").write_text("the lab's own file\n")
    (files / "etc").symlink_to(host / "etc", target_is_directory=True)
    with_copy(pack, "files")
    assert main(["--content", str(pack.root), "lab", "start", "pk-lab"]) == 4
    err = capsys.readouterr().err
    assert "outside the pack" in err and "tutor validate" in err
    copied = "".join(p.read_text() for p in workspace("pk-lab").rglob("*") if p.is_file())
    assert_no_secret(copied + err)
