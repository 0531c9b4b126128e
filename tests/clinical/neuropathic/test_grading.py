"""NeuPSIG grading, table-driven over every branch of Finnerup 2016 Figure 2.

Expected grades are restated from the flow chart, not from the implementation:
history no -> unlikely; distribution no -> unlikely; otherwise possible, raised to probable by signs
in the distribution OR (footnote c) by a confirmatory test without signs, and to definite by signs AND
a confirmatory test (footnote d).
"""

from __future__ import annotations

import itertools

import pytest

from painpath.clinical.neuropathic import (
    SOURCE,
    Criterion,
    CriterionOutcome,
    CriterionStatus,
    NeuropathicAssessment,
    NeuropathicGrade,
    Rule,
    SensorySigns,
    TestOutcome,
    grade_neuropathic_pain,
)

G = NeuropathicGrade
S = CriterionStatus
NEG = SensorySigns(has_negative_signs=True, has_positive_signs=False)
POS = SensorySigns(has_negative_signs=False, has_positive_signs=True)
BOTH = SensorySigns(has_negative_signs=True, has_positive_signs=True)
NONE_FOUND = SensorySigns(has_negative_signs=False, has_positive_signs=False)
YES = TestOutcome.CONFIRMS_LESION
NO = TestOutcome.DOES_NOT_CONFIRM
NOT_DONE = TestOutcome.NOT_PERFORMED

CASES = [
    # Step 0 "no" exits whatever else is recorded.
    pytest.param(
        False,
        True,
        BOTH,
        YES,
        G.UNLIKELY,
        Rule.NO_RELEVANT_HISTORY,
        id="no-history-all-else-positive",
    ),
    pytest.param(
        False,
        False,
        None,
        NOT_DONE,
        G.UNLIKELY,
        Rule.NO_RELEVANT_HISTORY,
        id="no-history-nothing-else",
    ),
    # Step 1 "no" exits.
    pytest.param(
        True,
        False,
        BOTH,
        YES,
        G.UNLIKELY,
        Rule.IMPLAUSIBLE_DISTRIBUTION,
        id="implausible-distribution-with-signs-and-test",
    ),
    # History + distribution only -> possible (working hypothesis).
    pytest.param(
        True,
        True,
        None,
        NOT_DONE,
        G.POSSIBLE,
        Rule.HISTORY_AND_DISTRIBUTION,
        id="possible-not-examined-no-test",
    ),
    pytest.param(
        True,
        True,
        NONE_FOUND,
        NOT_DONE,
        G.POSSIBLE,
        Rule.HISTORY_AND_DISTRIBUTION,
        id="possible-examined-no-signs",
    ),
    pytest.param(
        True,
        True,
        NONE_FOUND,
        NO,
        G.POSSIBLE,
        Rule.HISTORY_AND_DISTRIBUTION,
        id="possible-negative-test",
    ),
    pytest.param(
        True,
        True,
        None,
        NO,
        G.POSSIBLE,
        Rule.HISTORY_AND_DISTRIBUTION,
        id="possible-not-examined-negative-test",
    ),
    # Signs in the distribution -> probable; either kind suffices (footnote c).
    pytest.param(
        True,
        True,
        NEG,
        NOT_DONE,
        G.PROBABLE,
        Rule.SIGNS_IN_DISTRIBUTION,
        id="probable-negative-signs",
    ),
    pytest.param(
        True,
        True,
        POS,
        NOT_DONE,
        G.PROBABLE,
        Rule.SIGNS_IN_DISTRIBUTION,
        id="probable-allodynia-only",
    ),
    pytest.param(
        True,
        True,
        BOTH,
        NO,
        G.PROBABLE,
        Rule.SIGNS_IN_DISTRIBUTION,
        id="probable-signs-test-negative",
    ),
    # Footnote c: test confirms lesion but signs hard to demonstrate -> probable, not definite.
    pytest.param(
        True,
        True,
        NONE_FOUND,
        YES,
        G.PROBABLE,
        Rule.FOOTNOTE_C_TEST_WITHOUT_SIGNS,
        id="footnote-c-no-signs-test-confirms",
    ),
    pytest.param(
        True,
        True,
        None,
        YES,
        G.PROBABLE,
        Rule.FOOTNOTE_C_TEST_WITHOUT_SIGNS,
        id="footnote-c-not-examined-test-confirms",
    ),
    # Signs + confirmatory test -> definite.
    pytest.param(
        True,
        True,
        NEG,
        YES,
        G.DEFINITE,
        Rule.SIGNS_AND_CONFIRMATORY_TEST,
        id="definite-negative-signs-and-test",
    ),
    pytest.param(
        True,
        True,
        POS,
        YES,
        G.DEFINITE,
        Rule.SIGNS_AND_CONFIRMATORY_TEST,
        id="definite-positive-signs-and-test",
    ),
    pytest.param(
        True,
        True,
        BOTH,
        YES,
        G.DEFINITE,
        Rule.SIGNS_AND_CONFIRMATORY_TEST,
        id="definite-both-signs-and-test",
    ),
]


