from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from painpath.security import audit_chain


def chain(n: int) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    prev = audit_chain.GENESIS_HASH
    for seq in range(1, n + 1):
        event: dict[str, Any] = {
            "seq": seq,
            "occurred_at": datetime(2026, 1, 1, 12, seq, tzinfo=UTC),
            "actor_id": 1,
            "actor_username": "u",
            "actor_role": "physician",
            "patient_id": 5,
            "action": "patient.read",
            "resource": "demographics",
            "resource_id": None,
            "outcome": "granted",
            "request_id": "r",
            "detail": "",
        }
        event["prev_hash"] = prev
        event["hash"] = prev = audit_chain.event_hash(prev, event)
        events.append(event)
    return events


def test_audit_chain_intact_chain_verifies() -> None:
    report = audit_chain.verify(chain(5))
    assert report.is_intact and report.checked == 5


def test_audit_chain_detects_an_edited_field() -> None:
    events = chain(5)
    events[2]["patient_id"] = 6
    report = audit_chain.verify(events)
    assert report.first_broken_seq == 3 and "altered" in (report.problem or "")


def test_audit_chain_detects_a_deleted_entry() -> None:
    events = chain(5)
    del events[1]
    assert audit_chain.verify(events).first_broken_seq == 3


def test_audit_chain_detects_a_recomputed_hash_without_its_successor() -> None:
    events = chain(4)
    events[1]["detail"] = "forged"
    events[1]["hash"] = audit_chain.event_hash(events[1]["prev_hash"], events[1])
    assert audit_chain.verify(events).first_broken_seq == 3
