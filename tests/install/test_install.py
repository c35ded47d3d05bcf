"""`cmake --install` gives a relocatable tree and CPack a Debian package that installs, runs the demo from any
directory and uninstalls cleanly.

The tree is installed into one prefix and then moved, so nothing may depend on the install location: the binary
finds libduckdb through its $ORIGIN-relative RUNPATH and the SQL files beside itself (share/ridesweep/athena), and
the demo runs from a directory that holds no repository files."""

from __future__ import annotations

import json
import os
import pathlib
import re
import shutil
import subprocess

import pytest

from conftest import REPO

VERSION_RE = re.compile(r"^ridesweep (\d+\.\d+\.\d+) \(git ([0-9a-f]{12}(?:-dirty)?|unknown), (\w+) build, "
                        r"DuckDB (v[\d.]+)\)$")


def _run(cmd, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=300, **kwargs)


def _check_installed_binary(binary: pathlib.Path, share: pathlib.Path, workdir: pathlib.Path,
                            build_dir: pathlib.Path) -> None:
    version = _run([binary, "--version"])
    assert version.returncode == 0, version.stderr
    match = VERSION_RE.match(version.stdout.strip())
    assert match, version.stdout
    # The installed binary is this build tree's: same version line, revision included.
    built = _run([build_dir / "apps" / "ridesweep" / "ridesweep", "--version"]).stdout.strip()
    assert version.stdout.strip() == built

    workdir.mkdir()
    request = share / "examples" / "demo-request.json"
    run = _run([binary, "run", request, "--results-dir", "results", "--check"], cwd=workdir)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Readiness check passed." in run.stdout + run.stderr
    run_id = json.loads(request.read_text())["run_id"]

    query = _run([binary, "query", "query_run_level_profile", "--run-id", run_id, "--results-dir", "results"],
                 cwd=workdir)
    assert query.returncode == 0, query.stderr
    header, row = query.stdout.splitlines()[:2]
    assert header.startswith("shard_attempts,successful_shards,failed_shards")
    # The SQL comes from the installed share/ directory: a missing query names that directory.
    missing = _run([binary, "query", "no_such_query", "--run-id", run_id, "--results-dir", "results"], cwd=workdir)
    assert missing.returncode != 0
    assert str(share / "athena") in missing.stderr, missing.stderr


def test_cmake_install_tree_is_relocatable(build_dir, tmp_path):
    first = tmp_path / "first-prefix"
    install = _run(["cmake", "--install", build_dir, "--prefix", first])
    assert install.returncode == 0, install.stderr
    for rel in ["bin/ridesweep", "lib/ridesweep/libduckdb.so", "share/ridesweep/athena/local/views.sql",
                "share/ridesweep/athena/query_run_readiness.sql", "share/ridesweep/examples/demo-request.json",
                "share/doc/ridesweep/README.md"]:
        assert (first / rel).is_file(), rel
    runpath = _run(["readelf", "-d", first / "bin/ridesweep"]).stdout
    assert "[$ORIGIN/../lib/ridesweep]" in runpath, runpath
    assert str(REPO) not in runpath and str(build_dir) not in runpath

    moved = tmp_path / "moved" / "elsewhere"
    moved.parent.mkdir()
    shutil.move(first, moved)
    _check_installed_binary(moved / "bin/ridesweep", moved / "share/ridesweep", tmp_path / "work", build_dir)


def test_install_into_an_unusable_prefix_fails_clearly(build_dir, tmp_path):
    # A prefix below a regular file cannot be created, whoever runs the install (root included).
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    install = _run(["cmake", "--install", build_dir, "--prefix", blocker / "prefix"])
    assert install.returncode != 0
    assert "not-a-directory" in install.stderr + install.stdout


def test_debian_package_installs_runs_the_demo_and_uninstalls(build_dir, tmp_path):
    assert os.geteuid() == 0, "installing a .deb needs root (CI and scripts/test.sh run as root)"
    status = _run(["dpkg-query", "-W", "-f=${Status}", "ridesweep"])
    assert "install ok installed" not in status.stdout, "a ridesweep package is already installed; remove it first"

    out = tmp_path / "package"
    out.mkdir()
    pack = _run(["cpack", "-G", "DEB", "--config", build_dir / "CPackConfig.cmake", "-B", out])
    assert pack.returncode == 0, pack.stdout + pack.stderr
    debs = sorted(out.glob("ridesweep_*_amd64.deb"))
    assert len(debs) == 1, list(out.iterdir())
    assert re.fullmatch(r"ridesweep_\d+\.\d+\.\d+_amd64\.deb", debs[0].name)

    installed = _run(["dpkg", "-i", debs[0]])
    assert installed.returncode == 0, installed.stdout + installed.stderr
    try:
        which = shutil.which("ridesweep", path="/usr/bin")
        assert which == "/usr/bin/ridesweep"
        _check_installed_binary(pathlib.Path("/usr/bin/ridesweep"), pathlib.Path("/usr/share/ridesweep"),
                                tmp_path / "work", build_dir)
    finally:
        removed = _run(["dpkg", "-r", "ridesweep"])
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert not pathlib.Path("/usr/bin/ridesweep").exists()
    assert not pathlib.Path("/usr/lib/ridesweep").exists()
