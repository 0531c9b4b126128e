"""Stepped-care routing from constructed score histories and decision points (issue 5)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from painpath.clinical.goals import Observation
from painpath.clinical.stepped_care import Step, route
from painpath.records.models_careplan import CarePlanDecisionPoint
from painpath.services.careplan import ROUTING_RULES, routing_facts

TODAY = date(2026, 3, 2)


def obs(code: str, *values: str) -> list[Observation]:
    start = TODAY - timedelta(days=7 * len(values))
    return [
        Observation(code, start + timedelta(days=7 * n), Decimal(v)) for n, v in enumerate(values)
    ]


def point(rule: str, due_in_days: int, status: str | None = None) -> CarePlanDecisionPoint:
    return CarePlanDecisionPoint(
        rule_code=rule, due_on=TODAY + timedelta(days=due_in_days), status=status
    )


@pytest.mark.parametrize(
    ("history", "points", "current", "expected_step", "expected_rule"),
    [
        pytest.param(
            [], [], None, Step.SELF_MANAGEMENT, "default-start-self-management", id="no-data"
        ),
        # PHQ-9 16 >= 15: mental-health-severe (priority 10) decides.
        pytest.param(
            obs("phq-9", "16"),
            [],
            None,
            Step.PRIMARY_CARE_REHAB,
            "mental-health-severe",
            id="phq9-16",
        ),
        # PCS 30 >= 30 (Sullivan manual cut-off, unverified in the rule table).
        pytest.param(
            obs("pcs", "30"),
            [],
            None,
            Step.PRIMARY_CARE_REHAB,
            "psychology-risk-at-baseline",
            id="pcs-30",
        ),
        pytest.param(
            obs("pcs", "29"),
            [],
            None,
            Step.SELF_MANAGEMENT,
            "default-start-self-management",
            id="pcs-29",
        ),
        # NRS 8 -> 7: (8 - 7) / 8 = 12.5 % < 30 %; PGIC 4 >= 3; trial end date reached.
        pytest.param(
            obs("nrs-pain", "8", "7") + obs("pgic", "4"),
            [point("medication-trial-non-response", 0)],
            None,
            Step.PRIMARY_CARE_REHAB,
            "medication-trial-non-response",
            id="trial-non-response-on-end-date",
        ),
        # Same scores, trial end date tomorrow: not yet an adequate trial.
        pytest.param(
            obs("nrs-pain", "8", "7") + obs("pgic", "4"),
            [point("medication-trial-non-response", 1)],
            None,
            Step.SELF_MANAGEMENT,
            "default-start-self-management",
            id="trial-not-yet-adequate",
        ),
        # NRS 8 -> 5: 37.5 % >= 30 %: a responder, no switch.
        pytest.param(
            obs("nrs-pain", "8", "5") + obs("pgic", "3"),
            [point("medication-trial-non-response", -1)],
            None,
            Step.SELF_MANAGEMENT,
            "default-start-self-management",
            id="trial-responder",
        ),
        # Two rehab decision points fired: two domains off track.
        pytest.param(
            [],
            [
                point("rehab-psfs-week-6", -3, "fired"),
                point("rehab-bpi-interference-week-6", -3, "fired"),
            ],
            Step.PRIMARY_CARE_REHAB,
            Step.MULTIDISCIPLINARY_PROGRAMME,
            "rehab-two-domains-off-track",
            id="two-rehab-domains-off-track",
        ),
        # SAFETY: routing never steps down from the current step.
        pytest.param(
            obs("phq-9", "12"),
            [],
            Step.MULTIDISCIPLINARY_PROGRAMME,
            Step.MULTIDISCIPLINARY_PROGRAMME,
            "mental-health-moderate",
            id="never-steps-down",
        ),
    ],
)
def test_routing_from_constructed_histories(
    history: list[Observation],
    points: list[CarePlanDecisionPoint],
    current: Step | None,
    expected_step: Step,
    expected_rule: str,
) -> None:
    decision = route(ROUTING_RULES, routing_facts(history, points, TODAY), current_step=current)
    assert (decision.recommended_step, decision.deciding_rule.code) == (
        expected_step,
        expected_rule,
    )
