"""T25: infra/aws_serverless_sweep/deploy_local.sh with a stubbed PATH (spec/sweep.md §15), plus shellcheck.

Each test copies the script into a fresh git repository laid out like this one, and runs it with a PATH that holds
recording stubs for aws, terraform, cmake, ninja, g++, objdump and ldd next to links to the real basic tools (git,
coreutils, zip). Stubs append their arguments to a log, so the tests see every build and Terraform call.
The last test swaps the terraform stub for the real CLI and the real module and deploys to a signature-checking moto
server (tests/terraform), the credential preflight answered by moto's STS.
"""

from __future__ import annotations

import base64
import hashlib
import os
import pathlib
import re
import shutil
import stat
import subprocess
import sys
import zipfile

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = REPO / "infra" / "aws_serverless_sweep" / "deploy_local.sh"
SCRIPT_REL = "infra/aws_serverless_sweep/deploy_local.sh"
# The packaging script deploy_local.sh stages and zips with (also behind the ridesweep_lambda_package target).
PACKAGER_REL = "scripts/package_lambda.sh"
TF_CHDIR = "-chdir=infra/aws_serverless_sweep/terraform"
PRESET = "lambda"

REAL_TOOLS = ["bash", "env", "git", "sha256sum", "sort", "sed", "grep", "cut", "head", "tail", "tr", "wc", "cat",
              "mkdir", "rm", "cp", "mv", "chmod", "touch", "find", "xargs", "dirname", "basename", "uname", "zip", "truncate"]
REQUIRED = ["aws", "terraform", "cmake", "ninja", "g++", "objdump", "zip", "sha256sum", "git"]

STUBS = {
    "aws": r"""
if [[ "$1 $2" == "sts get-caller-identity" ]]; then
  [[ -n "${STUB_AWS_EXPIRED:-}" ]] && { echo "Token has expired" >&2; exit 255; }
  echo '{"Account": "123456789012"}'
fi
""",
    "terraform": "exit 0\n",
    "ninja": "exit 0\n",
    "g++": r"""
[[ "${1:-}" == "--version" ]] && echo "${STUB_CXX_VERSION:-g++ (Debian 12.2.0-14) 12.2.0}"
exit 0
""",
    "cmake": r"""
if [[ "${1:-}" == "--version" ]]; then echo "cmake version 3.25.1"; exit 0; fi
if [[ "${1:-}" == "--build" ]]; then
  preset="$3"
  mkdir -p "build/$preset/apps/bootstrap"
  printf 'bootstrap binary built by %s\n' "$preset" >"build/$preset/apps/bootstrap/bootstrap"
fi
exit 0
""",
    "objdump": r"""
file="${!#}"
if [[ "$1" == "-p" ]]; then
  echo "Dynamic Section:"
  echo "  NEEDED               libduckdb.so"
  [[ -z "${STUB_NO_RUNPATH:-}" ]] && echo '  RUNPATH              $ORIGIN/lib'
elif [[ "$1" == "-T" ]]; then
  version="${STUB_GLIBC_LIB:-2.17}"
  [[ "$file" == */bootstrap ]] && version="${STUB_GLIBC_BOOTSTRAP:-2.34}"
  echo "0000000000000000      DF *UND*	0000000000000000  GLIBC_2.2.5 memcpy"
  echo "0000000000000000      DF *UND*	0000000000000000 (GLIBC_$version) newest_symbol"
  echo "0000000000000000      DF *UND*	0000000000000000  GLIBC_PRIVATE _dl_private"
fi
exit 0
""",
    "ldd": r"""
printf '\tlinux-vdso.so.1 (0x00007ffc00000000)\n'
printf '\tlibduckdb.so => %s/libduckdb.so (0x00007f0000000000)\n' "$STUB_LIBDIR"
printf '\tlibm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x00007f0000001000)\n'
printf '\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0000002000)\n'
printf '\t/lib64/ld-linux-x86-64.so.2 (0x00007f0000003000)\n'
""",
}


