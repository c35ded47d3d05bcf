"""T26: scripts/check_no_cloud_secrets.sh detects each secret pattern of spec/sweep.md §16 in a temporary git repo.

Fake credentials are assembled at run time so that this file itself never contains a match.
"""

from __future__ import annotations

import pathlib
import shutil
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "check_no_cloud_secrets.sh"
CLEAN_MESSAGE = "No obvious cloud secrets detected in tracked files."

ACCESS_KEY = "AKIA" + "Q7RT2XWZ4PLM8NVB"  # 16 characters after the prefix
SECRET_KEY = "kP3" + "x" * 30 + "/+Ab9Zq"  # 40 characters of the key alphabet
TOKEN_VALUE = "FwoGZXIvYXdz" + "EJr" * 10
PRIVATE_KEY_HEADER = "-----BEGIN " + "RSA PRIVATE KEY-----"


def _git(repo: pathlib.Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path) -> pathlib.Path:
    _git(tmp_path, "init", "-q")
    (tmp_path / "scripts").mkdir()
    shutil.copy(SCRIPT, tmp_path / "scripts" / SCRIPT.name)
    (tmp_path / "README.md").write_text("nothing to see\n")
    _git(tmp_path, "add", "-A")
    return tmp_path


def _track(repo: pathlib.Path, relative: str, text: str) -> None:
    path = repo / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    _git(repo, "add", "-f", relative)


def _scan(repo: pathlib.Path) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(repo / "scripts" / SCRIPT.name)], cwd=repo, capture_output=True, text=True)


def test_clean_tree_exits_zero(repo):
    result = _scan(repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout == CLEAN_MESSAGE + "\n"


@pytest.mark.parametrize("text, match, check", [
    (f"key = {ACCESS_KEY}\n", ACCESS_KEY, "AWS access key id"),
    (f'aws_secret_access_key = "{SECRET_KEY}"\n', f'aws_secret_access_key = "{SECRET_KEY}',
     "AWS secret key assignment"),
    (f"AWS_SECRET_ACCESS_KEY:{SECRET_KEY}\n", f"AWS_SECRET_ACCESS_KEY:{SECRET_KEY}", "AWS secret key assignment"),
    (f"{PRIVATE_KEY_HEADER}\nMIIEow\n", PRIVATE_KEY_HEADER, "private key block"),
    (f"export AWS_SESSION_TOKEN={TOKEN_VALUE}\n", f"AWS_SESSION_TOKEN={TOKEN_VALUE}", "AWS temporary token assignment"),
    (f'AWS_SECURITY_TOKEN: "{TOKEN_VALUE}"\n', f'AWS_SECURITY_TOKEN: "{TOKEN_VALUE}', "AWS temporary token assignment"),
])
def test_each_pattern_is_reported_with_its_check_name(repo, text, match, check):
    _track(repo, "config/settings.txt", "first line\n" + text)
    result = _scan(repo)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "Potential secrets detected:"
    assert f"- config/settings.txt:2:{match} ({check})" in lines


def test_secret_assignment_check_is_case_insensitive(repo):
    _track(repo, "a.ini", f"Aws_Secret_Access_Key={SECRET_KEY}\n")
    result = _scan(repo)
    assert result.returncode == 1
    assert "(AWS secret key assignment)" in result.stdout


@pytest.mark.parametrize("text", [
    "AKIA" + "IOSFODNN7" + "EXAMPLE\n",
    "aws_secret_access_key = " + "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY\n",
    "AWS_SESSION_TOKEN=" + "EXAMPLE" + "TOKENVALUE0123456789abcdef\n",
])
def test_documented_example_credentials_are_ignored(repo, text):
    _track(repo, "tests/sigv4_vectors.txt", text)
    result = _scan(repo)
    assert result.returncode == 0, result.stdout
    assert result.stdout == CLEAN_MESSAGE + "\n"


@pytest.mark.parametrize("relative", [".env", ".env.local", "deploy/.env", "deploy/.env.local"])
def test_env_files_are_excluded(repo, relative):
    _track(repo, relative, f"AWS_ACCESS_KEY_ID={ACCESS_KEY}\n")
    assert _scan(repo).returncode == 0


def test_untracked_files_are_not_scanned(repo):
    (repo / "notes.txt").write_text(f"{ACCESS_KEY}\n")
    assert _scan(repo).returncode == 0


def test_all_findings_are_listed(repo):
    _track(repo, "one.txt", f"{ACCESS_KEY}\n")
    _track(repo, "two/key.pem", f"{PRIVATE_KEY_HEADER}\n")
    result = _scan(repo)
    assert result.returncode == 1
    assert result.stdout.splitlines()[1:] == [
        f"- one.txt:1:{ACCESS_KEY} (AWS access key id)",
        f"- two/key.pem:1:{PRIVATE_KEY_HEADER} (private key block)",
    ]


def test_this_repository_is_clean():
    result = subprocess.run(["bash", str(SCRIPT)], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
