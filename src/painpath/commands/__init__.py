"""CLI command groups of capability modules. Each module here exposes `register(app: typer.Typer)`;
painpath.cli discovers them, so a capability adds commands without editing cli.py."""