class Harness:
    def __init__(self, tmp: pathlib.Path):
        self.tmp = tmp
        self.repo = tmp / "repo"
        self.stub_dir = tmp / "stubs"
        self.sys_dir = tmp / "sysbin"
        self.lib_dir = tmp / "libs"
        self.log = tmp / "calls.log"
        for d in (self.repo, self.stub_dir, self.sys_dir, self.lib_dir):
            d.mkdir()
        (self.lib_dir / "libduckdb.so").write_bytes(b"duckdb library v1.4.4")
        for tool in REAL_TOOLS:
            real = shutil.which(tool)
            assert real, f"{tool} is needed by the test harness"
            (self.sys_dir / tool).symlink_to(real)
        for name, body in STUBS.items():
            self.write_stub(name, body)
        self._init_repo()

    def write_stub(self, name: str, body: str) -> None:
        path = self.stub_dir / name
        path.write_text("#!/bin/bash\n"
                        f'{{ printf "%s" "{name}"; for a in "$@"; do printf "\\t%s" "$a"; done; printf "\\n"; }}'
                        ' >>"$STUB_LOG"\n' + body)
        path.chmod(0o755)

    def remove_tool(self, name: str) -> None:
        for d in (self.stub_dir, self.sys_dir):
            if (d / name).exists():
                (d / name).unlink()

    def git(self, *args: str) -> None:
        subprocess.run(["git", *args], cwd=self.repo, check=True, capture_output=True)

    def _init_repo(self) -> None:
        files = {
            "CMakeLists.txt": "project(ridesweep)\n",
            "CMakePresets.json": "{}\n",
            "src/sim/engine/run_loop.cc": "// engine\nint RunLoop() { return 0; }\n",
            "apps/bootstrap/main.cc": "int main() { return 0; }\n",
            "README.md": "readme\n",
            "docs/architecture.md": "docs\n",
            "tests/sql/test_x.py": "def test(): pass\n",
            "infra/aws_serverless_sweep/terraform/main.tf": "# tf\n",
            ".gitignore": "/build/\n/dist/\n",
        }
        for rel, text in files.items():
            self.write(rel, text)
        target = self.repo / SCRIPT_REL
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SCRIPT, target)
        packager = self.repo / PACKAGER_REL
        packager.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / PACKAGER_REL, packager)
        self.git("init", "-q")
        self.git("add", "-A")

    def write(self, rel: str, text: str) -> None:
        path = self.repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    def run(self, *args: str, answer: str = "yes\n", **env: str) -> subprocess.CompletedProcess:
        """Runs the script; `answer` is typed at its "Apply the plan above?" prompt."""
        if self.log.exists():
            self.log.unlink()
        environment = {"PATH": f"{self.stub_dir}:{self.sys_dir}", "HOME": str(self.tmp), "STUB_LOG": str(self.log),
                       "STUB_LIBDIR": str(self.lib_dir), "LC_ALL": "C"}
        environment.update(env)
        return subprocess.run([str(self.sys_dir / "bash"), SCRIPT_REL, *args], cwd=self.repo, env=environment,
                              capture_output=True, text=True, input=answer)

    def calls(self, tool: str | None = None) -> list[list[str]]:
        if not self.log.exists():
            return []
        calls = [line.split("\t") for line in self.log.read_text().splitlines()]
        if tool is None:
            return calls
        return [c[1:] for c in calls if c[0] == tool]

    @property
    def zip_path(self) -> pathlib.Path:
        return self.repo / "dist" / "runtime.zip"

    @property
    def plan_path(self) -> pathlib.Path:
        return self.repo / "dist" / "terraform.tfplan"

    def plan_call(self, *extra: str) -> list[str]:
        return [TF_CHDIR, "plan", "-input=false", f"-out={self.plan_path}", "-var",
                f"runtime_lambda_zip={self.zip_path}", *extra]

    def apply_call(self) -> list[str]:
        return [TF_CHDIR, "apply", "-input=false", str(self.plan_path)]

    @property
    def metadata(self) -> pathlib.Path:
        return self.repo / "dist" / "runtime-build.metadata"


