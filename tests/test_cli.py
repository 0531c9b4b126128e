"""Every painpath command through Typer's CliRunner, against the database under test."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from painpath.bootstrap import Container
from painpath.cli import app
from painpath.records.models import AuditEvent

runner = CliRunner()


@pytest.fixture
def cli_env(container: Container, monkeypatch: pytest.MonkeyPatch) -> Container:
    monkeypatch.setenv("PAINPATH_DATABASE_URL", container.settings.database_url)
    monkeypatch.setenv("PAINPATH_ENV", "test")
    return container


def test_cli_db_upgrade_and_demo_seed_print_logins(cli_env: Container) -> None:
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["demo", "--patients", "10"])
    assert result.exit_code == 0, result.output
    assert "maya.okafor@demo.painpath.org" in result.output and "painpath-demo" in result.output
    again = runner.invoke(app, ["demo"])
    assert again.exit_code == 1
    assert again.output.count("\n") == 1 and again.output.startswith("error:")
    assert runner.invoke(app, ["demo", "--if-empty"]).exit_code == 0


def test_cli_users_create_and_one_line_errors(cli_env: Container) -> None:
    runner.invoke(app, ["demo", "--patients", "4"])
    ok = runner.invoke(
        app,
        [
            "users",
            "create",
            "new.physio@clinic.org",
            "--role",
            "physiotherapist",
            "--name",
            "New Physio",
            "--team",
            "Upper limb and nerve injury team",
            "--password-stdin",
        ],
        input="a-long-enough-password\n",
    )
    assert ok.exit_code == 0, ok.output
    duplicate = runner.invoke(
        app,
        ["users", "create", "new.physio@clinic.org", "--role", "physician", "--password-stdin"],
        input="a-long-enough-password\n",
    )
    assert duplicate.exit_code == 1 and "already exists" in duplicate.output
    weak = runner.invoke(
        app,
        ["users", "create", "x@clinic.org", "--role", "physician", "--password-stdin"],
        input="short\n",
    )
    assert weak.exit_code == 1 and "at least" in weak.output
    bad_team = runner.invoke(
        app,
        [
            "users",
            "create",
            "y@clinic.org",
            "--role",
            "physician",
            "--team",
            "Nope",
            "--password-stdin",
        ],
        input="a-long-enough-password\n",
    )
    assert bad_team.exit_code == 1 and "Nope" in bad_team.output
    bad_role = runner.invoke(
        app,
        ["users", "create", "z@clinic.org", "--role", "wizard", "--password-stdin"],
        input="x\n",
    )
    assert bad_role.exit_code == 2


def test_cli_backup_restore_and_audit_verify(cli_env: Container, tmp_path: Path) -> None:
    runner.invoke(app, ["demo", "--patients", "6"])
    path = tmp_path / "snap.jsonl.gz"
    made = runner.invoke(app, ["backup", str(path)])
    assert made.exit_code == 0, made.output
    restored = runner.invoke(app, ["restore", str(path), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0
    with cli_env.engine.begin() as connection:
        connection.execute(update(AuditEvent).values(detail="edited"))
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1 and "altered" in broken.output
    missing = runner.invoke(app, ["restore", str(tmp_path / "nope.gz"), "--yes"])
    assert missing.exit_code == 1 and "does not exist" in missing.output


def test_cli_bad_database_url_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAINPATH_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    result = runner.invoke(app, ["db", "current"])
    assert result.exit_code == 1
    assert result.output.startswith("error: database unavailable")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        pytest.param(
            ["users", "create", "x@clinic.org", "--role", "wizard"], "--role", id="bad-choice"
        ),
        pytest.param(["no-such-command"], "No such command", id="unknown-command"),
        pytest.param(["restore"], "Missing argument", id="missing-argument"),
    ],
)
def test_cli_usage_errors_are_one_line_on_stderr(args: list[str], needle: str) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "from painpath.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and needle in lines[0]
