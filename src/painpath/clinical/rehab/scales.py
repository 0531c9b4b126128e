"""Range checks for the rating scales the rehabilitation rules consume."""

from __future__ import annotations

from painpath.clinical.errors import InvalidAnswer

NRS_MAX = 10  # 0-10 numeric rating scale (pain, discomfort)
FEAR_MAX = 100  # 0-100 harm/fear rating (PHODA-style, Vlaeyen & Linton 2000)


def check_nrs(value: int, what: str) -> int:
    """Return `value` if it is an integer 0-10, else raise InvalidAnswer naming `what`."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= NRS_MAX:
        raise InvalidAnswer(f"{what} must be an integer 0-{NRS_MAX}, got {value!r}")
    return value


def check_fear(value: int, what: str) -> int:
    """Return `value` if it is an integer 0-100, else raise InvalidAnswer naming `what`."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= FEAR_MAX:
        raise InvalidAnswer(f"{what} must be an integer 0-{FEAR_MAX}, got {value!r}")
    return value


def check_range(value: int, low: int, high: int, what: str) -> int:
    """Return `value` if it is an integer within [low, high], else raise InvalidAnswer."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidAnswer(f"{what} must be an integer {low}-{high}, got {value!r}")
    return value
