"""Fixtures of the Lambda package test: the dist/runtime.zip built by the CMake target ridesweep_lambda_package,
passed as --runtime-zip (CTest passes the zip of its own build tree, the bytes copied to <repo>/dist/runtime.zip)."""

from __future__ import annotations

import os
import pathlib
import zipfile

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


def pytest_addoption(parser):
    parser.addoption("--runtime-zip", action="store",
                     default=os.environ.get("RIDESWEEP_RUNTIME_ZIP", str(REPO / "dist" / "runtime.zip")),
                     help="path of the runtime zip built by the ridesweep_lambda_package target")


@pytest.fixture(scope="session")
def zip_path(request) -> pathlib.Path:
    path = pathlib.Path(request.config.getoption("--runtime-zip"))
    assert path.is_file(), f"{path} is missing: build the ridesweep_lambda_package target first"
    return path


@pytest.fixture(scope="session")
def unpacked(zip_path, tmp_path_factory) -> pathlib.Path:
    """The zip extracted with its file modes, as Lambda does into /var/task."""
    root = tmp_path_factory.mktemp("task")
    with zipfile.ZipFile(zip_path) as archive:
        for info in archive.infolist():
            target = root / info.filename
            archive.extract(info, root)
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                target.chmod(mode)
    return root
