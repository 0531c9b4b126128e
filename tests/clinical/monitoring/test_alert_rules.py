"""Alert rules over constructed histories; expected outcomes restated with the arithmetic."""

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from painpath.clinical.monitoring import (
    AlertKind,
    BoomBustFlag,
    InvalidMonitoringConfig,
    InvalidMonitoringInput,
    MedicationAdherence,
    MonitoringInputs,
    OwnerRole,
    PainEntry,
    RedFlag,
    ScoreChange,
    SessionAttendance,
    Severity,
    detect_boom_bust,
    detect_flare,
    detect_medication_non_adherence,
    detect_no_diary,
    detect_responder,
    detect_session_non_adherence,
    detect_urgent_safety,
    detect_worsening,
    evaluate_alerts,
    load_monitoring_config,
    new_alerts,
)

CONFIG = load_monitoring_config()
ADA = "patient-ada"
TODAY = date(2026, 11, 20)  # flare window = 19th and 20th; baseline = 12th..18th


def days_before(n: int) -> date:
    return TODAY - timedelta(days=n)


def baseline(values: list[str]) -> list[PainEntry]:
    """Baseline entries on the 7 days 12..18 Nov (values given oldest first; fewer = fewer days)."""
    return [PainEntry(days_before(8 - i), Decimal(v)) for i, v in enumerate(values)]


FLAT4 = baseline(["4"] * 7)


def window(day19: list[str], day20: list[str]) -> list[PainEntry]:
    return [PainEntry(days_before(1), Decimal(v)) for v in day19] + [
        PainEntry(TODAY, Decimal(v)) for v in day20
    ]


FLARE_CASES = [
    # Baseline mean 4 -> threshold 4 + 2 = 6; both days exactly 6 -> flare.
    pytest.param(FLAT4 + window(["6"], ["6"]), True, id="exactly-two-points-both-days"),
    # Today 5.9 < 6 -> only one day -> no flare.
    pytest.param(FLAT4 + window(["6"], ["5.9"]), False, id="second-day-just-below"),
    # No entry today -> a missing day never counts as a flare day.
    pytest.param(FLAT4 + window(["8"], []), False, id="missing-today"),
    # Several entries a day: 19th mean (5+7)/2 = 6, 20th mean (4+8)/2 = 6 -> flare.
    pytest.param(FLAT4 + window(["5", "7"], ["4", "8"]), True, id="daily-mean-of-entries"),
    # 20th mean (4+7)/2 = 5.5 < 6 -> no flare (the peak of 7 does not count with the mean rule).
    pytest.param(FLAT4 + window(["6"], ["4", "7"]), False, id="daily-mean-below"),
    # Baseline with only 3 days (< 4 required) -> not computable -> no alert.
    pytest.param(baseline(["4", "4", "4"]) + window(["9"], ["9"]), False, id="baseline-too-short"),
    # Baseline 4 days 3, 3, 4, 4 -> mean 14/4 = 3.5 -> threshold 5.5; days 5.5 and 5.5 -> flare.
    pytest.param(
        baseline(["3", "3", "4", "4"]) + window(["5.5"], ["5.5"]), True, id="fractional-baseline"
    ),
    # Baseline 3,4,4,5,4,4,4 = 28/7 = 4 -> threshold 6; a day-21 entry is in the future and ignored
    # by construction (only days 19, 20 form the window).
    pytest.param(
        baseline(["3", "4", "4", "5", "4", "4", "4"]) + window(["7"], ["6"]),
        True,
        id="uneven-baseline",
    ),
]


@pytest.mark.parametrize(("entries", "fires"), FLARE_CASES)
def test_flare_rule(entries: list[PainEntry], fires: bool) -> None:
    alerts = detect_flare(ADA, entries, today=TODAY, config=CONFIG)
    assert bool(alerts) is fires
    if fires:
        (alert,) = alerts
        assert alert.kind is AlertKind.FLARE
        assert alert.dedupe_key == "flare:patient-ada"
        assert alert.owner_role is OwnerRole.PHYSIOTHERAPIST
        assert dict(alert.evidence)["baseline_from"] == "2026-11-12"


def test_flare_with_daily_max_clinic_setting() -> None:
    config = load_monitoring_config("[flare.params]\ndaily_max = 1\n")
    entries = FLAT4 + window(["6"], ["4", "7"])
    # Max rule: 20th = max(4, 7) = 7 >= 6 -> flare; the default mean rule said no (5.5).
    assert detect_flare(ADA, entries, today=TODAY, config=config)
    assert config.overridden == ("flare.params",)


