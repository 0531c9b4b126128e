"""Docs stay true: every CLI command and every setting is described in the README."""

from __future__ import annotations

from pathlib import Path

import typer

from painpath.cli import app
from painpath.config import Settings

README = (Path(__file__).parents[2] / "README.md").read_text()


def command_paths(group: typer.Typer, prefix: str = "") -> list[str]:
    paths = [
        f"{prefix}{c.name or (c.callback.__name__ if c.callback else '')}"
        for c in group.registered_commands
    ]
    for sub in group.registered_groups:
        assert sub.typer_instance is not None
        paths += command_paths(sub.typer_instance, f"{prefix}{sub.name} ")
    return paths


def test_docs_readme_names_every_cli_command() -> None:
    commands = command_paths(app)
    assert len(commands) >= 8
    missing = [
        c for c in commands if f"painpath {c}" not in README and f"`{c.split()[-1]}" not in README
    ]
    assert missing == []


def test_docs_readme_names_every_setting() -> None:
    missing = [name for name in Settings.model_fields if f"PAINPATH_{name.upper()}" not in README]
    assert missing == []
