"""Imports every model module so the metadata (Alembic, backup, tests) sees every table.

Capability modules put their models in `painpath/records/models_<area>.py`; nothing to register.
"""

from __future__ import annotations

import importlib
import pkgutil

import painpath.records as records_package
from painpath.records import models  # noqa: F401  (foundation tables)


def load_all_models() -> None:
    for info in pkgutil.iter_modules(records_package.__path__):
        if info.name.startswith("models_"):
            importlib.import_module(f"painpath.records.{info.name}")


load_all_models()