def test_flare_rejects_nrs_out_of_range() -> None:
    with pytest.raises(InvalidMonitoringInput):
        detect_flare(ADA, [PainEntry(TODAY, Decimal(11))], today=TODAY, config=CONFIG)


NO_DIARY_CASES = [
    # Last entry Mon 16 Nov, today Tue 24 Nov: whole days without = 17..23 = 7 >= 7 -> alert.
    pytest.param(date(2026, 11, 16), date(2026, 11, 24), True, id="seven-whole-days"),
    # Today Mon 23 Nov: 17..22 = 6 days -> no alert.
    pytest.param(date(2026, 11, 16), date(2026, 11, 23), False, id="six-whole-days"),
    # Entry yesterday -> 0 days missed.
    pytest.param(date(2026, 11, 23), date(2026, 11, 24), False, id="entry-yesterday"),
    # Never an entry, monitoring started 17 Nov, today 24 Nov: 17..23 = 7 days -> alert.
    pytest.param(None, date(2026, 11, 24), True, id="never-any-entry"),
]


@pytest.mark.parametrize(("last", "today", "fires"), NO_DIARY_CASES)
def test_no_diary_rule(last: date | None, today: date, fires: bool) -> None:
    alerts = detect_no_diary(
        ADA,
        last_entry_on=last,
        monitoring_started_on=date(2026, 11, 17),
        today=today,
        config=CONFIG,
    )
    assert bool(alerts) is fires
    if fires:
        assert alerts[0].owner_role is OwnerRole.COORDINATOR


PDC_CASES = [
    pytest.param(MedicationAdherence("pregabalin", Decimal("79.9"), True), True, id="pdc-79-9"),
    pytest.param(MedicationAdherence("pregabalin", Decimal(80), True), False, id="pdc-exactly-80"),
    # PRN medicine: PDC not meaningful (reference 4.7) -> never alerts.
    pytest.param(MedicationAdherence("oxycodone-ir", Decimal(20), False), False, id="prn-skipped"),
]


@pytest.mark.parametrize(("adherence", "fires"), PDC_CASES)
def test_medication_non_adherence(adherence: MedicationAdherence, fires: bool) -> None:
    alerts = detect_medication_non_adherence(ADA, [adherence], today=TODAY, config=CONFIG)
    assert bool(alerts) is fires
    if fires:
        assert alerts[0].owner_role is OwnerRole.PHARMACIST
        assert alerts[0].dedupe_key == f"non-adherence-medication:{ADA}:{adherence.drug_code}"
        assert alerts[0].is_rule_verified


SESSION_CASES = [
    # 4 / 10 = 40 % < 50 % -> alert.
    pytest.param(SessionAttendance("phase-1", 10, 4), True, id="forty-percent"),
    # 5 / 10 = 50 % -> not below -> no alert.
    pytest.param(SessionAttendance("phase-1", 10, 5), False, id="exactly-fifty"),
    # Nothing planned yet -> no alert (no division by zero).
    pytest.param(SessionAttendance("phase-1", 0, 0), False, id="none-planned"),
]


@pytest.mark.parametrize(("attendance", "fires"), SESSION_CASES)
def test_session_non_adherence(attendance: SessionAttendance, fires: bool) -> None:
    alerts = detect_session_non_adherence(ADA, [attendance], today=TODAY, config=CONFIG)
    assert bool(alerts) is fires


WORSENING_CASES = [
    # PHQ-9 8 -> 13 = +5 = MCID 5 (Lowe 2004) -> alert to the psychologist.
    pytest.param(
        ScoreChange("phq-9", Decimal(8), Decimal(13), Decimal(5), True),
        OwnerRole.PSYCHOLOGIST,
        id="phq9-plus-5",
    ),
    # PHQ-9 8 -> 12 = +4 < 5 -> none.
    pytest.param(
        ScoreChange("phq-9", Decimal(8), Decimal(12), Decimal(5), True), None, id="phq9-plus-4"
    ),
    # PSFS higher is better: 6 -> 4 = worse by 2 = MCID 2 -> physiotherapist.
    pytest.param(
        ScoreChange("psfs", Decimal(6), Decimal(4), Decimal(2), False),
        OwnerRole.PHYSIOTHERAPIST,
        id="psfs-minus-2",
    ),
    # PSFS improving 4 -> 6 is not worsening.
    pytest.param(
        ScoreChange("psfs", Decimal(4), Decimal(6), Decimal(2), False), None, id="psfs-improving"
    ),
    # PEG 5.0 -> 6.0 = +1 = MCID 1 -> default owner physician.
    pytest.param(
        ScoreChange("peg", Decimal(5), Decimal(6), Decimal(1), True),
        OwnerRole.PHYSICIAN,
        id="peg-plus-1",
    ),
]


