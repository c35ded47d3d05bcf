"""The Lambda package (dist/runtime.zip) fits provided.al2023: layout, modes, and what every ELF file needs.

Amazon Linux 2023 ships glibc 2.34 and GCC 11's runtime (libstdc++ up to GLIBCXX_3.4.29 and CXXABI_1.3.13,
libgcc_s up to GCC_7.0.0). bootstrap links libstdc++ statically, so it needs no GLIBCXX/CXXABI version at all; it
uses the image's libgcc_s unwinder (GCC 12's static one needs glibc 2.35). The prebuilt libduckdb.so uses the
image's libstdc++ and must stay within GCC 11's. No file may need a GLIBC_ version above 2.34 or glibc's private
ABI, and every library a file needs is either in the base set the image provides or bundled under lib/.
"""

from __future__ import annotations

import os
import re
import subprocess
import zipfile

import pytest

MAX_GLIBC = (2, 34)
MAX_GLIBCXX = (3, 4, 29)
MAX_CXXABI = (1, 3, 13)
MAX_GCC = (7, 0, 0)
DIRECT_UPLOAD_LIMIT = 52_428_800
SIZE_TARGET = 40 * 1024 * 1024  # issue target for the package
# Provided by the image (glibc and GCC runtime); never bundled.
BASE_LIBRARIES = re.compile(r"^(libc|libm|libpthread|libdl|librt|libresolv|libstdc\+\+|libgcc_s)\.so(\.\d+)*$|"
                            r"^ld-linux.*\.so(\.\d+)*$|^ld64\.so(\.\d+)*$")
ELF_MAGIC = b"\x7fELF"


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _readelf(*args: str) -> str:
    return subprocess.run(["readelf", "--wide", *args], check=True, capture_output=True, text=True).stdout


def _needed_versions(path) -> set[str]:
    """Names in the version-needs section (.gnu.version_r): what the file requires from its libraries."""
    out = _readelf("-V", str(path))
    needs = out.split("Version needs section", 1)
    if len(needs) < 2:
        return set()
    return set(re.findall(r"Name: (\S+)\s+Flags", needs[1]))


def _dynamic(path) -> tuple[list[str], list[str], list[str]]:
    out = _readelf("-d", str(path))
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)
    runpath = re.findall(r"\(RUNPATH\)\s+Library runpath: \[([^\]]+)\]", out)
    rpath = re.findall(r"\(RPATH\)\s+Library rpath: \[([^\]]+)\]", out)
    return needed, runpath, rpath


def _elf_files(root):
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.read_bytes()[:4] == ELF_MAGIC:
            yield path


def test_layout_modes_and_determinism(zip_path):
    with zipfile.ZipFile(zip_path) as archive:
        infos = archive.infolist()
    names = [i.filename for i in infos]
    assert names[0] == "bootstrap"
    assert names == sorted(names), "entries are sorted"
    assert "lib/libduckdb.so" in names
    assert all(n == "bootstrap" or n.startswith("lib/") for n in names), names
    modes = {i.filename: (i.external_attr >> 16) & 0o777 for i in infos}
    assert modes["bootstrap"] == 0o755
    assert all(mode == 0o644 for name, mode in modes.items() if name != "bootstrap"), modes
    assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in infos)
    # glibc and GCC runtime libraries come from the image: bundling them would pin the build host's glibc.
    assert not [n for n in names if BASE_LIBRARIES.match(n.removeprefix("lib/"))]


def test_size_within_limits(zip_path):
    size = zip_path.stat().st_size
    print(f"runtime.zip: {size} bytes")
    assert size <= DIRECT_UPLOAD_LIMIT
    assert size <= SIZE_TARGET


def test_bootstrap_runpath_and_static_cxx_runtime(unpacked):
    needed, runpath, rpath = _dynamic(unpacked / "bootstrap")
    assert runpath == ["$ORIGIN/lib"]
    assert rpath == []
    assert not [n for n in needed if n.startswith("libstdc++")], needed
    versions = _needed_versions(unpacked / "bootstrap")
    assert not [v for v in versions if v.startswith(("GLIBCXX_", "CXXABI_"))], sorted(versions)


def test_every_elf_file_fits_amazon_linux_2023(unpacked):
    files = list(_elf_files(unpacked))
    assert len(files) >= 2  # bootstrap and libduckdb at least
    problems = []
    for path in files:
        rel = path.relative_to(unpacked)
        for name in sorted(_needed_versions(path)):
            prefix, _, number = name.partition("_")
            if prefix == "GLIBC" and number == "PRIVATE":
                problems.append(f"{rel} needs GLIBC_PRIVATE")
            elif prefix == "GLIBC" and _version(number) > MAX_GLIBC:
                problems.append(f"{rel} needs {name}")
            elif prefix == "GLIBCXX" and _version(number) > MAX_GLIBCXX:
                problems.append(f"{rel} needs {name}")
            elif prefix == "CXXABI" and not number.startswith("TM") and _version(number) > MAX_CXXABI:
                problems.append(f"{rel} needs {name}")
            elif prefix == "GCC" and _version(number) > MAX_GCC:
                problems.append(f"{rel} needs {name}")
    assert problems == []


def test_every_needed_library_is_bundled_or_in_the_base_set(unpacked):
    bundled = {p.name for p in (unpacked / "lib").iterdir()}
    missing = []
    for path in _elf_files(unpacked):
        needed, _, _ = _dynamic(path)
        missing += [f"{path.name} needs {n}" for n in needed if n not in bundled and not BASE_LIBRARIES.match(n)]
    assert missing == []


def test_libraries_resolve_inside_the_package(unpacked):
    """With Lambda's library path (/var/task/lib is on LD_LIBRARY_PATH), every non-base library loads from the
    package, none from the build host."""
    env = {"LD_LIBRARY_PATH": str(unpacked / "lib"), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    out = subprocess.run(["ldd", str(unpacked / "bootstrap")], env=env, check=True, capture_output=True,
                         text=True).stdout
    outside = []
    for name, path in re.findall(r"^\s*(\S+) => (\S+)", out, re.MULTILINE):
        if not BASE_LIBRARIES.match(name) and not path.startswith(str(unpacked)):
            outside.append(f"{name} => {path}")
    assert outside == []


def test_unpacked_bootstrap_starts_and_reports_a_missing_runtime_api(unpacked):
    """The unzipped binary loads and runs in a clean environment; outside Lambda it exits 1 with one log line."""
    env = {"LD_LIBRARY_PATH": str(unpacked / "lib")}
    result = subprocess.run([str(unpacked / "bootstrap")], env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert '"event":"runtime_api_error"' in lines[0] and "AWS_LAMBDA_RUNTIME_API" in lines[0]


@pytest.mark.parametrize("name", ["bootstrap", "lib/libduckdb.so"])
def test_core_files_are_x86_64_or_aarch64_elf(unpacked, name):
    header = _readelf("-h", str(unpacked / name))
    assert re.search(r"Machine:\s+(Advanced Micro Devices X86-64|AArch64)", header)


def test_bootstrap_carries_the_parquet_writers_zstd_context_reuse(unpacked):
    # src/store/parquet/zstd_context_reuse.cc interposes DuckDB's duckdb_zstd::ZSTD_compress; it only takes effect
    # when the executable exports the definition. Without it the bytes are the same, every page just slower.
    symbols = subprocess.run(["nm", "-D", "--defined-only", str(unpacked / "bootstrap")], check=True,
                             capture_output=True, text=True).stdout
    assert "_ZN11duckdb_zstd13ZSTD_compressEPvmPKvmi" in symbols
