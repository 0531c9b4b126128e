"""Regimen checks -> findings (code, kind, severity, message, source, drugs involved).

Rules come from the data tables (rules.py, formulary.py); this module only applies them. Findings
are sorted most severe first. The kinds are the stable CLI contract (codes.FindingKind).
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations
from typing import Final

from painpath.clinical.medications.ceiling import LimitKind, dose_ceiling
from painpath.clinical.medications.codes import (
    SEVERITY_ORDER,
    FindingKind,
    HepaticAction,
    RenalAction,
    Severity,
)
from painpath.clinical.medications.formulary import Drug, Formulary, default_formulary
from painpath.clinical.medications.mme import MmeResult, calculate_mme, mme_threshold_reached
from painpath.clinical.medications.regimen import (
    MedicationOrder,
    PatientContext,
    validate_order,
    validate_patient,
)
from painpath.clinical.medications.renal import cockcroft_gault_crcl, renal_limit
from painpath.clinical.medications.rules import BeersKind, RuleSet, default_rules

CG_MIN_AGE_YEARS: Final = 18  # Cockcroft & Gault 1976: adult derivation cohort
# Anticholinergic Cognitive Burden: total >= 3 is clinically relevant (Boustani 2008; Fox 2011
# J Am Geriatr Soc 59:1477) - not checked against the primary source this session (verified=false).
ACB_THRESHOLD: Final = 3
# CDC 2022 Rec 8: offer naloxone when prescribing opioids; required task when a risk factor is
# present (clinical reference §4.4). Age >= 65 and renal/hepatic insufficiency per CDC-derived text.
NALOXONE_AGE_YEARS: Final = 65
NALOXONE_MME_PER_DAY: Final = Decimal(50)
# painpath default: "renal insufficiency" = CrCl < 60 mL/min (CKD stage 3 or worse); verified=false.
NALOXONE_RENAL_CRCL_ML_MIN: Final = Decimal(60)
NALOXONE_CONDITIONS: Final = frozenset(
    {
        "substance_use_disorder",
        "history_of_overdose",
        "sleep_apnea",
        "hepatic_impairment",
        "chronic_kidney_disease",
    }
)
NALOXONE_SOURCE: Final = (
    "CDC 2022 Recommendation 8 (offer naloxone; risk groups via CDC-derived material); "
    "clinical reference §4.4"
)


@dataclass(frozen=True, slots=True)
class Finding:
    kind: FindingKind
    code: str
    severity: Severity
    message: str
    source: str
    drugs: tuple[str, ...]
    is_verified: bool = True


@dataclass(frozen=True, slots=True)
class RegimenReport:
    crcl_ml_min: Decimal | None
    mme: MmeResult
    acb_total: int
    conditions: frozenset[str]
    unrecognised_conditions: tuple[str, ...]
    findings: tuple[Finding, ...]


def _any_match(drug: Drug, tokens: Sequence[str]) -> bool:
    return any(drug.matches(tok) for tok in tokens)


def _pair(a: Drug, b: Drug) -> tuple[str, ...]:
    return tuple(sorted((a.code, b.code)))


def _interactions(drugs: Sequence[Drug], rules: RuleSet) -> list[Finding]:
    out: list[Finding] = []
    for rule in rules.interactions.rules:
        seen: set[tuple[str, ...]] = set()
        for x, y in combinations(drugs, 2):
            if x.code == y.code:
                continue  # same drug twice is duplicate therapy, not an interaction
            hit = (_any_match(x, rule.a) and _any_match(y, rule.b)) or (
                _any_match(y, rule.a) and _any_match(x, rule.b)
            )
            key = _pair(x, y)
            if hit and key not in seen:
                seen.add(key)
                out.append(
                    Finding(
                        FindingKind.INTERACTION,
                        rule.code,
                        rule.severity,
                        rule.message,
                        rule.source,
                        key,
                        rule.is_verified,
                    )
                )
    return out


def _acb(drugs: Sequence[Drug], formulary: Formulary) -> tuple[int, list[Finding]]:
    scored = sorted({d.code: d.acb_score for d in drugs if d.acb_score}.items())
    total = sum(score for _, score in scored)
    if total < ACB_THRESHOLD:
        return total, []
    detail = ", ".join(f"{code} {score}" for code, score in scored)
    return total, [
        Finding(
            FindingKind.INTERACTION,
            "anticholinergic-burden",
            Severity.MODERATE,
            f"Anticholinergic burden score {total} (>= {ACB_THRESHOLD}: {detail}): risk of "
            "cognitive impairment, delirium and falls; minimise anticholinergic drugs.",
            formulary.acb_source,
            tuple(code for code, _ in scored),
            formulary.is_acb_verified,
        )
    ]


def _duplicates(drugs: Sequence[Drug], rules: RuleSet) -> list[Finding]:
    out: list[Finding] = []
    codes = [d.code for d in drugs]
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        out.append(
            Finding(
                FindingKind.DUPLICATE_THERAPY,
                "same-drug-twice",
                Severity.MAJOR,
                f"{code} appears more than once in the regimen.",
                "painpath regimen rule: one order per drug",
                (code,),
            )
        )
    for group in rules.interactions.duplicate_groups:
        members = sorted({d.code for d in drugs if _any_match(d, group.members)})
        if len(members) >= 2:
            out.append(
                Finding(
                    FindingKind.DUPLICATE_THERAPY,
                    f"duplicate-{group.code}",
                    group.severity,
                    group.message,
                    group.source,
                    tuple(members),
                    group.is_verified,
                )
            )
    return out


def _doses(
    orders: Sequence[MedicationOrder],
    formulary: Formulary,
    patient: PatientContext,
    conditions: Set[str],
    crcl: Decimal | None,
) -> list[Finding]:
    out: list[Finding] = []
    for order in orders:
        drug = formulary.get(order.drug)
        if (
            drug.max_mcg_per_hr is not None
            and order.dose_mcg_per_hr is not None
            and order.dose_mcg_per_hr > drug.max_mcg_per_hr
        ):
            out.append(
                Finding(
                    FindingKind.MAX_DOSE,
                    "above-max-dose",
                    Severity.MAJOR,
                    f"{drug.code} {order.dose_mcg_per_hr} mcg/h is above the maximum "
                    f"{drug.max_mcg_per_hr} mcg/h.",
                    drug.max_source or drug.source,
                    (drug.code,),
                    drug.is_max_verified,
                )
            )
        daily = order.daily_dose_mg
        if daily is None:
            continue
        ceiling = dose_ceiling(drug, age_years=patient.age_years, conditions=conditions)
        limits = [
            lim
            for lim in ceiling.limits
            if lim.max_daily_dose_mg > 0 and lim.kind is not LimitKind.RENAL
        ]
        if limits:
            cap = min(lim.max_daily_dose_mg for lim in limits)
            if daily > cap:
                binding = [lim for lim in limits if lim.max_daily_dose_mg == cap]
                out.append(
                    Finding(
                        FindingKind.MAX_DOSE,
                        f"above-{binding[0].kind.value.replace('_', '-')}",
                        Severity.MAJOR,
                        f"{drug.code} {daily} mg/day is above the maximum {cap} mg/day "
                        f"({binding[0].kind.value.replace('_', ' ')}).",
                        "; ".join(lim.source for lim in binding),
                        (drug.code,),
                        all(lim.is_verified for lim in binding),
                    )
                )
        out += _renal(drug, daily, crcl)
    return out


def _renal(drug: Drug, daily: Decimal, crcl: Decimal | None) -> list[Finding]:
    if not drug.renal:
        return []
    if crcl is None:
        return [
            Finding(
                FindingKind.RENAL_DOSE,
                "crcl-unknown",
                Severity.INFO,
                f"{drug.code} is renally dosed; creatinine clearance is unknown.",
                drug.renal[0].source,
                (drug.code,),
            )
        ]
    limit = renal_limit(drug, crcl)
    band = limit.band
    if band is None:
        return []
    crcl_text = f"{crcl.quantize(Decimal('0.1'))} mL/min"
    if band.action is RenalAction.AVOID:
        return [
            Finding(
                FindingKind.RENAL_DOSE,
                "renal-avoid",
                Severity.MAJOR,
                f"{drug.code}: avoid at CrCl {crcl_text}.",
                band.source,
                (drug.code,),
                band.is_verified,
            )
        ]
    if band.action is RenalAction.CAUTION:
        return [
            Finding(
                FindingKind.RENAL_DOSE,
                "renal-caution",
                Severity.MODERATE,
                f"{drug.code}: renal impairment (CrCl {crcl_text}) - reduce or review dose.",
                band.source,
                (drug.code,),
                band.is_verified,
            )
        ]
    cap = limit.max_daily_dose_mg
    if cap is not None and daily > cap:
        return [
            Finding(
                FindingKind.RENAL_DOSE,
                "above-renal-max",
                Severity.MAJOR,
                f"{drug.code} {daily} mg/day is above the renal maximum "
                f"{cap.quantize(Decimal('0.1'))} mg/day for CrCl {crcl_text}.",
                band.source,
                (drug.code,),
                band.is_verified,
            )
        ]
    return []


def _conditions(drugs: Sequence[Drug], conditions: Set[str], rules: RuleSet) -> list[Finding]:
    out: list[Finding] = []
    for rule in rules.conditions.rules:
        if rule.condition not in conditions:
            continue
        for code in sorted({d.code for d in drugs if _any_match(d, rule.drugs)}):
            out.append(
                Finding(
                    FindingKind.CONTRAINDICATION,
                    rule.code,
                    rule.severity,
                    rule.message,
                    rule.source,
                    (code,),
                    rule.is_verified,
                )
            )
    for drug in {d.code: d for d in drugs}.values():
        for hep in drug.hepatic:
            if hep.condition not in conditions or hep.action is HepaticAction.REDUCE:
                continue  # REDUCE is a dose ceiling (max_dose finding)
            severity = Severity.MAJOR if hep.action is HepaticAction.AVOID else Severity.INFO
            out.append(
                Finding(
                    FindingKind.CONTRAINDICATION,
                    f"{drug.code}-{hep.condition.replace('_', '-')}",
                    severity,
                    f"{drug.code}: {hep.action.value} with {hep.condition.replace('_', ' ')}.",
                    hep.source,
                    (drug.code,),
                    hep.is_verified,
                )
            )
    return out


def _beers(
    drugs: Sequence[Drug],
    patient: PatientContext,
    conditions: Set[str],
    crcl: Decimal | None,
    rules: RuleSet,
) -> list[Finding]:
    if patient.age_years < rules.beers.min_age_years:
        return []
    out: list[Finding] = []
    unique = list({d.code: d for d in drugs}.values())

    def add(rule_code: str, codes: Sequence[str], *, rule_index: int) -> None:
        rule = rules.beers.rules[rule_index]
        out.append(
            Finding(
                FindingKind.BEERS,
                rule_code,
                rule.severity,
                rule.message,
                rule.source,
                tuple(sorted(set(codes))),
                rule.is_verified,
            )
        )

    for i, rule in enumerate(rules.beers.rules):
        matching = [d.code for d in unique if _any_match(d, rule.drugs)]
        if rule.kind in (BeersKind.AVOID, BeersKind.CAUTION):
            for code in matching:
                add(rule.code, [code], rule_index=i)
        elif rule.kind is BeersKind.CONDITION:
            if rule.condition in conditions:
                for code in matching:
                    add(rule.code, [code], rule_index=i)
        elif rule.kind is BeersKind.RENAL:
            if crcl is not None and rule.below_ml_min is not None and crcl < rule.below_ml_min:
                for code in matching:
                    add(rule.code, [code], rule_index=i)
        elif rule.kind is BeersKind.COMBINATION:
            for x, y in combinations(unique, 2):
                if (_any_match(x, rule.drugs) and _any_match(y, rule.with_drugs)) or (
                    _any_match(y, rule.drugs) and _any_match(x, rule.with_drugs)
                ):
                    add(rule.code, [x.code, y.code], rule_index=i)
        elif (
            rule.kind is BeersKind.CNS_ACTIVE_COUNT
            and rule.at_least is not None
            and len(matching) >= rule.at_least
        ):
            add(rule.code, matching, rule_index=i)
    return out


def _mme_and_naloxone(
    drugs: Sequence[Drug],
    mme: MmeResult,
    patient: PatientContext,
    conditions: Set[str],
    crcl: Decimal | None,
    rules: RuleSet,
) -> list[Finding]:
    opioids = sorted({d.code for d in drugs if d.is_opioid})
    if not opioids:
        return []
    out: list[Finding] = []
    threshold = mme_threshold_reached(mme.mme_per_day, rules.mme)
    if threshold is not None:
        out.append(
            Finding(
                FindingKind.MME_THRESHOLD,
                threshold.code,
                threshold.severity,
                f"{mme.mme_per_day.quantize(Decimal('0.1'))} MME/day. {threshold.message} "
                f"{mme.warning}",
                threshold.source,
                tuple(sorted({c.drug for c in mme.contributions if c.mme_per_day})),
                threshold.is_verified,
            )
        )
    factors: list[str] = []
    if mme.mme_per_day >= NALOXONE_MME_PER_DAY:
        factors.append(f">= {NALOXONE_MME_PER_DAY} MME/day")
    if any(d.matches("benzodiazepine") for d in drugs):
        factors.append("concurrent benzodiazepine")
    if patient.age_years >= NALOXONE_AGE_YEARS:
        factors.append(f"age >= {NALOXONE_AGE_YEARS}")
    if crcl is not None and crcl < NALOXONE_RENAL_CRCL_ML_MIN:
        factors.append(f"CrCl < {NALOXONE_RENAL_CRCL_ML_MIN} mL/min")
    factors += sorted(c.replace("_", " ") for c in conditions & NALOXONE_CONDITIONS)
    if factors:
        message = (
            "Opioid with overdose risk factors (" + ", ".join(factors) + "): prescribe/offer "
            "naloxone and overdose education to patient and household (required task)."
        )
        out.append(
            Finding(
                FindingKind.NALOXONE,
                "naloxone-required",
                Severity.MODERATE,
                message,
                NALOXONE_SOURCE,
                tuple(opioids),
            )
        )
    else:
        out.append(
            Finding(
                FindingKind.NALOXONE,
                "naloxone-offer",
                Severity.INFO,
                "Opioid prescribed: offer naloxone and overdose education.",
                NALOXONE_SOURCE,
                tuple(opioids),
            )
        )
    return out


def patient_crcl(patient: PatientContext) -> Decimal | None:
    """Cockcroft-Gault CrCl, or None if weight/creatinine is missing or the patient is under 18
    (the equation was derived in adults, Cockcroft & Gault 1976)."""
    if (
        patient.weight_kg is None
        or patient.serum_creatinine_mg_dl is None
        or patient.age_years < CG_MIN_AGE_YEARS
    ):
        return None
    return cockcroft_gault_crcl(
        age_years=patient.age_years,
        weight_kg=patient.weight_kg,
        serum_creatinine_mg_dl=patient.serum_creatinine_mg_dl,
        sex=patient.sex,
    )


def check_regimen(
    patient: PatientContext,
    orders: Sequence[MedicationOrder],
    *,
    formulary: Formulary | None = None,
    rules: RuleSet | None = None,
) -> RegimenReport:
    """Apply every regimen rule; raises UnknownCode / InvalidOrder / InvalidPatientValue."""
    formulary = formulary or default_formulary()
    rules = rules or default_rules()
    validate_patient(patient)
    drugs = [formulary.get(o.drug) for o in orders]
    for order, drug in zip(orders, drugs, strict=True):
        validate_order(order, drug)
    conditions, unknown = rules.conditions.normalise(patient.conditions)
    crcl = patient_crcl(patient)
    mme = calculate_mme(orders, formulary, rules.mme)
    acb_total, acb_findings = _acb(drugs, formulary)
    findings = [
        *_interactions(drugs, rules),
        *acb_findings,
        *_duplicates(drugs, rules),
        *_doses(orders, formulary, patient, conditions, crcl),
        *_conditions(drugs, conditions, rules),
        *_beers(drugs, patient, conditions, crcl, rules),
        *_mme_and_naloxone(drugs, mme, patient, conditions, crcl, rules),
    ]
    findings.sort(key=lambda f: (-SEVERITY_ORDER[f.severity], f.kind.value, f.code, f.drugs))
    return RegimenReport(
        crcl_ml_min=crcl,
        mme=mme,
        acb_total=acb_total,
        conditions=conditions,
        unrecognised_conditions=unknown,
        findings=tuple(findings),
    )