@pytest.mark.parametrize(("change", "owner"), WORSENING_CASES)
def test_worsening_beyond_mcid(change: ScoreChange, owner: OwnerRole | None) -> None:
    alerts = detect_worsening(ADA, [change], today=TODAY, config=CONFIG)
    assert (alerts[0].owner_role if alerts else None) is owner


RESPONDER_CASES = [
    # (8 - 5.6) / 8 = 30 % -> moderate.
    pytest.param("8", "5.6", None, (f"responder:{ADA}:pain:moderate",), id="exactly-30pct"),
    # (8 - 5.7) / 8 = 28.75 % -> none.
    pytest.param("8", "5.7", None, (), id="below-30pct"),
    # (8 - 4) / 8 = 50 % -> substantial only (highest level).
    pytest.param("8", "4", None, (f"responder:{ADA}:pain:substantial",), id="exactly-50pct"),
    # Baseline 0: percentage undefined (Dworkin 2008 needs baseline > 0) -> none.
    pytest.param("0", "0", None, (), id="baseline-zero"),
    # PGIC 2 (much improved) -> global responder.
    pytest.param(None, None, 2, (f"responder:{ADA}:pgic",), id="pgic-much-improved"),
    pytest.param(None, None, 3, (), id="pgic-minimally-improved"),
]


@pytest.mark.parametrize(("base", "now", "pgic", "keys"), RESPONDER_CASES)
def test_immpact_responder_good_news(
    base: str | None, now: str | None, pgic: int | None, keys: tuple[str, ...]
) -> None:
    alerts = detect_responder(
        ADA,
        baseline_nrs=None if base is None else Decimal(base),
        current_nrs=None if now is None else Decimal(now),
        pgic_code=pgic,
        today=TODAY,
        config=CONFIG,
    )
    assert tuple(a.dedupe_key for a in alerts) == keys
    assert all(a.severity is Severity.INFO for a in alerts)


URGENT_CASES = [
    pytest.param(0, (), (), id="item9-zero"),
    # Any response >= 1 ("several days") -> same-day alert, keyed by the response.
    pytest.param(1, (), (f"urgent-safety:{ADA}:phq-9-item-9:resp-7",), id="item9-one"),
    pytest.param(3, (), (f"urgent-safety:{ADA}:phq-9-item-9:resp-7",), id="item9-three"),
    pytest.param(
        None,
        (RedFlag.CAUDA_EQUINA, RedFlag.OPIOID_TOXICITY, RedFlag.CAUDA_EQUINA),
        (
            f"urgent-safety:{ADA}:red-flag:cauda-equina",
            f"urgent-safety:{ADA}:red-flag:opioid-toxicity",
        ),
        id="red-flags-once-each",
    ),
]


@pytest.mark.parametrize(("item9", "flags", "keys"), URGENT_CASES)
def test_urgent_safety(
    item9: int | None, flags: tuple[RedFlag, ...], keys: tuple[str, ...]
) -> None:
    alerts = detect_urgent_safety(
        ADA,
        phq9_item9=item9,
        phq9_response_id="resp-7",
        red_flags=flags,
        today=TODAY,
        config=CONFIG,
    )
    assert tuple(a.dedupe_key for a in alerts) == keys
    for alert in alerts:
        assert alert.severity is Severity.URGENT
        assert not alert.can_auto_close
        assert alert.owner_role is OwnerRole.PHYSICIAN
        assert OwnerRole.PSYCHOLOGIST in alert.also_notify


def test_positive_item9_without_response_id_is_refused() -> None:
    with pytest.raises(InvalidMonitoringInput):
        detect_urgent_safety(
            ADA, phq9_item9=2, phq9_response_id=None, red_flags=(), today=TODAY, config=CONFIG
        )


@pytest.mark.parametrize(
    "clinic",
    [
        pytest.param("[urgent-safety]\nenabled = false\n", id="cannot-disable-safety"),
        pytest.param("[urgent-safety]\nseverity = 'high'\n", id="cannot-downgrade-safety"),
        pytest.param(
            "[urgent-safety.params]\nphq9_item9_at_or_above = 2\n", id="cannot-raise-item9"
        ),
        pytest.param("[flare-ish]\nenabled = false\n", id="unknown-rule"),
        pytest.param("[flare]\ncolour = 'red'\n", id="unknown-setting"),
        pytest.param("[boom-bust.params]\nx = 1\n", id="params-on-rule-without-params"),
        pytest.param("[flare.params]\nmin_day = 3\n", id="misspelt-param"),
    ],
)
def test_clinic_config_refuses_unsafe_or_unknown_overrides(clinic: str) -> None:
    with pytest.raises(InvalidMonitoringConfig):
        load_monitoring_config(clinic)


