"""Hash chain over audit events: each hash covers the event's fields and the previous hash.

Editing any stored field, deleting or re-ordering an entry breaks the chain from that point on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64
CHAINED_FIELDS = (
    "seq",
    "occurred_at",
    "actor_id",
    "actor_username",
    "actor_role",
    "patient_id",
    "action",
    "resource",
    "resource_id",
    "outcome",
    "request_id",
    "detail",
)


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        # Microseconds and UTC fixed so both engines produce the same text for the same instant.
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if hasattr(value, "value"):
        return value.value
    return value


def event_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    payload = {name: _canonical(fields[name]) for name in CHAINED_FIELDS}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256((prev_hash + text).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainReport:
    checked: int
    first_broken_seq: int | None
    problem: str | None

    @property
    def is_intact(self) -> bool:
        return self.problem is None


def verify(events: Iterable[Mapping[str, Any]]) -> ChainReport:
    """Walk events in seq order and report the first one that breaks the chain."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for event in events:
        seq = int(event["seq"])
        if seq != expected_seq:
            return ChainReport(checked, seq, f"entry {expected_seq} is missing (found {seq})")
        if event["prev_hash"] != expected_prev:
            return ChainReport(checked, seq, f"entry {seq} does not follow entry {seq - 1}")
        if event_hash(expected_prev, event) != event["hash"]:
            return ChainReport(checked, seq, f"entry {seq} was altered after it was written")
        expected_prev = str(event["hash"])
        expected_seq += 1
        checked += 1
    return ChainReport(checked, None, None)
