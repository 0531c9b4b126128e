"""Typed readers for the shipped TOML rule tables (no `Any`: values are checked as they are read)."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from decimal import Decimal
from importlib import resources

from painpath.clinical.errors import DomainError

Table = Mapping[str, object]


class RuleTableError(DomainError):
    """A rule table (shipped or localised) is malformed; the message names the table and key."""


def read_shipped(filename: str) -> str:
    """Return the text of a data file shipped in `painpath.clinical.medications.data`."""
    return (
        resources.files("painpath.clinical.medications.data")
        .joinpath(filename)
        .read_text(encoding="utf-8")
    )


def parse(text: str, table: str) -> Table:
    """Parse TOML text with floats as Decimal (never float for doses)."""
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise RuleTableError(f"{table}: invalid TOML ({exc})") from exc


def sub(t: Table, key: str, where: str) -> Table:
    value = t.get(key)
    if not isinstance(value, Mapping):
        raise RuleTableError(f"{where}: '{key}' must be a table")
    return value


def opt_sub(t: Table, key: str, where: str) -> Table | None:
    return sub(t, key, where) if key in t else None


def table_list(t: Table, key: str, where: str) -> list[Table]:
    value = t.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise RuleTableError(f"{where}: '{key}' must be an array of tables")
    return [v for v in value if isinstance(v, Mapping)]


def string(t: Table, key: str, where: str) -> str:
    value = t.get(key)
    if not isinstance(value, str) or not value:
        raise RuleTableError(f"{where}: '{key}' must be a non-empty string")
    return value


def opt_string(t: Table, key: str, where: str) -> str | None:
    return string(t, key, where) if key in t else None


def boolean(t: Table, key: str, where: str, default: bool) -> bool:
    value = t.get(key, default)
    if not isinstance(value, bool):
        raise RuleTableError(f"{where}: '{key}' must be true or false")
    return value


def _to_decimal(value: object, key: str, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise RuleTableError(f"{where}: '{key}' must be a number")
    return Decimal(value)


def number(t: Table, key: str, where: str) -> Decimal:
    if key not in t:
        raise RuleTableError(f"{where}: '{key}' is required")
    return _to_decimal(t[key], key, where)


def opt_number(t: Table, key: str, where: str) -> Decimal | None:
    return number(t, key, where) if key in t else None


def integer(t: Table, key: str, where: str) -> int:
    value = t.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleTableError(f"{where}: '{key}' must be an integer")
    return value


def strings(t: Table, key: str, where: str) -> tuple[str, ...]:
    value = t.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RuleTableError(f"{where}: '{key}' must be an array of strings")
    return tuple(str(v) for v in value)


def numbers(t: Table, key: str, where: str) -> tuple[Decimal, ...]:
    value = t.get(key, [])
    if not isinstance(value, list):
        raise RuleTableError(f"{where}: '{key}' must be an array of numbers")
    return tuple(_to_decimal(v, key, where) for v in value)


def integers(t: Table, key: str, where: str) -> tuple[int, ...]:
    value = t.get(key, [])
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        raise RuleTableError(f"{where}: '{key}' must be an array of integers")
    return tuple(int(v) for v in value)


def pairs(t: Table, key: str, where: str) -> tuple[tuple[Decimal, int], ...]:
    """Read `[[dose, times], ...]` pairs."""
    value = t.get(key, [])
    if not isinstance(value, list):
        raise RuleTableError(f"{where}: '{key}' must be an array of [dose, times] pairs")
    out: list[tuple[Decimal, int]] = []
    for item in value:
        if not isinstance(item, Sequence) or len(item) != 2:
            raise RuleTableError(f"{where}: '{key}' must be an array of [dose, times] pairs")
        dose, times = item[0], item[1]
        if isinstance(times, bool) or not isinstance(times, int):
            raise RuleTableError(f"{where}: '{key}' times must be integers")
        out.append((_to_decimal(dose, key, where), times))
    return tuple(out)


def meta(t: Table, table: str) -> tuple[str, str]:
    """Return (version, source) of a table's [meta] section."""
    m = sub(t, "meta", table)
    return string(m, "version", f"{table}.meta"), string(m, "source", f"{table}.meta")
