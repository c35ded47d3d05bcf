"""How the Terraform suite finds the CLI and the provider mirror, and the message when either is missing."""

from __future__ import annotations

import pytest

from terraform_cli import MissingTool, find_provider_mirror, find_terraform


def test_a_missing_cli_is_named(monkeypatch, tmp_path):
    monkeypatch.delenv("RIDESWEEP_TERRAFORM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(MissingTool, match=r"Terraform CLI not found: .*`terraform` on PATH .*install"):
        find_terraform()


def test_a_missing_mirror_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("RIDESWEEP_TF_PLUGIN_DIR", str(tmp_path))
    with pytest.raises(MissingTool, match=r"registry.terraform.io/hashicorp/aws 5.x not found .*" + str(tmp_path)):
        find_provider_mirror()


def test_a_mirror_folder_is_found_by_its_layout(monkeypatch, tmp_path):
    binary = tmp_path / "registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64/terraform-provider-aws_v5.100.0_x5"
    binary.parent.mkdir(parents=True)
    binary.write_bytes(b"")
    monkeypatch.setenv("RIDESWEEP_TF_PLUGIN_DIR", str(tmp_path))
    assert find_provider_mirror() == tmp_path
