"""Quantitative sensory testing (DFNS protocol): z-scores, findings and sensory phenotype."""

from painpath.clinical.qst.phenotype import (
    Feature,
    FeatureOutcome,
    PhenotypeResult,
    SensoryPhenotype,
    describe_phenotype,
)
from painpath.clinical.qst.profile import (
    InvalidMeasurement,
    ParameterResult,
    QstProfile,
    QstSubject,
    QstWarning,
    SensoryFinding,
    WarningCode,
    classify,
    compute_profile,
    scale_value,
    z_score,
)
from painpath.clinical.qst.protocol import (
    PARAMETERS,
    Z_ABNORMAL,
    ParameterSpec,
    QstParameter,
    Scale,
    SpecialRule,
)
from painpath.clinical.qst.reference import (
    InvalidReferenceTable,
    ReferenceBand,
    ReferenceTable,
    Sex,
    load_packaged_reference_table,
    parse_reference_csv,
)

__all__ = [
    "PARAMETERS",
    "Z_ABNORMAL",
    "Feature",
    "FeatureOutcome",
    "InvalidMeasurement",
    "InvalidReferenceTable",
    "ParameterResult",
    "ParameterSpec",
    "PhenotypeResult",
    "QstParameter",
    "QstProfile",
    "QstSubject",
    "QstWarning",
    "ReferenceBand",
    "ReferenceTable",
    "Scale",
    "SensoryFinding",
    "SensoryPhenotype",
    "Sex",
    "SpecialRule",
    "WarningCode",
    "classify",
    "compute_profile",
    "describe_phenotype",
    "load_packaged_reference_table",
    "parse_reference_csv",
    "scale_value",
    "z_score",
]
