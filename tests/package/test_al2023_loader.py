"""The dynamic loader's view of dist/runtime.zip on provided.al2023: every ELF file loads with only the libraries the
image provides plus the zip's own lib/.

Amazon Linux 2023's minimal image (the provided.al2023 base) holds glibc 2.34 (libc, libm, libpthread, libdl, librt,
libresolv and the loader) and GCC 11's libgcc_s and libstdc++ (the latter present as a dependency of its package
manager; docs/runtime.md). test_runtime_zip.py checks the symbol versions against those releases; this file checks
the library set: the host's copies of exactly those sonames go into one folder, and the host's loader resolves each
ELF file with the library path limited to the zip's lib/ and that folder (`ld.so --library-path … --list`, no
ld.so.cache). A library found anywhere else (the host's default folders, which the loader always searches last) or
not at all is one the image might lack.
"""

from __future__ import annotations

import os
import pathlib
import re
import subprocess

import pytest

# sonames of the provided.al2023 base the package may rely on (glibc 2.34, GCC 11 runtime).
AL2023_BASE = ["libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1", "libresolv.so.2",
               "libstdc++.so.6", "libgcc_s.so.1"]
ELF_MAGIC = b"\x7fELF"


def _interpreter(path: pathlib.Path) -> str:
    out = subprocess.run(["readelf", "--wide", "-l", str(path)], check=True, capture_output=True, text=True).stdout
    return re.search(r"Requesting program interpreter: ([^\]]+)\]", out).group(1)


@pytest.fixture(scope="module")
def loader(unpacked) -> pathlib.Path:
    path = pathlib.Path(_interpreter(unpacked / "bootstrap"))
    assert path.is_file(), f"the host has no {path}: run this test on a machine of the zip's architecture"
    return path


@pytest.fixture(scope="module")
def base_dir(tmp_path_factory) -> pathlib.Path:
    """The host's copies of the AL2023 base sonames, and nothing else."""
    cache = subprocess.run(["ldconfig", "-p"], check=True, capture_output=True, text=True).stdout
    arch = {"x86_64": "x86-64", "aarch64": "AArch64"}[os.uname().machine]
    found = {}
    for name, flags, path in re.findall(r"^\s*(\S+) \(([^)]*)\) => (\S+)$", cache, flags=re.M):
        if name in AL2023_BASE and arch in flags and name not in found and pathlib.Path(path).exists():
            found[name] = pathlib.Path(path).resolve()
    assert set(found) == set(AL2023_BASE), f"host lacks {set(AL2023_BASE) - set(found)}"
    folder = tmp_path_factory.mktemp("al2023-base")
    for name, path in found.items():
        (folder / name).symlink_to(path)
    return folder


def _elf_files(root: pathlib.Path) -> list[pathlib.Path]:
    return [p for p in sorted(root.rglob("*")) if p.is_file() and p.read_bytes()[:4] == ELF_MAGIC]


def _resolve(loader: pathlib.Path, elf: pathlib.Path, unpacked: pathlib.Path, base_dir: pathlib.Path) -> str:
    proc = subprocess.run([str(loader), "--inhibit-cache", "--library-path", f"{unpacked / 'lib'}:{base_dir}",
                           "--list", str(elf)], capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"},
                          timeout=60)
    assert proc.returncode == 0, f"{elf.name}: {proc.stdout}{proc.stderr}"
    return proc.stdout


def test_every_elf_file_loads_from_the_zip_and_the_al2023_base_only(loader, unpacked, base_dir):
    elves = _elf_files(unpacked)
    assert unpacked / "bootstrap" in elves and len(elves) >= 2
    outside = []
    for elf in elves:
        listing = _resolve(loader, elf, unpacked, base_dir)
        outside += [f"{elf.name}: {line.strip()}" for line in listing.splitlines() if "not found" in line]
        for name, path in re.findall(r"^\s*(\S+) => (\S+) \(0x", listing, flags=re.M):
            inside = path.startswith(str(unpacked / "lib") + "/") or path.startswith(str(base_dir) + "/")
            if not inside:
                outside.append(f"{elf.name}: {name} => {path}")
    assert outside == [], "libraries provided.al2023 might lack:\n" + "\n".join(outside)


def test_each_base_library_is_used_only_through_its_soname(loader, unpacked, base_dir):
    """The bundled lib/ holds none of the base sonames (the image's copies must win, as on Lambda)."""
    assert not {p.name for p in (unpacked / "lib").iterdir()} & set(AL2023_BASE)


def test_bootstrap_starts_with_only_the_zip_and_the_base(loader, unpacked, base_dir):
    """Started through the loader with that library path and every symbol bound at start (LD_BIND_NOW), the
    unzipped bootstrap runs its main: outside Lambda it reports the missing runtime API and exits 1."""
    env = {"LD_BIND_NOW": "1"}
    proc = subprocess.run([str(loader), "--inhibit-cache", "--library-path", f"{unpacked / 'lib'}:{base_dir}",
                           str(unpacked / "bootstrap")], capture_output=True, text=True, env=env, timeout=30)
    assert proc.returncode == 1, proc.stderr
    assert '"event":"runtime_api_error"' in proc.stderr and "AWS_LAMBDA_RUNTIME_API" in proc.stderr
    assert os.access(unpacked / "bootstrap", os.X_OK)