@pytest.fixture
def h(tmp_path) -> Harness:
    return Harness(tmp_path)


def _lines(result: subprocess.CompletedProcess) -> list[str]:
    return result.stdout.splitlines()


def _deployed(h: Harness, result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, result.stdout + result.stderr
    assert _lines(result)[-1] == "Deployment flow complete."


# ------------------------------------------------------------------------------------------------------------------
# shellcheck
# ------------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("script", [SCRIPT, REPO / "scripts" / "check_no_cloud_secrets.sh",
                                    REPO / "scripts" / "setup_python.sh"], ids=lambda p: p.name)
def test_shellcheck_clean(script):
    shellcheck = shutil.which("shellcheck")
    assert shellcheck, "shellcheck is installed by scripts/setup.sh"
    result = subprocess.run([shellcheck, "--shell=bash", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_scripts_are_executable():
    for script in (SCRIPT, REPO / "scripts" / "check_no_cloud_secrets.sh", REPO / "scripts" / "setup_python.sh"):
        assert script.stat().st_mode & stat.S_IXUSR, script


def test_pass_through_expansion_is_safe_on_bash_3_2():
    # bash < 4.4 treats "${a[@]}" of an empty array as unbound under set -u; the script must use ${a[@]+...}.
    text = SCRIPT.read_text()
    assert '${passthrough[@]+"${passthrough[@]}"}' in text
    assert text.count('"${passthrough[@]}"') == 1


# ------------------------------------------------------------------------------------------------------------------
# Preflight and credentials
# ------------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("tool", REQUIRED)
def test_missing_tool_is_reported_with_a_hint(h, tool):
    h.remove_tool(tool)
    result = h.run()
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"Error: required command '{tool}' was not found. ")
    assert len(line) > len(f"Error: required command '{tool}' was not found. ") + 5
    assert not h.calls("terraform")


def test_expired_session_without_profile(h):
    result = h.run(STUB_AWS_EXPIRED="1")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Error: no valid temporary AWS credentials detected. Run 'aws sso login' and retry."]
    assert h.calls("aws") == [["sts", "get-caller-identity"]]
    assert not h.calls("cmake") and not h.calls("terraform")


def test_expired_session_with_profile(h):
    result = h.run(STUB_AWS_EXPIRED="1", AWS_PROFILE="sweep-dev")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Error: no valid temporary AWS credentials detected. Run 'aws sso login --profile sweep-dev' and retry."]


def test_credentials_are_never_printed(h):
    secret = "s3cr3tValueThatMustNotAppear0123456789ab"
    result = h.run(AWS_ACCESS_KEY_ID="ASIAEXAMPLEVALUE0000", AWS_SECRET_ACCESS_KEY=secret,
                   AWS_SESSION_TOKEN="token-" + secret)
    _deployed(h, result)
    assert secret not in result.stdout + result.stderr
    assert "123456789012" not in result.stdout  # the caller identity output is not echoed either


# ------------------------------------------------------------------------------------------------------------------
# Build, package, deploy
# ------------------------------------------------------------------------------------------------------------------

def test_first_run_builds_packages_and_deploys_with_zero_pass_through_arguments(h):
    result = h.run()
    _deployed(h, result)
    lines = _lines(result)
    assert "cache-miss: runtime artifact missing. rebuilding runtime artifacts..." in lines
    assert any(line.startswith("Build completed in ") and line.endswith("s.") for line in lines)
    assert [c for c in h.calls("cmake") if c[0] != "--version"] == [
        ["--preset", PRESET], ["--build", "--preset", PRESET, "--target", "ridesweep_lambda_package"]]
    assert h.calls("terraform") == [
        [TF_CHDIR, "init", "-input=false"],
        [TF_CHDIR, "validate"],
        h.plan_call(),
        h.apply_call(),
    ]
    assert not h.plan_path.exists()  # applied, then removed
    assert h.metadata.read_text().splitlines()[:2] == ["arch=x86_64" if os.uname().machine == "x86_64" else
                                                       "arch=arm64", f"preset={PRESET}"]
    assert h.metadata.read_text().splitlines()[2].startswith("source_hash=")
    assert len(h.metadata.read_text().splitlines()[2]) == len("source_hash=") + 64


def test_package_holds_bootstrap_and_bundled_libraries_only(h):
    _deployed(h, h.run())
    with zipfile.ZipFile(h.zip_path) as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == ["bootstrap", "lib/libduckdb.so"]  # libc, libm, loader not bundled
        assert (infos[0].external_attr >> 16) & 0o777 == 0o755
        assert archive.read("lib/libduckdb.so") == b"duckdb library v1.4.4"
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in infos)


