"""Decision points fire from their due date with the data used; rules load from shipped data."""

from datetime import date
from decimal import Decimal

import pytest

from painpath.clinical.errors import UnknownCode
from painpath.clinical.goals import (
    DecisionPoint,
    DecisionStatus,
    InvalidRule,
    Observation,
    evaluate_decision_point,
    load_decision_rules,
    merge_rules,
)

RULES = load_decision_rules()
PLAN_START = date(2026, 9, 7)
WEEK_8 = date(2026, 11, 2)  # 2026-09-07 + 56 days


def peg(on: date, value: str) -> Observation:
    return Observation("peg", on, Decimal(value))


PEG_POINT = DecisionPoint("dp-1", "peg-mcid-week-8", WEEK_8, baseline_on=PLAN_START)
PEG_HISTORY = [
    peg(PLAN_START, "6.7"),
    peg(date(2026, 10, 5), "6.3"),
    peg(date(2026, 10, 30), "6.0"),
]

PEG_CASES = [
    # The day before the due date the point is not due, whatever the data say.
    pytest.param(date(2026, 11, 1), PEG_HISTORY, DecisionStatus.NOT_DUE, (), id="day-before-due"),
    # On the due date: 6.7 -> 6.0 is an improvement of 0.7 < MCID 1 -> fires; data = baseline + latest.
    pytest.param(
        WEEK_8,
        PEG_HISTORY,
        DecisionStatus.FIRED,
        (PEG_HISTORY[0], PEG_HISTORY[2]),
        id="fires-on-due-date",
    ),
    # 6.7 -> 5.7 improves by exactly 1.0 = MCID -> does not fire.
    pytest.param(
        WEEK_8,
        [*PEG_HISTORY, peg(date(2026, 11, 2), "5.7")],
        DecisionStatus.NOT_FIRED,
        (PEG_HISTORY[0], peg(date(2026, 11, 2), "5.7")),
        id="improved-exactly-mcid",
    ),
    # A value dated after `today` is not visible yet: evaluation on the due date still fires.
    pytest.param(
        WEEK_8,
        [*PEG_HISTORY, peg(date(2026, 11, 3), "3.0")],
        DecisionStatus.FIRED,
        (PEG_HISTORY[0], PEG_HISTORY[2]),
        id="ignores-future-data",
    ),
    # Last PEG 2026-10-05 is older than due - 14 days (2026-10-19): insufficient, not "fine".
    pytest.param(
        WEEK_8,
        PEG_HISTORY[:2],
        DecisionStatus.INSUFFICIENT_DATA,
        (PEG_HISTORY[0],),
        id="stale-data-insufficient",
    ),
    pytest.param(WEEK_8, [], DecisionStatus.INSUFFICIENT_DATA, (), id="no-baseline"),
]


@pytest.mark.parametrize(("today", "history", "status", "used"), PEG_CASES)
def test_peg_decision_point(
    today: date, history: list[Observation], status: DecisionStatus, used: tuple[Observation, ...]
) -> None:
    outcome = evaluate_decision_point(PEG_POINT, RULES, history, today=today)
    assert outcome.status is status
    assert outcome.data_used == used
    assert outcome.is_due is (status is not DecisionStatus.NOT_DUE)
    assert outcome.rule_version == 1
    assert "Reed" in outcome.source


TRIAL_POINT = DecisionPoint("dp-2", "medication-trial-non-response", date(2026, 10, 19), PLAN_START)


def obs(code: str, on: date, value: str) -> Observation:
    return Observation(code, on, Decimal(value))


