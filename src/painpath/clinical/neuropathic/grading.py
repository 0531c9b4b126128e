"""NeuPSIG grading of neuropathic pain (Finnerup 2016).

Source: Finnerup NB, Haroutounian S, Kamerman P, et al. Neuropathic pain: an updated grading system
for research and clinical practice. Pain 2016;157(8):1599-1606, doi:10.1097/j.pain.0000000000000492,
PMC4949003, Figure 2 (flow chart and footnotes a-d; verified against PMC4949003 Figure 2).

The grade is recomputed deterministically from four clinician-recorded criteria:

0. history of a relevant lesion or disease (footnote a),
1. a neuroanatomically plausible pain distribution (footnote b),
2. sensory signs (negative and/or positive) in the same distribution (footnote c),
3. a diagnostic test confirming the lesion or disease (footnote d),

plus the footnote-c exception: signs difficult to demonstrate but a confirmatory test present ->
"probable".

SAFETY: screening questionnaires (DN4, S-LANSS, painDETECT) are deliberately not inputs. They are
not required for any grade and cannot replace steps 2 or 3 (Finnerup 2016; clinical-reference.md
section 2). "Definite" means "probable with a confirmatory test" and does not establish causality
(footnote d), so the UI must never label it "confirmed cause".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

SOURCE: Final = (
    "Finnerup NB et al. Neuropathic pain: an updated grading system for research and clinical "
    "practice. Pain 2016;157(8):1599-1606, doi:10.1097/j.pain.0000000000000492, PMC4949003 Fig. 2"
)
RULE_VERSION: Final = "neupsig-2016.1"


class NeuropathicGrade(StrEnum):
    """Grades of the 2016 NeuPSIG system; UNLIKELY is the flow chart's exit branch."""

    UNLIKELY = "unlikely"
    POSSIBLE = "possible"
    PROBABLE = "probable"
    DEFINITE = "definite"


class Criterion(StrEnum):
    """The four recorded criteria, in flow-chart order (stable codes, stored per criterion)."""

    LESION_HISTORY = "lesion-history"
    PLAUSIBLE_DISTRIBUTION = "plausible-distribution"
    SENSORY_SIGNS = "sensory-signs"
    CONFIRMATORY_TEST = "confirmatory-test"


class CriterionStatus(StrEnum):
    """Outcome of one criterion in the trace."""

    MET = "met"
    NOT_MET = "not-met"
    NOT_ASSESSED = "not-assessed"  # recorded as not done (no examination / no test performed)
    NOT_REACHED = "not-reached"  # the flow chart stopped before this step


class TestOutcome(StrEnum):
    """Result of the confirmatory diagnostic test step (step 3)."""

    __test__ = False  # not a pytest test class despite the name

    CONFIRMS_LESION = "confirms-lesion"
    DOES_NOT_CONFIRM = "does-not-confirm"
    NOT_PERFORMED = "not-performed"


class Rule(StrEnum):
    """Which branch of the flow chart produced the grade (shown to clinicians as the reason)."""

    NO_RELEVANT_HISTORY = "no-relevant-history"
    IMPLAUSIBLE_DISTRIBUTION = "implausible-distribution"
    HISTORY_AND_DISTRIBUTION = "history-and-distribution"
    SIGNS_IN_DISTRIBUTION = "signs-in-distribution"
    FOOTNOTE_C_TEST_WITHOUT_SIGNS = "footnote-c-test-without-signs"
    SIGNS_AND_CONFIRMATORY_TEST = "signs-and-confirmatory-test"


@dataclass(frozen=True, slots=True)
class SensorySigns:
    """Examination findings in the neuroanatomically plausible distribution (step 2).

    Negative signs: e.g. hypoaesthesia, hypoalgesia. Positive signs: e.g. touch- or thermal-evoked
    allodynia; trigger phenomena in trigeminal neuralgia count here (Finnerup 2016 footnote c).
    """

    has_negative_signs: bool
    has_positive_signs: bool

    @property
    def is_present(self) -> bool:
        """True if any sign, negative or positive, was found in the distribution."""
        return self.has_negative_signs or self.has_positive_signs


@dataclass(frozen=True, slots=True)
class NeuropathicAssessment:
    """Clinician-completed criteria; ``sensory_signs=None`` means no examination was recorded."""

    has_relevant_lesion_history: bool
    has_plausible_distribution: bool
    sensory_signs: SensorySigns | None
    confirmatory_test: TestOutcome


