"""The painpath command line. Errors print one line and exit with status 1 (2 for usage errors)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, NoReturn, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import Progress
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from painpath.bootstrap import Container, bootstrap
from painpath.clinical.errors import DomainError
from painpath.config import Settings
from painpath.records import migrate
from painpath.records.enums import Role
from painpath.security.audit_chain import ChainReport
from painpath.services import audit, backup, demo, users
from painpath.services.errors import Conflict, ServiceError

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="painpath clinic application",
)
db_app = typer.Typer(no_args_is_help=True, help="Database schema")
users_app = typer.Typer(no_args_is_help=True, help="User accounts")
audit_app = typer.Typer(no_args_is_help=True, help="Audit log")
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")
out = Console()
err = Console(stderr=True)
T = TypeVar("T")


def fail(message: str) -> NoReturn:
    err.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def run(action: Callable[[], T]) -> T:
    """Turn every expected failure into one line on stderr and exit status 1."""
    try:
        return action()
    except (ServiceError, DomainError) as exc:
        fail(str(exc))
    except ValidationError as exc:
        first = exc.errors()[0]
        fail(f"configuration: {'.'.join(map(str, first['loc']))}: {first['msg']}")
    except OperationalError as exc:
        fail(f"database unavailable: {str(exc.orig).splitlines()[0]}")
    except SQLAlchemyError as exc:
        fail(f"database error: {str(exc).splitlines()[0]}")
    except OSError as exc:
        fail(str(exc))


def container() -> Container:
    return run(lambda: bootstrap(Settings()))


def _ensure_sqlite_dir(c: Container) -> None:
    database = c.engine.url.database
    if c.engine.dialect.name == "sqlite" and database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)


@db_app.command("upgrade")
def db_upgrade(revision: str = "heads") -> None:
    """Apply migrations up to REVISION (default: the latest)."""
    c = container()
    _ensure_sqlite_dir(c)
    run(lambda: migrate.upgrade(c.engine, revision))
    out.print(f"database at revision {migrate.current_revision(c.engine)}")


@db_app.command("current")
def db_current() -> None:
    """Print the schema revision of the database."""
    c = container()
    out.print(run(lambda: migrate.current_revision(c.engine)) or "empty (run: painpath db upgrade)")


@app.command("demo")
def seed_demo(
    if_empty: Annotated[bool, typer.Option("--if-empty", help="Do nothing if users exist")] = False,
    patients: Annotated[int, typer.Option(min=2, max=5000)] = 40,
    seed: int = 7,
) -> None:
    """Seed the demo clinic (personas, 2 care teams, generated patients) and print the logins."""
    c = container()
    _require_schema(c)

    def go() -> list[demo.DemoLogin]:
        with c.uow() as uow:
            return demo.seed_demo(uow, now=c.clock(), seed=seed, patient_count=patients)

    try:
        logins = run(go) if not if_empty else go()
    except ServiceError as exc:
        if not isinstance(exc, Conflict):
            fail(str(exc))
        out.print("demo clinic already present; logins:")
        logins = [*demo.STAFF, *demo.PATIENT_LOGINS]
    out.print(f"Demo logins (password for every account: {demo.DEMO_PASSWORD})")
    for login in logins:
        out.print(
            f"  {login.username:<36} {login.role.value:<16} {login.full_name}", soft_wrap=True
        )


def _require_schema(c: Container) -> None:
    current = run(lambda: migrate.current_revision(c.engine))
    if current != migrate.head_revision(c.engine):
        fail(f"database schema is at {current or 'nothing'}; run 'painpath db upgrade' first")


@app.command("serve")
def serve(
    host: str = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64)] = 1,
) -> None:
    """Serve the web app and the API."""
    import uvicorn

    c = container()
    _require_schema(c)
    out.print(f"painpath on http://{host}:{port}  (API docs: http://{host}:{port}/api/docs)")
    uvicorn.run(
        "painpath.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        log_config=None,
    )


@users_app.command("create")
def users_create(
    username: Annotated[str, typer.Argument(help="E-mail address used to sign in")],
    role: Annotated[Role, typer.Option(case_sensitive=False)],
    full_name: Annotated[str, typer.Option("--name")] = "",
    team: Annotated[list[str] | None, typer.Option(help="Care team name (repeatable)")] = None,
    patient_id: Annotated[int | None, typer.Option(help="For role patient: their record")] = None,
    totp: Annotated[bool, typer.Option("--totp", help="Require a TOTP second factor")] = False,
    password_stdin: Annotated[bool, typer.Option("--password-stdin")] = False,
) -> None:
    """Create a user. The password is read from stdin (--password-stdin) or prompted for."""
    password = (
        sys.stdin.readline().rstrip("\n")
        if password_stdin
        else typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    )
    c = container()
    _require_schema(c)

    def go() -> users.CreatedUser:
        with c.uow() as uow:
            return users.create_user(
                uow,
                username=username,
                full_name=full_name,
                role=role,
                password=password,
                now=c.clock(),
                team_names=team or [],
                patient_id=patient_id,
                with_totp=totp,
            )

    created = run(go)
    out.print(f"created user {created.id} {created.username} ({created.role.value})")
    if created.totp_uri:
        out.print(f"TOTP enrolment URI (show once, as a QR code): {created.totp_uri}")


@users_app.command("create-team")
def users_create_team(name: str, description: str = "") -> None:
    """Create a care team."""
    c = container()
    _require_schema(c)

    def go() -> int:
        with c.uow() as uow:
            return users.create_care_team(uow, name=name, description=description)

    out.print(f"created care team {run(go)} {name}")


@app.command("backup")
def backup_cmd(path: Path) -> None:
    """Write a consistent snapshot of the whole database to PATH (gzip'd JSON lines)."""
    c = container()
    _require_schema(c)
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("backing up", total=None)
        summary = run(
            lambda: backup.backup(
                c.engine,
                path,
                progress=lambda table, n: progress.update(task, description=table, advance=n),
            )
        )
    out.print(
        f"backup written to {summary.path}: {sum(summary.rows.values())} rows, schema {summary.revision}"
    )


@app.command("restore")
def restore_cmd(
    path: Path,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm replacing all current data")] = False,
) -> None:
    """Replace ALL data with the snapshot in PATH (checked first; all or nothing)."""
    c = container()
    _require_schema(c)
    run(lambda: backup.verify_file(path))
    if not yes and not typer.confirm("This replaces all current data. Continue?"):
        fail("restore cancelled")
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("restoring", total=None)
        rows = run(
            lambda: backup.restore(
                c.engine,
                path,
                progress=lambda table, n: progress.update(task, description=table, advance=n),
            )
        )
    out.print(f"restored {sum(rows.values())} rows from {path}")


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the audit log's hash chain; exit 1 if any entry was edited, removed or reordered."""
    c = container()
    _require_schema(c)

    def go() -> ChainReport:
        with c.uow() as uow:
            return audit.verify_chain(uow)

    report = run(go)
    if not report.is_intact:
        fail(f"audit log broken at entry {report.first_broken_seq}: {report.problem}")
    out.print(f"audit log intact: {report.checked} entries verified")


def _register_capability_commands() -> None:
    import importlib
    import pkgutil

    import painpath.commands as commands_package

    for info in sorted(pkgutil.iter_modules(commands_package.__path__), key=lambda i: i.name):
        importlib.import_module(f"painpath.commands.{info.name}").register(app)


_register_capability_commands()


def main() -> None:
    """Entry point: usage errors are one line too (click would draw a multi-line panel)."""
    try:
        result = app(standalone_mode=False)
    except typer.Abort:
        err.print("error: aborted", markup=False)
        sys.exit(1)
    except typer.TyperException as exc:
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        if message:
            err.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(getattr(exc, "exit_code", 2))
    sys.exit(result if isinstance(result, int) else 0)
