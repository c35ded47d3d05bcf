"""Command-line conventions of the real binary: --version, --help of every subcommand, "did you mean" for mistyped
subcommands and flags (exit 2, hint on stderr, nothing on stdout), and shell completion scripts that a real bash
loads and answers from."""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest

import e2e_support as e2e

SUBCOMMANDS = ["simulate", "run", "serve", "status", "query", "export", "ingest", "report", "compare", "athena", "submit",
               "runs", "cancel", "completion"]


def test_version_names_version_revision_build_and_duckdb(cli):
    result = cli.run("--version")
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"ridesweep \d+\.\d+\.\d+ \(git ([0-9a-f]{12}(-dirty)?|unknown), \w+ build, DuckDB v[\d.]+\)\n",
                        result.stdout), result.stdout


@pytest.mark.parametrize("path", [[s] for s in SUBCOMMANDS] + [["athena", "apply"], ["runs", "list"], ["runs", "show"],
                                                                ["runs", "delete"]], ids=" ".join)
def test_every_subcommand_has_help(cli, path):
    result = cli.run(*path, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(path[-1].capitalize()) or "Usage:" in result.stdout, result.stdout
    assert "--help" in result.stdout


@pytest.mark.parametrize("args, hint", [
    (["rn"], "'rn' is not a ridesweep command. Did you mean 'run'?"),
    (["quary", "x"], "'quary' is not a ridesweep command. Did you mean 'query'?"),
    (["athena", "aply"], "'aply' is not a ridesweep athena command. Did you mean 'apply'?"),
    (["run", "req.json", "--resuls-dir", "x"], "unknown flag --resuls-dir for 'ridesweep run'. Did you mean --results-dir?"),
    (["status", "--run-di=x"], "unknown flag --run-di for 'ridesweep status'. Did you mean --run-id?"),
    (["frobnicate"], "'frobnicate' is not a ridesweep command. See 'ridesweep --help'."),
])
def test_typos_get_a_suggestion_and_exit_2(cli, args, hint):
    result = cli.run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert hint in result.stderr, result.stderr


def test_missing_subcommand_and_bad_flag_values_exit_2(cli):
    assert cli.run().returncode == 2
    assert cli.run("run", "--threads", "many", "x.json").returncode == 2
    assert cli.run("completion", "tcsh").returncode == 2


def _bash_complete(cli, words: list[str]) -> list[str]:
    script = cli.run("completion", "bash")
    assert script.returncode == 0, script.stderr
    line = " ".join(words)
    program = (f"{script.stdout}\nCOMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; _ridesweep; "
               'printf "%s\\n" "${COMPREPLY[@]}"')
    result = subprocess.run(["bash", "--norc", "-c", program], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    return [w for w in result.stdout.splitlines() if w]


def test_bash_completion_completes_subcommands_and_flags(cli):
    assert _bash_complete(cli, ["ridesweep", "ru"]) == ["run", "runs"]
    assert _bash_complete(cli, ["ridesweep", "runs", "d"]) == ["delete"]
    assert _bash_complete(cli, ["ridesweep", "run", "--res"]) == ["--results-dir", "--results-prefix"]
    assert _bash_complete(cli, ["ridesweep", "athena", "ap"]) == ["apply"]
    assert "--run-id" in _bash_complete(cli, ["ridesweep", "status", "--"])


def test_fish_and_zsh_scripts_name_every_subcommand(cli):
    fish = cli.run("completion", "fish").stdout
    zsh = cli.run("completion", "zsh").stdout
    for sub in SUBCOMMANDS:
        assert f"-a {sub} " in fish
        assert f"'|{sub}') path=\"{sub}\"" in zsh
    assert "bashcompinit" in zsh
    assert "-l results-dir" in fish


def _run_without_region(cli, *args) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("AWS_REGION", "AWS_DEFAULT_REGION")}
    return subprocess.run([str(cli.binary), *args], capture_output=True, text=True, timeout=60, env=env)


def test_athena_option_names_are_one_set_and_old_names_still_work(cli):
    new = _run_without_region(cli, "athena", "apply", "--dry-run", "--athena-query-output", "s3://q/out/",
                              "--results-bucket", "b", "--athena-database", "team_db", "--athena-workgroup", "wg")
    old = _run_without_region(cli, "athena", "apply", "--dry-run", "--query-results-s3", "s3://q/out/",
                              "--results-bucket", "b", "--database", "team_db", "--workgroup", "wg")
    assert new.returncode == 0, new.stderr  # a dry run calls nothing: no region needed
    assert old.returncode == 0, old.stderr
    assert new.stdout == old.stdout
    for database_flag in ["--athena-database", "--database"]:  # the alias reaches the same setting
        bad = _run_without_region(cli, "athena", "apply", "--dry-run", "--athena-query-output", "s3://q/out/",
                                  "--results-bucket", "b", database_flag, "Bad-Name!")
        assert bad.returncode == 2 and "Invalid value for ${database}: Bad-Name!" in bad.stderr, bad.stderr
    real = _run_without_region(cli, "athena", "apply", "--athena-query-output", "s3://q/out/", "--results-bucket", "b")
    assert real.returncode == 2 and "--region is required" in real.stderr
    help_text = cli.run("athena", "apply", "--help").stdout
    assert "--athena-query-output" in help_text and "--query-results-s3" not in help_text
    for command in ["query", "ingest"]:
        text = cli.run(command, "--help").stdout
        assert "--athena-database" in text and "--athena-db" not in text, text


def test_simulate_params_takes_inline_json_a_file_or_stdin(cli, tmp_path):
    inline = cli.run("simulate", "--params", '{"num_riders": 40, "num_drivers": 10}', "--json")
    assert inline.returncode == 0, inline.stderr
    path = tmp_path / "params.json"
    path.write_text('{"num_riders": 40, "num_drivers": 10}')
    from_file = cli.run("simulate", "--params", path, "--json")
    from_stdin = cli.run("simulate", "--params", "-", "--json", stdin='{"num_riders": 40, "num_drivers": 10}')
    assert from_file.returncode == 0 and from_stdin.returncode == 0
    metrics = [json.loads(p.stdout)["metrics"] for p in (inline, from_file, from_stdin)]
    assert metrics[0] == metrics[1] == metrics[2]

    broken = cli.run("simulate", "--params", '{"num_riders": 40,\n "num_drivers": }')
    assert broken.returncode == 2 and broken.stdout == ""
    assert "parameters are not valid JSON: " in broken.stderr and "at line 2 column" in broken.stderr, broken.stderr
    missing = cli.run("simulate", "--params", tmp_path / "nope.json")
    assert missing.returncode == 2
    assert "--params takes a file, '-' for standard input, or a JSON object" in missing.stderr


def test_log_format_quiet_and_verbose(cli, tmp_path):
    request = e2e.REPO / "examples/failure-injection-request.json"  # one injected failure: an error log line
    as_json = cli.run("run", request, "--results-dir", tmp_path / "a", "--log-format", "json")
    events = [json.loads(line) for line in as_json.stderr.splitlines() if line.startswith("{")]
    assert [e["event"] for e in events if e.get("level") == "error"] == ["shard_failed"]
    human = cli.run("--log-format", "human", "run", request, "--results-dir", tmp_path / "b")
    lines = [line for line in human.stderr.splitlines() if " shard_failed " in line]
    assert len(lines) == 1 and re.match(r"\d\d:\d\d:\d\d error shard_failed .*error_code=injected_failure", lines[0])
    assert not any(line.startswith("{") for line in human.stderr.splitlines())
    quiet = cli.run("run", request, "--results-dir", tmp_path / "c", "--quiet")
    assert "points/s" not in quiet.stderr  # no progress bar
    assert [json.loads(line)["event"] for line in quiet.stderr.splitlines() if line.startswith("{")] == ["shard_failed"]
    verbose = cli.run("run", request, "--results-dir", tmp_path / "d", "--verbose")
    verbose_events = {json.loads(line)["event"] for line in verbose.stderr.splitlines() if line.startswith("{")}
    assert {"run_accepted", "shard_started", "shard_failed"} <= verbose_events
    assert quiet.returncode == verbose.returncode == human.returncode == as_json.returncode == 1
