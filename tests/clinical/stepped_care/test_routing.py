"""Stepped-care routing from constructed score histories; expected steps restated from section 6."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from painpath.clinical.goals import (
    DecisionPoint,
    DecisionStatus,
    Observation,
    evaluate_decision_point,
    load_decision_rules,
)
from painpath.clinical.stepped_care import (
    PATHWAY,
    InvalidRoutingRule,
    Step,
    facts_from,
    load_routing_rules,
    merge_routing_rules,
    route,
)

RULES = load_routing_rules()
S = Step

ROUTE_CASES = [
    # New patient, nothing concerning: least intensive step, default rule decides.
    pytest.param(
        {"pcs.total": 12, "phq-9.total": 4},
        None,
        S.SELF_MANAGEMENT,
        "default-start-self-management",
        id="new-low-scores",
    ),
    # PCS 30 = cut-off (>= 30) -> psychology at step 2.
    pytest.param(
        {"pcs.total": 30},
        None,
        S.PRIMARY_CARE_REHAB,
        "psychology-risk-at-baseline",
        id="pcs-at-cutoff",
    ),
    # PCS 29, TSK-17 37 (cut-off is > 37), OMPSQ-10 49 (cut-off > 49): all one below -> self-management.
    pytest.param(
        {"pcs.total": 29, "tsk-17.total": 37, "ompsq-10.total": 49},
        None,
        S.SELF_MANAGEMENT,
        "default-start-self-management",
        id="all-one-below-cutoffs",
    ),
    pytest.param(
        {"tsk-17.total": 38}, None, S.PRIMARY_CARE_REHAB, "psychology-risk-at-baseline", id="tsk-38"
    ),
    # PHQ-9 15 fires both moderate (>=10) and severe (>=15); severe has the lower priority number.
    pytest.param(
        {"phq-9.total": 15}, None, S.PRIMARY_CARE_REHAB, "mental-health-severe", id="phq9-15"
    ),
    pytest.param(
        {"gad-7.total": 10}, None, S.PRIMARY_CARE_REHAB, "mental-health-moderate", id="gad7-10"
    ),
    # Two domains off track at step 2 -> interdisciplinary programme (step 3).
    pytest.param(
        {"rehab.domains_off_track": 2},
        S.PRIMARY_CARE_REHAB,
        S.MULTIDISCIPLINARY_PROGRAMME,
        "rehab-two-domains-off-track",
        id="two-domains-step-up",
    ),
    # One domain off track: MDT review but no step change (rule has no min_step) -> stays at step 2.
    pytest.param(
        {"rehab.domains_off_track": 1},
        S.PRIMARY_CARE_REHAB,
        S.PRIMARY_CARE_REHAB,
        "default-start-self-management",
        id="one-domain-stays",
    ),
    # Programme completed, one domain still off track -> specialist interventions (step 4).
    pytest.param(
        {"programme.is_completed": True, "rehab.domains_off_track": 1},
        S.MULTIDISCIPLINARY_PROGRAMME,
        S.SPECIALIST_INTERVENTIONS,
        "no-progress-after-programme",
        id="after-programme-no-progress",
    ),
    # SAFETY: good scores at step 3 never step the patient down automatically.
    pytest.param(
        {"pcs.total": 5, "rehab.domains_off_track": 0},
        S.MULTIDISCIPLINARY_PROGRAMME,
        S.MULTIDISCIPLINARY_PROGRAMME,
        "default-start-self-management",
        id="never-steps-down",
    ),
]


@pytest.mark.parametrize(("facts", "current", "expected_step", "deciding"), ROUTE_CASES)
def test_route_recommends_step_with_deciding_rule(
    facts: dict[str, int | bool], current: Step | None, expected_step: Step, deciding: str
) -> None:
    decision = route(RULES, facts_from(facts), current_step=current)
    assert decision.recommended_step is expected_step
    assert decision.deciding_rule.code == deciding
    assert decision.deciding_rule.source


def test_actions_without_step_change_are_reported_as_fired() -> None:
    # 95 MME/day fires both the >= 50 and the >= 90 rule; neither changes the step.
    decision = route(
        RULES, facts_from({"opioid.mme_per_day": 95}), current_step=S.PRIMARY_CARE_REHAB
    )
    actions = {f.action_code for f in decision.fired}
    assert {"opioid-reassessment-and-naloxone-offer", "specialist-review"} <= actions
    assert decision.recommended_step is S.PRIMARY_CARE_REHAB
    assert not decision.is_step_up


@pytest.mark.parametrize(
    ("reduction", "pgic", "fires"),
    [
        # 29.9 % < 30 and PGIC 3 (minimally improved) -> non-response.
        pytest.param("29.9", 3, True, id="below-30pct"),
        # exactly 30 % is a moderate responder -> no.
        pytest.param("30", 3, False, id="exactly-30pct"),
        # PGIC 2 much improved -> global responder -> no.
        pytest.param("10", 2, False, id="pgic-much-improved"),
    ],
)
def test_medication_trial_non_response(reduction: str, pgic: int, fires: bool) -> None:
    facts = {
        "medication_trial.is_adequate": Decimal(1),
        "nrs.reduction_pct": Decimal(reduction),
        "pgic.code": Decimal(pgic),
    }
    decision = route(RULES, facts, current_step=S.PRIMARY_CARE_REHAB)
    assert ("medication-trial-non-response" in {f.code for f in decision.fired}) is fires


def test_missing_facts_are_listed_not_assumed() -> None:
    decision = route(RULES, facts_from({}), current_step=None)
    assert decision.recommended_step is S.SELF_MANAGEMENT
    assert "phq-9.total" in decision.missing_facts


def test_route_from_constructed_score_history_at_week_6() -> None:
    """Ada: PSFS and BPI interference histories -> decision points -> off-track count -> route."""
    start, week6 = date(2026, 9, 7), date(2026, 10, 19)
    history = [
        Observation("psfs", start, Decimal("3.0")),
        Observation("psfs", date(2026, 10, 16), Decimal("4.0")),  # +1.0 < MCID 2 -> off track
        Observation("bpi-sf.interference", start, Decimal("6.4")),
        Observation(
            "bpi-sf.interference", date(2026, 10, 16), Decimal("5.9")
        ),  # -0.5 < 1 -> off track
    ]
    decision_rules = load_decision_rules()
    outcomes = [
        evaluate_decision_point(
            DecisionPoint(code, code, week6, start), decision_rules, history, today=week6
        )
        for code in ("rehab-psfs-week-6", "rehab-bpi-interference-week-6")
    ]
    off_track = sum(o.status is DecisionStatus.FIRED for o in outcomes)
    assert off_track == 2
    decision = route(
        RULES, facts_from({"rehab.domains_off_track": off_track}), current_step=S.PRIMARY_CARE_REHAB
    )
    assert decision.recommended_step is S.MULTIDISCIPLINARY_PROGRAMME
    assert decision.is_step_up


CLINIC = """
[[rule]]
code = "psychology-risk-at-baseline"
version = 2
title = "Clinic: PCS >= 25"
min_step = "primary-care-rehab"
action_code = "offer-pain-psychology-and-graded-exposure"
source = "Clinic governance 2026-11"
verified = false
  [[rule.any_of]]
  fact = "pcs.total"
  op = ">="
  value = 25
