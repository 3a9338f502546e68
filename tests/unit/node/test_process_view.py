"""The process runtime's pure parts: the filesystem views, command lookup, the shim's
configuration and log records, and which images map to host programs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pyk8s.node.process.commands import DEFAULT_PATH, container_path, host_image_kind
from pyk8s.node.process.shim import (
    HostEntry,
    LogWriter,
    Op,
    ProcessConfig,
    find_executable,
    plan_links,
    plan_view,
)

HOST = {
    "/bin": HostEntry("link", "usr/bin"),
    "/usr": HostEntry("dir"),
    "/usr/bin": HostEntry("dir"),
    "/usr/share": HostEntry("dir"),
    "/usr/share/doc": HostEntry("dir"),
    "/lib": HostEntry("dir"),
    "/etc": HostEntry("dir"),
    "/etc/hosts": HostEntry("file"),
    "/etc/passwd": HostEntry("file"),
    "/etc/resolv.conf": HostEntry("link", "../run/resolv.conf"),
    "/dev/null": HostEntry("file"),
    "/dev/pts": HostEntry("dir"),
    "/vol/data": HostEntry("dir"),
    "/vol/hosts": HostEntry("file"),
    "/vol/resolv": HostEntry("file"),
}
LISTINGS = {"/usr": ["bin", "share"], "/usr/share": ["doc"], "/etc": ["hosts", "passwd", "resolv.conf"]}


def plan(mounts: list[dict[str, object]], **kwargs: object) -> list[Op]:
    return plan_view("/r", mounts, inspect=HOST.get, listdir=lambda p: LISTINGS[p], **kwargs)  # type: ignore[arg-type]


def binds(ops: list[Op]) -> dict[str, tuple[str, bool]]:
    return {op.target: (op.source, op.read_only) for op in ops if op.kind == "bind"}


def test_the_view_binds_host_system_directories_read_only_and_links_as_links() -> None:
    ops = plan([])
    assert binds(ops)["/r/usr"] == ("/usr", True)
    assert binds(ops)["/r/etc"] == ("/etc", True)
    assert Op("symlink", "/r/bin", "usr/bin") in ops
    assert binds(ops)["/r/proc"] == ("/proc", False)
    assert binds(ops)["/r/sys"] == ("/sys", True)
    assert binds(ops)["/r/dev/null"] == ("/dev/null", False)
    assert "/r/dev/pts" in binds(ops)
    assert Op("symlink", "/r/dev/fd", "/proc/self/fd") in ops
    assert not any(op.target.startswith("/r/opt") for op in ops)  # absent on this host


def test_a_volume_outside_host_directories_gets_its_own_mount_point() -> None:
    ops = plan([{"destination": "/data", "source": "/vol/data", "readOnly": False}])
    assert ops.index(Op("mkdir", "/r/data")) < ops.index(Op("bind", "/r/data", "/vol/data", recursive=True))


def test_a_file_over_an_existing_host_file_binds_over_it_without_splicing() -> None:
    ops = plan([{"destination": "/etc/hosts", "source": "/vol/hosts", "readOnly": False}])
    assert binds(ops)["/r/etc"] == ("/etc", True)  # still one bind of /etc
    assert binds(ops)["/r/etc/hosts"] == ("/vol/hosts", False)
    assert ops[-1].target == "/r/etc/hosts"  # after the bind of /etc it covers


def test_a_destination_the_host_lacks_splices_the_bound_directory_open() -> None:
    ops = plan([{"destination": "/usr/share/nginx/html", "source": "/vol/data", "readOnly": True}])
    placed = binds(ops)
    assert "/r/usr" not in placed and "/r/usr/share" not in placed  # replaced by their entries
    assert placed["/r/usr/bin"] == ("/usr/bin", True)
    assert placed["/r/usr/share/doc"] == ("/usr/share/doc", True)
    assert placed["/r/usr/share/nginx/html"] == ("/vol/data", True)
    assert Op("mkdir", "/r/usr/share/nginx") in ops
    assert not any(op.kind in ("mkdir", "touch") and not op.target.startswith("/r/") for op in ops)


def test_a_file_where_the_host_has_a_symlink_replaces_the_link() -> None:
    ops = plan([{"destination": "/etc/resolv.conf", "source": "/vol/resolv", "readOnly": False}])
    placed = binds(ops)
    assert "/r/etc" not in placed
    assert placed["/r/etc/passwd"] == ("/etc/passwd", True)
    assert Op("touch", "/r/etc/resolv.conf") in ops
    assert placed["/r/etc/resolv.conf"] == ("/vol/resolv", False)
    assert not any(op.kind == "symlink" and op.target == "/r/etc/resolv.conf" for op in ops)


def test_nested_mounts_go_deepest_last_and_extra_dirs_are_read_only() -> None:
    ops = plan(
        [
            {"destination": "/data/sub", "source": "/vol/hosts", "readOnly": False},
            {"destination": "/data", "source": "/vol/data", "readOnly": False},
        ],
        extra_dirs={"/.pyk8s/bin": "/node/bin/busybox"},
        tmp="/c/tmp",
        cwd="/work/dir",
    )
    targets = [op.target for op in ops if op.kind == "bind"]
    assert targets.index("/r/data") < targets.index("/r/data/sub")
    assert binds(ops)["/r/.pyk8s/bin"] == ("/node/bin/busybox", True)
    assert binds(ops)["/r/tmp"] == ("/c/tmp", False)
    assert Op("mkdir", "/r/work/dir") in ops


def test_without_root_mounts_become_symlinks_under_the_root() -> None:
    ops, skipped = plan_links(
        "/r",
        [
            {"destination": "/etc/hosts", "source": "/pod/hosts"},
            {"destination": "/data", "source": "/vol/data"},
            {"destination": "/data/inner", "source": "/vol/other"},
        ],
        cwd="/app",
    )
    assert Op("symlink", "/r/etc/hosts", "/pod/hosts") in ops
    assert Op("symlink", "/r/data", "/vol/data") in ops
    assert Op("mkdir", "/r/etc") in ops and Op("mkdir", "/r/app") in ops
    assert skipped == ["/data/inner"]  # making it would write into the /data volume


def test_executables_are_found_on_the_path(tmp_path: Path) -> None:
    tool = tmp_path / "bin" / "tool"
    tool.parent.mkdir()
    tool.write_text("#!/bin/sh\n")
    tool.chmod(0o755)
    (tmp_path / "bin" / "plain").write_text("not executable")
    assert find_executable("tool", f"/nonexistent:{tool.parent}") == str(tool)
    assert find_executable("/abs/path", "") == "/abs/path"
    with pytest.raises(FileNotFoundError, match='exec: "plain": executable file not found in \\$PATH'):
        find_executable("plain", str(tool.parent))


def test_the_process_config_survives_its_json() -> None:
    config = ProcessConfig(
        args=["sh", "-c", "true"],
        env=["A=1"],
        root="/r",
        log="/l",
        cwd="/w",
        chroot=True,
        terminal=True,
        mounts=[{"destination": "/d", "source": "/s", "readOnly": True}],
        extra_dirs={"/.pyk8s/bin": "/b"},
        user=(1000, 1000, [5]),
    )
    assert ProcessConfig.from_json(config.to_json()) == config
    plain = ProcessConfig(args=["true"], env=[], root="/r", log="/l")
    assert ProcessConfig.from_json(plain.to_json()) == plain


def test_log_records_are_cri_lines_split_at_16k(tmp_path: Path) -> None:
    path = tmp_path / "log"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT)
    writer = LogWriter(fd, "stderr")
    writer.feed(b"one\ntw")
    writer.feed(b"o\n" + b"x" * (16 * 1024 + 5))
    writer.close()
    os.close(fd)
    records = [line.split(" ", 3) for line in path.read_text().splitlines()]
    assert [(r[1], r[2], len(r[3])) for r in records] == [
        ("stderr", "F", 3),
        ("stderr", "F", 3),
        ("stderr", "P", 16 * 1024),
        ("stderr", "F", 5),
    ]
    assert records[0][0].endswith("Z") and len(records[0][0]) == len("2026-01-01T00:00:00.000000000Z")


@pytest.mark.parametrize(
    ("image", "kind"),
    [
        pytest.param("busybox", "busybox", id="short"),
        pytest.param("busybox:1.36", "busybox", id="tagged"),
        pytest.param("docker.io/library/busybox@sha256:" + "a" * 64, "busybox", id="digest"),
        pytest.param("registry.k8s.io/e2e-test-images/busybox:1.29", "busybox", id="other-registry"),
        pytest.param("nginx", None, id="unmapped"),
        pytest.param("busybox-like/tool", None, id="not-busybox"),
        pytest.param("Not A Reference", None, id="invalid"),
    ],
)
def test_images_map_to_host_programs_by_repository_name(image: str, kind: str | None) -> None:
    assert host_image_kind(image) == kind


def test_the_container_path_puts_the_image_commands_first() -> None:
    assert container_path({"PATH": "/bin"}, "/node/bin/busybox") == "/node/bin/busybox:/bin"
    assert container_path({}, None) == DEFAULT_PATH


def test_oci_falls_back_to_the_process_runtime_where_it_cannot_run(monkeypatch: pytest.MonkeyPatch) -> None:
    from pyk8s.node import config

    monkeypatch.setattr(config, "oci_unavailable_reason", lambda: "the oci runtime needs root")
    assert config.effective_runtime("oci") == "process"
    assert config.effective_runtime("simulated") == "simulated"
    monkeypatch.setattr(config, "oci_unavailable_reason", lambda: "")
    assert config.effective_runtime("oci") == "oci"
    assert config.effective_runtime("process") == "process"
    assert "process" in config.AVAILABLE_RUNTIMES