@pytest.mark.parametrize(("history", "distribution", "signs", "test", "grade", "rule"), CASES)
def test_grade_neuropathic_pain_follows_flow_chart(
    history: bool,
    distribution: bool,
    signs: SensorySigns | None,
    test: TestOutcome,
    grade: NeuropathicGrade,
    rule: Rule,
) -> None:
    result = grade_neuropathic_pain(
        NeuropathicAssessment(
            has_relevant_lesion_history=history,
            has_plausible_distribution=distribution,
            sensory_signs=signs,
            confirmatory_test=test,
        )
    )
    assert (result.grade, result.rule) == (grade, rule)
    assert result.source == SOURCE


def test_grade_neuropathic_pain_is_total_over_all_inputs() -> None:
    # 2 * 2 * 5 * 3 = 60 combinations; definite exactly when all four hold.
    signs_options = [None, NEG, POS, BOTH, NONE_FOUND]
    count = 0
    for history, distribution, signs, test in itertools.product(
        [True, False], [True, False], signs_options, list(TestOutcome)
    ):
        result = grade_neuropathic_pain(NeuropathicAssessment(history, distribution, signs, test))
        has_signs = signs is not None and signs.is_present
        expected_definite = history and distribution and has_signs and test is YES
        assert (result.grade is G.DEFINITE) == expected_definite
        assert len(result.trace) == 4
        assert [o.criterion for o in result.trace] == list(Criterion)
        count += 1
    assert count == 60


TRACE_CASES = [
    pytest.param(
        NeuropathicAssessment(False, True, BOTH, YES),
        (
            CriterionOutcome(Criterion.LESION_HISTORY, S.NOT_MET),
            CriterionOutcome(Criterion.PLAUSIBLE_DISTRIBUTION, S.NOT_REACHED),
            CriterionOutcome(Criterion.SENSORY_SIGNS, S.NOT_REACHED),
            CriterionOutcome(Criterion.CONFIRMATORY_TEST, S.NOT_REACHED),
        ),
        id="trace-stops-after-history",
    ),
    pytest.param(
        NeuropathicAssessment(True, False, BOTH, YES),
        (
            CriterionOutcome(Criterion.LESION_HISTORY, S.MET),
            CriterionOutcome(Criterion.PLAUSIBLE_DISTRIBUTION, S.NOT_MET),
            CriterionOutcome(Criterion.SENSORY_SIGNS, S.NOT_REACHED),
            CriterionOutcome(Criterion.CONFIRMATORY_TEST, S.NOT_REACHED),
        ),
        id="trace-stops-after-distribution",
    ),
    pytest.param(
        NeuropathicAssessment(True, True, None, NOT_DONE),
        (
            CriterionOutcome(Criterion.LESION_HISTORY, S.MET),
            CriterionOutcome(Criterion.PLAUSIBLE_DISTRIBUTION, S.MET),
            CriterionOutcome(Criterion.SENSORY_SIGNS, S.NOT_ASSESSED),
            CriterionOutcome(Criterion.CONFIRMATORY_TEST, S.NOT_ASSESSED, "not-performed"),
        ),
        id="trace-not-assessed-differs-from-not-met",
    ),
    pytest.param(
        NeuropathicAssessment(True, True, BOTH, NO),
        (
            CriterionOutcome(Criterion.LESION_HISTORY, S.MET),
            CriterionOutcome(Criterion.PLAUSIBLE_DISTRIBUTION, S.MET),
            CriterionOutcome(Criterion.SENSORY_SIGNS, S.MET, "negative+positive"),
            CriterionOutcome(Criterion.CONFIRMATORY_TEST, S.NOT_MET, "does-not-confirm"),
        ),
        id="trace-records-sign-kinds",
    ),
    pytest.param(
        NeuropathicAssessment(True, True, NONE_FOUND, YES),
        (
            CriterionOutcome(Criterion.LESION_HISTORY, S.MET),
            CriterionOutcome(Criterion.PLAUSIBLE_DISTRIBUTION, S.MET),
            CriterionOutcome(Criterion.SENSORY_SIGNS, S.NOT_MET, ""),
            CriterionOutcome(Criterion.CONFIRMATORY_TEST, S.MET, "confirms-lesion"),
        ),
        id="trace-footnote-c",
    ),
]


@pytest.mark.parametrize(("assessment", "trace"), TRACE_CASES)
def test_grade_neuropathic_pain_trace_explains_the_grade(
    assessment: NeuropathicAssessment, trace: tuple[CriterionOutcome, ...]
) -> None:
    assert grade_neuropathic_pain(assessment).trace == trace
