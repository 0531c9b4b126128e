"""Builders for answer dicts in instrument tests (no scoring logic here)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

T = TypeVar("T")


def numbered(prefix: str, values: list[int], start: int = 1) -> dict[str, int]:
    """{"<prefix>-1": values[0], ...}."""
    return {f"{prefix}-{n}": v for n, v in enumerate(values, start=start)}


def without(answers: Mapping[str, T], *link_ids: str) -> dict[str, T]:
    """A copy of `answers` with `link_ids` left unanswered."""
    return {k: v for k, v in answers.items() if k not in link_ids}