def test_clinic_can_change_threshold_and_owner() -> None:
    config = load_monitoring_config(
        'version = "clinic-a-3"\n[no-diary]\nowner_role = "physiotherapist"\n[no-diary.params]\ndays_without_entry = 3\n'
    )
    alerts = detect_no_diary(
        ADA,
        last_entry_on=date(2026, 11, 20),
        monitoring_started_on=date(2026, 11, 1),
        today=date(2026, 11, 24),
        config=config,
    )
    # 21, 22, 23 = 3 whole days >= 3 -> alert, routed to the physio.
    assert alerts[0].owner_role is OwnerRole.PHYSIOTHERAPIST
    assert config.version == "1+clinic-clinic-a-3"
    assert config.overridden == ("no-diary.owner_role", "no-diary.params")


def test_longer_flare_window_from_clinic_setting() -> None:
    config = load_monitoring_config("[flare.params]\nmin_days = 3\n")
    # Window becomes 18, 19, 20 Nov; the 18th (baseline value 4) is below 6 -> no flare with 3 days,
    # while the default 2-day window (19th, 20th) fires.
    entries = FLAT4 + window(["7"], ["7"])
    assert detect_flare(ADA, entries, today=TODAY, config=CONFIG)
    assert detect_flare(ADA, entries, today=TODAY, config=config) == ()


def test_disabled_rule_produces_nothing() -> None:
    config = load_monitoring_config("[boom-bust]\nenabled = false\n")
    flag = BoomBustFlag(TODAY, "walking")
    assert detect_boom_bust(ADA, [flag], today=TODAY, config=config) == ()
    assert len(detect_boom_bust(ADA, [flag], today=TODAY, config=CONFIG)) == 1


def test_every_alert_rule_has_rationale_source_and_docs() -> None:
    doc = (Path(__file__).parents[3] / "docs" / "monitoring" / "alert_rules.md").read_text("utf-8")
    for kind, settings in CONFIG.rules.items():
        assert settings.rationale and settings.source, kind
        assert f"`{kind.value}`" in doc, kind


def test_same_condition_does_not_open_a_second_alert() -> None:
    inputs = MonitoringInputs(
        patient_ref=ADA,
        monitoring_started_on=date(2026, 11, 1),
        pain_entries=tuple(FLAT4 + window(["7"], ["7"])),
        last_diary_on=TODAY,
        medication_adherence=(MedicationAdherence("pregabalin", Decimal(70), True),),
        phq9_item9=1,
        phq9_response_id="resp-9",
    )
    day1 = evaluate_alerts(inputs, today=TODAY, config=CONFIG)
    kinds = [a.kind for a in day1]
    # Urgent first, then the rest in rule order.
    assert kinds == [AlertKind.URGENT_SAFETY, AlertKind.FLARE, AlertKind.NON_ADHERENCE_MEDICATION]
    opened = new_alerts(day1, open_keys=())
    assert len(opened) == 3
    # Next day the flare and non-adherence continue; with their alerts still open nothing new opens.
    day2_inputs = MonitoringInputs(
        patient_ref=ADA,
        monitoring_started_on=date(2026, 11, 1),
        pain_entries=tuple(
            FLAT4 + window(["7"], ["7"]) + [PainEntry(TODAY + timedelta(days=1), Decimal(7))]
        ),
        last_diary_on=TODAY + timedelta(days=1),
        medication_adherence=(MedicationAdherence("pregabalin", Decimal(68), True),),
    )
    day2 = evaluate_alerts(day2_inputs, today=TODAY + timedelta(days=1), config=CONFIG)
    assert {a.kind for a in day2} == {AlertKind.FLARE, AlertKind.NON_ADHERENCE_MEDICATION}
    assert new_alerts(day2, open_keys=[a.dedupe_key for a in opened]) == ()
    # A second positive PHQ-9 response is a new condition and is never swallowed.
    again = detect_urgent_safety(
        ADA, phq9_item9=1, phq9_response_id="resp-10", red_flags=(), today=TODAY, config=CONFIG
    )
    assert len(new_alerts(again, open_keys=[a.dedupe_key for a in opened])) == 1
