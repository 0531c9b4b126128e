"""Neuropathic-pain grading (NeuPSIG, Finnerup 2016)."""

from painpath.clinical.neuropathic.grading import (
    SOURCE,
    Criterion,
    CriterionOutcome,
    CriterionStatus,
    GradingResult,
    NeuropathicAssessment,
    NeuropathicGrade,
    Rule,
    SensorySigns,
    TestOutcome,
    grade_neuropathic_pain,
)

__all__ = [
    "SOURCE",
    "Criterion",
    "CriterionOutcome",
    "CriterionStatus",
    "GradingResult",
    "NeuropathicAssessment",
    "NeuropathicGrade",
    "Rule",
    "SensorySigns",
    "TestOutcome",
    "grade_neuropathic_pain",
]
