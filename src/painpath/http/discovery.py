"""Finds the routers of capability modules: painpath/api/routes_*.py and painpath/web/routes_*.py,
each exposing `router`. Adding a capability needs no edit to a shared file."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from fastapi import APIRouter


def routers_in(package: ModuleType) -> list[APIRouter]:
    found = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name.startswith("routes_"):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            found.append(module.router)
    return found
