"""Jinja2 environment with the filters every page uses (times in the viewer's zone)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from painpath.web.nav import nav_for

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"


def localtime(value: datetime, zone: str = "UTC") -> str:
    return value.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z")


templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.filters["localtime"] = localtime
templates.env.globals["nav_for"] = nav_for


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a page; the signed-in session (context["active"]) supplies the CSRF token."""
    active = context.get("active")
    context.setdefault("csrf_token", active.csrf_token if active else None)
    return templates.TemplateResponse(request, name, context, status_code=status_code)


async def form_fields(request: Request) -> dict[str, str]:
    """The text fields of a submitted form (file uploads are not text and are left out)."""
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
