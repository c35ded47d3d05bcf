"""docs/runbook.md is executable: every bash block marked `<!-- runbook-test -->` runs, in document order, with the
CLI under test on PATH, against the authorising moto server (S3 and Athena through SWEEP_S3_ENDPOINT and
SWEEP_ATHENA_ENDPOINT) and the variables the runbook reads from `terraform output`. Between blocks the test does
what the cloud would: it uploads the local rehearsal run to the bucket (as the deployed runtime writes it) and, since
moto's Athena records queries without running them, seeds the readiness rows the local engine computes for the
same run. Unmarked blocks need AWS; the runbook lists them under "Not provable offline"."""

from __future__ import annotations

import os
import pathlib
import re
import subprocess

import pytest

from athena_cli import EMPTY_RESULT, csv_to_result, ridesweep_binary, seed_results
from conftest import REGION, REPO

RUNBOOK = REPO / "docs" / "runbook.md"
MARKER = "<!-- runbook-test -->"
WORKGROUP = "ride-sim-sweep-analytics"


def runnable_blocks() -> list[str]:
    text = RUNBOOK.read_text()
    blocks = re.findall(r"^" + re.escape(MARKER) + r"\n```bash\n(.*?)```", text, flags=re.S | re.M)
    markers = re.findall(r"^" + re.escape(MARKER) + r"$", text, flags=re.M)
    assert len(markers) == len(blocks), "every marker line must sit right before a ```bash block"
    return blocks


def test_the_runbook_lists_what_cannot_run_offline():
    text = RUNBOOK.read_text()
    assert "## Not provable offline" in text
    unmarked = re.findall(r"(?<!" + re.escape(MARKER) + r"\n)```bash\n(.*?)```", text, flags=re.S)
    offline_only = ("aws sso login", "deploy_local.sh", "terraform output", "ridesweep submit", "--aws-sigv4")
    for block in unmarked:
        if "export PATH" in block:
            continue
        assert any(word in block for word in offline_only), f"unmarked block that could be tested:\n{block}"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> pathlib.Path:
    work = tmp_path_factory.mktemp("runbook")
    for name in ("examples", "infra"):
        (work / name).symlink_to(REPO / name)
    return work


def test_runbook_blocks_run_against_the_emulators(harness_path, moto, workdir):
    moto.client("athena").create_work_group(Name=WORKGROUP, Configuration={})
    cli = pathlib.Path(ridesweep_binary(harness_path))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SWEEP_", "ATHENA_", "RIDESWEEP_SQL"))}
    env.update({"PATH": f"{cli.parent}:/usr/bin:/bin", "HOME": str(workdir),
                "AWS_ACCESS_KEY_ID": moto.operator.access_key_id,
                "AWS_SECRET_ACCESS_KEY": moto.operator.secret_access_key, "AWS_REGION": REGION,
                "SWEEP_S3_ENDPOINT": moto.endpoint, "SWEEP_ATHENA_ENDPOINT": moto.endpoint,
                "RESULTS_BUCKET": moto.bucket, "ATHENA_WORKGROUP": WORKGROUP,
                "ATHENA_QUERY_OUTPUT": f"s3://{moto.bucket}/athena-query-results/",
                "API_URL": "https://unreachable.invalid/sandbox/sweep-run"})
    blocks = runnable_blocks()
    assert len(blocks) == 5

    def run(block: str) -> subprocess.CompletedProcess:
        proc = subprocess.run(["bash", "-euo", "pipefail", "-c", block], cwd=workdir, env=env, capture_output=True,
                              text=True, timeout=300)
        assert proc.returncode == 0, f"runbook block failed ({proc.returncode}):\n{block}\n{proc.stdout}\n{proc.stderr}"
        return proc

    # 2. Local rehearsal.
    rehearsal = run(blocks[0])
    assert "Readiness check passed." in rehearsal.stdout
    results = workdir / "sweep-results"

    # The deployed runtime would have written the same objects to the bucket.
    s3 = moto.client("s3")
    for path in sorted(p for p in results.rglob("*") if p.is_file()):
        s3.put_object(Bucket=moto.bucket, Key=path.relative_to(results).as_posix(), Body=path.read_bytes())

    # 4. Verify stored outcomes.
    verify = run(blocks[1])
    assert "4 succeeded, 0 failed" in verify.stdout and "complete" in verify.stdout, verify.stdout
    assert verify.stdout.count("\n") >= 3 and "successful_points" in verify.stdout

    # 5. Athena setup.
    apply = run(blocks[2])
    assert "Dry run only; no Athena queries executed." in apply.stdout
    assert apply.stdout.strip().endswith("Athena SQL execution completed successfully.")

    # 6. Ingest: moto answers the two readiness queries with what the local engine computes.
    seeded = [EMPTY_RESULT] * 15  # the tables plan (tables and views); partition projection: no partition statement
    for query in ("query_run_readiness", "query_missing_shards"):
        proc = subprocess.run([str(cli), "query", query, "--run-id", "demo-run-001", "--results-dir", str(results)],
                              cwd=workdir, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        seeded.append(csv_to_result(proc.stdout))
    seed_results(moto, seeded)
    ingest = run(blocks[3])
    assert "- engine: athena" in ingest.stdout and ingest.stdout.strip().endswith("Readiness check passed.")
    executions = moto.client("athena").list_query_executions(WorkGroup=WORKGROUP)["QueryExecutionIds"]
    assert len(executions) == 25 + 17  # the apply's 25 files, then the ingest's 17 statements

    # 7. A query on Athena prints what the local engine prints for the same run.
    local = subprocess.run([str(cli), "query", "query_run_level_profile", "--run-id", "demo-run-001",
                            "--results-dir", str(results)], cwd=workdir, capture_output=True, text=True, timeout=120)
    assert local.returncode == 0, local.stderr
    seed_results(moto, [csv_to_result(local.stdout)])
    query = run(blocks[4])
    assert query.stdout == local.stdout
