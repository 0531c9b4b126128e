"""Jinja2 environment with the filters every page uses (times in the viewer's zone)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi.templating import Jinja2Templates

from painpath.web.nav import nav_for

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"


def localtime(value: datetime, zone: str = "UTC") -> str:
    return value.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z")


templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.filters["localtime"] = localtime
templates.env.globals["nav_for"] = nav_for