def test_zip_is_deterministic(h):
    _deployed(h, h.run())
    first = h.zip_path.read_bytes()
    _deployed(h, h.run("--force-rebuild"))
    assert h.zip_path.read_bytes() == first


def test_second_run_is_a_cache_hit(h):
    _deployed(h, h.run())
    result = h.run()
    _deployed(h, result)
    assert "cache-hit: reusing dist/runtime.zip." in _lines(result)
    assert [c for c in h.calls("cmake") if c[0] != "--version"] == []


@pytest.mark.parametrize("how", ["flag", "env"])
def test_forced_rebuild(h, how):
    _deployed(h, h.run())
    result = h.run("--force-rebuild", "-auto-approve") if how == "flag" else \
        h.run("-auto-approve", SWEEP_FORCE_REBUILD="1")
    _deployed(h, result)
    assert "cache-miss: forced rebuild. rebuilding runtime artifacts..." in _lines(result)
    assert h.calls("terraform")[-2:] == [h.plan_call(), h.apply_call()]


def test_rollback_zip_is_passed_through_after_the_built_one(h):
    _deployed(h, h.run())
    result = h.run("-auto-approve", "-var", "runtime_lambda_zip=/srv/releases/runtime-previous.zip")
    _deployed(h, result)
    assert h.calls("terraform")[-2:] == [
        h.plan_call("-var", "runtime_lambda_zip=/srv/releases/runtime-previous.zip"), h.apply_call()]


@pytest.mark.parametrize("answer", ["no\n", "", "y\n"])
def test_anything_but_yes_at_the_prompt_applies_nothing(h, answer):
    result = h.run(answer=answer)
    assert result.returncode == 1
    assert 'Apply the plan above? Only "yes" applies: ' in result.stdout
    assert result.stderr.splitlines()[-1] == "Apply cancelled; nothing was changed."
    assert [c[1] for c in h.calls("terraform")] == ["init", "validate", "plan"]
    assert not h.plan_path.exists()


def test_a_failed_plan_stops_before_apply(h):
    h.write_stub("terraform", '[[ "$2" == "plan" ]] && { echo "Error: Invalid value for variable" >&2; exit 1; }\n'
                              "exit 0\n")
    result = h.run("-auto-approve")
    assert result.returncode == 1
    assert "Error: Invalid value for variable" in result.stderr
    assert [c[1] for c in h.calls("terraform")] == ["init", "validate", "plan"]


def test_metadata_missing(h):
    _deployed(h, h.run())
    h.metadata.unlink()
    assert "cache-miss: build metadata missing. rebuilding runtime artifacts..." in _lines(h.run())


def test_architecture_changed(h):
    _deployed(h, h.run())
    text = h.metadata.read_text().splitlines()
    h.metadata.write_text("\n".join(["arch=mips64"] + text[1:]) + "\n")
    assert "cache-miss: architecture changed. rebuilding runtime artifacts..." in _lines(h.run())


