"""Fixtures of the installation tests: the CMake build tree whose install rules and Debian package are tested
(--build-dir, set by CTest)."""

from __future__ import annotations

import os
import pathlib

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


def pytest_addoption(parser):
    parser.addoption("--build-dir", default=os.environ.get("RIDESWEEP_BUILD_DIR", str(REPO / "build" / "release")),
                     help="the CMake build tree to install from (default: build/release)")


@pytest.fixture(scope="session")
def build_dir(pytestconfig) -> pathlib.Path:
    path = pathlib.Path(pytestconfig.getoption("--build-dir")).resolve()
    binary = path / "apps" / "ridesweep" / "ridesweep"
    assert binary.is_file(), f"{binary} is missing: build the release preset first (scripts/setup.sh)"
    return path
