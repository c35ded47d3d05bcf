"""checkov (the IaC security scanner, pinned in requirements-checkov.txt, venv .venv-checkov) over the Terraform
module: no failed check, and every skipped check is an inline `checkov:skip=<id>: <reason>` listed with the same
reason in the module README, so a new finding fails here until it is fixed or justified there.

Offline: --skip-download keeps checkov from fetching guidelines or custom policies from its vendor's service.
"""

from __future__ import annotations

import json
import os
import pathlib
import re
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
TF_DIR = REPO / "infra" / "aws_serverless_sweep" / "terraform"
CHECKOV = pathlib.Path(os.environ.get("RIDESWEEP_CHECKOV", REPO / ".venv-checkov" / "bin" / "checkov"))
SKIP = re.compile(r"#\s*checkov:skip=([A-Z0-9_]+):\s*(\S.*)$")


@pytest.fixture(scope="module")
def report() -> dict:
    assert CHECKOV.is_file(), f"checkov not found at {CHECKOV}: run scripts/setup_python.sh (creates .venv-checkov)"
    proc = subprocess.run([str(CHECKOV), "--directory", str(TF_DIR), "--framework", "terraform", "--skip-download",
                           "--output", "json", "--compact"], capture_output=True, text=True, timeout=600,
                          env=dict(os.environ, BC_SKIP_MAPPING="TRUE"))
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    return json.loads(proc.stdout)


def inline_skips() -> dict[tuple[str, str], str]:
    """(file, check id) -> reason, from the module's comments."""
    out = {}
    for path in sorted(TF_DIR.glob("*.tf")):
        for line in path.read_text().splitlines():
            match = SKIP.search(line)
            if match:
                out[(path.name, match.group(1))] = match.group(2).strip()
    return out


def test_no_failed_checks(report):
    failed = [(c["check_id"], c["resource"], c["file_path"]) for c in report["results"]["failed_checks"]]
    assert failed == [], \
        f"checkov findings: fix them, or skip inline with a reason and list them in the README: {failed}"
    assert report["summary"]["parsing_errors"] == 0
    assert report["summary"]["passed"] > 100  # the scan really ran over the module's resources


def test_every_skip_is_inline_with_a_reason(report):
    skips = inline_skips()
    skipped = report["results"]["skipped_checks"]
    assert {(c["file_path"].lstrip("/"), c["check_id"]) for c in skipped} == set(skips)
    for check in skipped:
        reason = check["check_result"]["suppress_comment"].strip()
        assert len(reason) >= 40, f"{check['check_id']}: a reviewer needs a reason, not '{reason}'"


def test_the_readme_lists_every_skip():
    readme = (TF_DIR / "README.md").read_text()
    listed = set(re.findall(r"^\| `(CKV2?_AWS_\d+)` \|", readme, flags=re.M))
    assert listed == {check for _, check in inline_skips()}