@dataclass(frozen=True, slots=True)
class CriterionOutcome:
    """One line of the trace: which criterion, whether it was met, and a machine-readable detail."""

    criterion: Criterion
    status: CriterionStatus
    detail: str = ""


@dataclass(frozen=True, slots=True)
class GradingResult:
    """Grade plus the trace of criteria that a page can show as "why"."""

    grade: NeuropathicGrade
    rule: Rule
    trace: tuple[CriterionOutcome, ...]
    source: str = SOURCE
    rule_version: str = RULE_VERSION


def _status(value: bool) -> CriterionStatus:
    return CriterionStatus.MET if value else CriterionStatus.NOT_MET


def _signs_outcome(signs: SensorySigns | None) -> CriterionOutcome:
    if signs is None:
        return CriterionOutcome(Criterion.SENSORY_SIGNS, CriterionStatus.NOT_ASSESSED)
    kinds = [
        name
        for name, present in (
            ("negative", signs.has_negative_signs),
            ("positive", signs.has_positive_signs),
        )
        if present
    ]
    return CriterionOutcome(Criterion.SENSORY_SIGNS, _status(signs.is_present), "+".join(kinds))


def _test_outcome(test: TestOutcome) -> CriterionOutcome:
    status = {
        TestOutcome.CONFIRMS_LESION: CriterionStatus.MET,
        TestOutcome.DOES_NOT_CONFIRM: CriterionStatus.NOT_MET,
        TestOutcome.NOT_PERFORMED: CriterionStatus.NOT_ASSESSED,
    }[test]
    return CriterionOutcome(Criterion.CONFIRMATORY_TEST, status, test.value)


def grade_neuropathic_pain(assessment: NeuropathicAssessment) -> GradingResult:
    """Grade neuropathic pain from the four NeuPSIG criteria (Finnerup 2016 Figure 2)."""
    history = CriterionOutcome(
        Criterion.LESION_HISTORY, _status(assessment.has_relevant_lesion_history)
    )
    if not assessment.has_relevant_lesion_history:
        # Step 0 "no": the flow chart exits; nothing further is evaluated.
        return GradingResult(
            NeuropathicGrade.UNLIKELY,
            Rule.NO_RELEVANT_HISTORY,
            (
                history,
                CriterionOutcome(Criterion.PLAUSIBLE_DISTRIBUTION, CriterionStatus.NOT_REACHED),
                CriterionOutcome(Criterion.SENSORY_SIGNS, CriterionStatus.NOT_REACHED),
                CriterionOutcome(Criterion.CONFIRMATORY_TEST, CriterionStatus.NOT_REACHED),
            ),
        )
    distribution = CriterionOutcome(
        Criterion.PLAUSIBLE_DISTRIBUTION, _status(assessment.has_plausible_distribution)
    )
    if not assessment.has_plausible_distribution:
        return GradingResult(
            NeuropathicGrade.UNLIKELY,
            Rule.IMPLAUSIBLE_DISTRIBUTION,
            (
                history,
                distribution,
                CriterionOutcome(Criterion.SENSORY_SIGNS, CriterionStatus.NOT_REACHED),
                CriterionOutcome(Criterion.CONFIRMATORY_TEST, CriterionStatus.NOT_REACHED),
            ),
        )
    trace = (
        history,
        distribution,
        _signs_outcome(assessment.sensory_signs),
        _test_outcome(assessment.confirmatory_test),
    )
    has_signs = assessment.sensory_signs is not None and assessment.sensory_signs.is_present
    has_test = assessment.confirmatory_test is TestOutcome.CONFIRMS_LESION
    if has_signs and has_test:
        # Footnote d: definite = probable + confirmatory test (not proof of causality).
        return GradingResult(NeuropathicGrade.DEFINITE, Rule.SIGNS_AND_CONFIRMATORY_TEST, trace)
    if has_signs:
        return GradingResult(NeuropathicGrade.PROBABLE, Rule.SIGNS_IN_DISTRIBUTION, trace)
    if has_test:
        # Footnote c: signs difficult to demonstrate but the lesion is confirmed -> probable.
        return GradingResult(NeuropathicGrade.PROBABLE, Rule.FOOTNOTE_C_TEST_WITHOUT_SIGNS, trace)
    return GradingResult(NeuropathicGrade.POSSIBLE, Rule.HISTORY_AND_DISTRIBUTION, trace)