TRIAL_CASES = [
    # NRS 8 -> 6: (8-6)/8 = 25 % < 30 %; PGIC 3 (minimally improved) >= 3 -> both hold -> fires.
    pytest.param("6", "3", DecisionStatus.FIRED, id="25pct-and-minimally-improved"),
    # NRS 8 -> 5.6: 2.4/8 = 30 % -> not < 30 -> does not fire even with PGIC 4.
    pytest.param("5.6", "4", DecisionStatus.NOT_FIRED, id="exactly-30pct"),
    # NRS 25 % but PGIC 2 (much improved) -> global responder -> does not fire.
    pytest.param("6", "2", DecisionStatus.NOT_FIRED, id="pgic-much-improved"),
]


@pytest.mark.parametrize(("nrs_now", "pgic", "status"), TRIAL_CASES)
def test_medication_trial_non_response_needs_both_conditions(
    nrs_now: str, pgic: str, status: DecisionStatus
) -> None:
    history = [
        obs("nrs-pain", PLAN_START, "8"),
        obs("nrs-pain", date(2026, 10, 18), nrs_now),
        obs("pgic", date(2026, 10, 18), pgic),
    ]
    outcome = evaluate_decision_point(TRIAL_POINT, RULES, history, today=date(2026, 10, 19))
    assert outcome.status is status
    assert outcome.action_code == "switch-or-add-first-line-class"
    assert len(outcome.data_used) == 3


def test_psfs_rule_treats_higher_as_better() -> None:
    point = DecisionPoint("dp-3", "rehab-psfs-week-6", date(2026, 10, 19), PLAN_START)
    # PSFS 3.0 -> 4.5: +1.5 < 2 -> no MCID -> fires (MDT review).
    history = [obs("psfs", PLAN_START, "3.0"), obs("psfs", date(2026, 10, 16), "4.5")]
    assert (
        evaluate_decision_point(point, RULES, history, today=date(2026, 10, 19)).status
        is DecisionStatus.FIRED
    )
    # 3.0 -> 5.0: +2.0 = MCID -> not fired.
    history[1] = obs("psfs", date(2026, 10, 16), "5.0")
    assert (
        evaluate_decision_point(point, RULES, history, today=date(2026, 10, 19)).status
        is DecisionStatus.NOT_FIRED
    )


def test_unknown_rule_code_raises() -> None:
    with pytest.raises(UnknownCode):
        evaluate_decision_point(DecisionPoint("x", "nope", WEEK_8), RULES, [], today=WEEK_8)


def test_every_shipped_rule_has_source_and_docs_page_mentions_it() -> None:
    from pathlib import Path

    doc = (Path(__file__).parents[3] / "docs" / "goals" / "decision_rules.md").read_text("utf-8")
    for code, rule in RULES.items():
        assert rule.source.strip(), code
        assert f"`{code}`" in doc, code


CLINIC_TOML = """
[[rule]]
code = "peg-mcid-week-8"
version = 2
title = "PEG not improved by 2 points (clinic rule)"
action_code = "review-medication-trial-and-therapy-intensity"
source = "Clinic governance minute 2026-14"
verified = false
  [[rule.condition]]
  kind = "not-improved-by"
  instrument_code = "peg"
  amount = 2
"""


def test_clinic_override_replaces_rule_and_changes_outcome() -> None:
    rules = merge_rules(RULES, load_decision_rules(CLINIC_TOML))
    history = [peg(PLAN_START, "6.7"), peg(date(2026, 10, 30), "5.2")]
    # Default MCID 1: 6.7 -> 5.2 improves by 1.5 >= 1 -> not fired; clinic rule needs 2 -> fired.
    assert (
        evaluate_decision_point(PEG_POINT, RULES, history, today=WEEK_8).status
        is DecisionStatus.NOT_FIRED
    )
    outcome = evaluate_decision_point(PEG_POINT, rules, history, today=WEEK_8)
    assert outcome.status is DecisionStatus.FIRED
    assert outcome.rule_version == 2


def test_override_must_raise_version() -> None:
    stale = load_decision_rules(CLINIC_TOML.replace("version = 2", "version = 1"))
    with pytest.raises(InvalidRule):
        merge_rules(RULES, stale)
