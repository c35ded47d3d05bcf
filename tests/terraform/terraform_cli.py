"""The Terraform CLI and the hashicorp/aws provider as installed on this machine, for the tests that execute the
module (tests/infra/test_terraform_stack.py, test_deploy_local.py).

Nothing is downloaded: the CLI is found on PATH (or RIDESWEEP_TERRAFORM), the provider in a local filesystem
mirror (RIDESWEEP_TF_PLUGIN_DIR, else the usual plugin folders), and a CLI configuration written next to the test
data installs providers from that mirror only, so `terraform init` never reaches a registry. When either is missing
the tests fail with a message naming what is missing and where it was looked for.
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
import shutil
import subprocess
import time

REPO = pathlib.Path(__file__).resolve().parents[2]
MODULE = REPO / "infra" / "aws_serverless_sweep" / "terraform"
PROVIDER = "registry.terraform.io/hashicorp/aws"

# Where Terraform itself looks for local providers (the "implied" mirror locations of the CLI documentation), plus
# the image's shared plugin folder.
MIRROR_CANDIDATES = [
    "/opt/tf-plugins",
    "~/.terraform.d/plugins",
    "~/.local/share/terraform/plugins",
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
]


class MissingTool(AssertionError):
    pass


def find_terraform() -> pathlib.Path:
    explicit = os.environ.get("RIDESWEEP_TERRAFORM")
    found = explicit or shutil.which("terraform")
    if not found or not os.access(found, os.X_OK):
        raise MissingTool("Terraform CLI not found: looked for RIDESWEEP_TERRAFORM and `terraform` on PATH "
                          f"({os.environ.get('PATH', '')}). Install Terraform >= 1.5 "
                          "(https://developer.hashicorp.com/terraform/install).")
    return pathlib.Path(found)


def find_provider_mirror() -> pathlib.Path:
    """A directory laid out as <host>/<namespace>/<type>/<version>/<os_arch>/ holding hashicorp/aws 5.x."""
    explicit = os.environ.get("RIDESWEEP_TF_PLUGIN_DIR")
    candidates = [explicit] if explicit else MIRROR_CANDIDATES
    for candidate in candidates:
        root = pathlib.Path(candidate).expanduser()
        if list((root / PROVIDER).glob("5.*/linux_*/terraform-provider-aws_*")):
            return root
    raise MissingTool(f"provider {PROVIDER} 5.x not found in a local plugin mirror: looked in "
                      f"{', '.join(candidates)} (set RIDESWEEP_TF_PLUGIN_DIR to a folder holding "
                      f"{PROVIDER}/<version>/<os_arch>/terraform-provider-aws_*). The tests never download providers.")


def write_cli_config(path: pathlib.Path, mirror: pathlib.Path) -> pathlib.Path:
    """A CLI configuration that installs every provider from `mirror` and never from a registry."""
    path.write_text(
        "provider_installation {\n"
        "  filesystem_mirror {\n"
        f"    path    = \"{mirror}\"\n"
        "    include = [\"registry.terraform.io/*/*\"]\n"
        "  }\n"
        "  direct {\n"
        "    exclude = [\"registry.terraform.io/*/*\"]\n"
        "  }\n"
        "}\n")
    return path


@dataclasses.dataclass
class Outcome:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def text(self) -> str:
        return self.stdout + self.stderr


@dataclasses.dataclass
class Terraform:
    """Runs `terraform -chdir=<workdir> …` with a clean environment: the mirror-only CLI configuration, the given
    AWS credentials and no variables from the caller's shell."""
    binary: pathlib.Path
    workdir: pathlib.Path
    cli_config: pathlib.Path
    env: dict[str, str] = dataclasses.field(default_factory=dict)
    timings: dict[str, float] = dataclasses.field(default_factory=dict)

    def environment(self) -> dict[str, str]:
        base = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "TF_"))}
        base.update({"TF_CLI_CONFIG_FILE": str(self.cli_config), "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1",
                     "HOME": str(self.workdir.parent)})
        base.update(self.env)
        return base

    def run(self, *args: str, timeout: float = 900, label: str | None = None) -> Outcome:
        command = [str(self.binary), f"-chdir={self.workdir}", *args]
        started = time.monotonic()
        proc = subprocess.run(command, capture_output=True, text=True, env=self.environment(), timeout=timeout)
        outcome = Outcome(list(args), proc.returncode, proc.stdout, proc.stderr, time.monotonic() - started)
        if label:
            self.timings[label] = round(outcome.seconds, 1)
        return outcome

    def ok(self, *args: str, timeout: float = 900, label: str | None = None) -> Outcome:
        outcome = self.run(*args, timeout=timeout, label=label)
        assert outcome.returncode == 0, \
            f"terraform {' '.join(args)} failed ({outcome.returncode}):\n{outcome.text[-6000:]}"
        return outcome


def copy_module(dest: pathlib.Path) -> pathlib.Path:
    """The module's own files (no local state, lock file or .terraform folder) copied to `dest`."""
    shutil.copytree(MODULE, dest, ignore=shutil.ignore_patterns(".terraform", "*.tfstate*", ".terraform.lock.hcl",
                                                                 "terraform.tfvars"))
    return dest