"""


def test_clinic_override_changes_threshold() -> None:
    rules = merge_routing_rules(RULES, load_routing_rules(CLINIC))
    facts = facts_from({"pcs.total": 27})
    assert route(RULES, facts, current_step=None).recommended_step is S.SELF_MANAGEMENT
    decision = route(rules, facts, current_step=None)
    assert decision.recommended_step is S.PRIMARY_CARE_REHAB
    assert decision.deciding_rule.version == 2


def test_clinic_can_disable_a_rule() -> None:
    off = CLINIC.replace("verified = false", "verified = false\nenabled = false")
    rules = merge_routing_rules(RULES, load_routing_rules(off))
    assert (
        route(rules, facts_from({"pcs.total": 40}), current_step=None).recommended_step
        is S.SELF_MANAGEMENT
    )


def test_table_without_default_rule_is_rejected() -> None:
    with pytest.raises(InvalidRoutingRule):
        route(load_routing_rules(CLINIC), facts_from({"pcs.total": 1}), current_step=None)


def test_pathway_order_and_docs_cover_every_rule() -> None:
    assert [p.step for p in PATHWAY] == list(Step)
    assert [p.order for p in PATHWAY] == [1, 2, 3, 4]
    doc = (Path(__file__).parents[3] / "docs" / "stepped_care" / "routing_rules.md").read_text(
        "utf-8"
    )
    for code in RULES:
        assert f"`{code}`" in doc, code