def test_preset_changed_builds_the_new_preset(h):
    _deployed(h, h.run())
    result = h.run(SWEEP_BUILD_PRESET="lambda-debug")
    _deployed(h, result)
    assert "cache-miss: build preset changed. rebuilding runtime artifacts..." in _lines(result)
    assert ["--preset", "lambda-debug"] in h.calls("cmake")
    assert "preset=lambda-debug" in h.metadata.read_text().splitlines()


def test_reasons_are_checked_in_order(h):
    _deployed(h, h.run())
    h.metadata.write_text("arch=mips64\npreset=other\nsource_hash=0\n")
    assert "cache-miss: architecture changed. rebuilding runtime artifacts..." in _lines(h.run())
    h.zip_path.unlink()
    h.metadata.unlink()
    assert "cache-miss: runtime artifact missing. rebuilding runtime artifacts..." in _lines(h.run())


@pytest.mark.parametrize("change", [
    "engine source edited", "untracked source file", "compiler version", "duckdb library", "tracked file deleted"])
def test_source_hash_changes(h, change):
    _deployed(h, h.run())
    env = {}
    if change == "engine source edited":
        h.write("src/sim/engine/run_loop.cc", "// engine\nint RunLoop() { return 1; }\n")
    elif change == "untracked source file":
        h.write("src/sim/model/new_model.cc", "int NewModel();\n")
    elif change == "compiler version":
        env["STUB_CXX_VERSION"] = "g++ (Debian 12.3.0-1) 12.3.0"
    elif change == "duckdb library":
        library = h.tmp / "other-libduckdb.so"
        library.write_bytes(b"another build")
        env["SWEEP_DUCKDB_LIBRARY"] = str(library)
    elif change == "tracked file deleted":
        (h.repo / "apps" / "bootstrap" / "main.cc").unlink()
    result = h.run(**env)
    _deployed(h, result)
    assert "cache-miss: source hash changed. rebuilding runtime artifacts..." in _lines(result)


@pytest.mark.parametrize("rel", ["docs/architecture.md", "tests/sql/test_x.py", "NOTES.md", "src/sim/README.md",
                                 "infra/aws_serverless_sweep/terraform/main.tf", "build/cache.txt",
                                 "spec/notes.txt"])
def test_non_build_inputs_do_not_change_the_hash(h, rel):
    _deployed(h, h.run())
    h.write(rel, "changed content\n")
    result = h.run()
    _deployed(h, result)
    assert "cache-hit: reusing dist/runtime.zip." in _lines(result)


# ------------------------------------------------------------------------------------------------------------------
# Package checks
# ------------------------------------------------------------------------------------------------------------------

def test_glibc_2_35_in_bootstrap_fails(h):
    result = h.run(STUB_GLIBC_BOOTSTRAP="2.35")
    assert result.returncode == 1
    assert "Error: dist/runtime/bootstrap requires GLIBC_2.35; provided.al2023 offers 2.34." in \
        result.stderr.splitlines()
    assert not h.calls("terraform")
    assert not h.metadata.exists()


def test_glibc_2_35_in_a_bundled_library_fails(h):
    result = h.run(STUB_GLIBC_LIB="2.35")
    assert result.returncode == 1
    assert "Error: dist/runtime/lib/libduckdb.so requires GLIBC_2.35; provided.al2023 offers 2.34." in \
        result.stderr.splitlines()


def test_glibc_versions_compare_numerically(h):
    _deployed(h, h.run(STUB_GLIBC_BOOTSTRAP="2.4"))  # 2.4 < 2.34 although "2.4" > "2.34" as text


def test_missing_runpath_fails(h):
    result = h.run(STUB_NO_RUNPATH="1")
    assert result.returncode == 1
    assert "lacks RUNPATH $ORIGIN/lib" in result.stderr


def test_oversized_zip_fails(h):
    h.write_stub("zip", 'out="${!#}"; truncate -s 52428801 "$out"\n')
    result = h.run()
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Error: dist/runtime.zip is 52428801 bytes; the direct upload limit is 52428800."]
    assert not h.calls("terraform")


def test_missing_zip_is_reported(h):
    h.write_stub("zip", "exit 0\n")
    result = h.run()
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["Expected packaged artifact at:", "- dist/runtime.zip"]
    assert not h.calls("terraform")


def test_failed_build_stops_before_terraform(h):
    h.write_stub("cmake", '[[ "${1:-}" == "--version" ]] && { echo "cmake version 3.25.1"; exit 0; }\nexit 2\n')
    result = h.run()
    assert result.returncode != 0
    assert not h.calls("terraform")


# ------------------------------------------------------------------------------------------------------------------
# The real Terraform module and CLI, deployed to moto
# ------------------------------------------------------------------------------------------------------------------

sys.path.insert(0, str(REPO / "tests" / "terraform"))
from terraform_cli import MODULE, copy_module, find_provider_mirror, find_terraform, write_cli_config  # noqa: E402
from terraform_stack import override_file, start_moto_for_terraform  # noqa: E402

# The credential preflight asks moto's STS (authentication on): unknown or wrong keys fail like an expired session.
MOTO_AWS_STUB = r"""
if [[ "$1 $2" == "sts get-caller-identity" ]]; then
  exec "$STUB_PYTHON" -c '
import json, os, sys
import boto3, botocore.exceptions
try:
    print(json.dumps(boto3.client("sts", endpoint_url=os.environ["STUB_MOTO_ENDPOINT"]).get_caller_identity(),
                     default=str))
except botocore.exceptions.ClientError as error:
    print(error, file=sys.stderr)
    sys.exit(255)
'
fi
"""


def test_deploys_the_real_module_to_moto(h, tmp_path):
    """init, validate, plan and apply of the real module by the real CLI, against signature-checking moto."""
    terraform, mirror = find_terraform(), find_provider_mirror()
    (h.stub_dir / "terraform").unlink()
    (h.sys_dir / "terraform").symlink_to(terraform)
    h.write_stub("aws", MOTO_AWS_STUB)
    module = h.repo / "infra" / "aws_serverless_sweep" / "terraform"
    shutil.rmtree(module)
    copy_module(module)
    cli_config = write_cli_config(tmp_path / "terraform.rc", mirror)
    with start_moto_for_terraform(tmp_path) as moto:
        (module / "moto_override.tf").write_text(override_file(moto.endpoint))
        env = dict(moto.aws_env(), TF_CLI_CONFIG_FILE=str(cli_config), TF_IN_AUTOMATION="1",
                   STUB_PYTHON=sys.executable, STUB_MOTO_ENDPOINT=moto.endpoint)

        # A key moto does not accept: the preflight stops the script before any build or Terraform step.
        expired = h.run("-auto-approve", **dict(env, AWS_SECRET_ACCESS_KEY="expired" + "0" * 33))
        assert expired.returncode == 1
        assert expired.stderr.splitlines()[-1] == (
            "Error: no valid temporary AWS credentials detected. Run 'aws sso login' and retry.")
        assert not h.calls("cmake") and not (module / ".terraform").exists()

        result = h.run("-auto-approve", **env)
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
        out = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)  # Terraform's colours
        order = [out.index(marker) for marker in ("Terraform has been successfully initialized!",
                                                  "Success! The configuration is valid.",
                                                  "Plan: 34 to add, 0 to change, 0 to destroy.",
                                                  "Apply complete! Resources: 34 added, 0 changed, 0 destroyed.",
                                                  "Deployment flow complete.")]
        assert order == sorted(order)
        function = moto.client("lambda").get_function_configuration(FunctionName="ride-sim-sweep-runtime")
        digest = base64.b64encode(hashlib.sha256(h.zip_path.read_bytes()).digest()).decode()
        assert function["CodeSha256"] == digest  # the zip the script built is what was deployed
        assert not h.plan_path.exists()
    assert MODULE.is_dir() and not (MODULE / "moto_override.tf").exists()  # the override never enters the module
