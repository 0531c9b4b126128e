"""Opioid Risk Tool: weights restated from Webster 2005 (clinical reference §4.5)."""

from __future__ import annotations

import pytest

from painpath.clinical.errors import InvalidAnswer
from painpath.clinical.medications.codes import Sex
from painpath.clinical.medications.ort import OrtBand, OrtItem, score_ort, score_ort_oud

NONE = {i.value: False for i in OrtItem}


def with_yes(*items: OrtItem) -> dict[str, bool]:
    return NONE | {i.value: True for i in items}


@pytest.mark.parametrize(
    ("answers", "sex", "total", "band"),
    [
        pytest.param(NONE, Sex.FEMALE, 0, OrtBand.LOW, id="minimum-0"),
        # all yes, female: 1+2+4+3+4+5+1+3+2+1 = 26
        pytest.param(dict.fromkeys(NONE, True), Sex.FEMALE, 26, OrtBand.HIGH, id="female-max-26"),
        # all yes, male: 3+3+4+3+4+5+1+0+2+1 = 26
        pytest.param(dict.fromkeys(NONE, True), Sex.MALE, 26, OrtBand.HIGH, id="male-max-26"),
        # family alcohol: female 1, male 3
        pytest.param(
            with_yes(OrtItem.FAMILY_ALCOHOL), Sex.FEMALE, 1, OrtBand.LOW, id="f-family-alcohol-1"
        ),
        pytest.param(
            with_yes(OrtItem.FAMILY_ALCOHOL), Sex.MALE, 3, OrtBand.LOW, id="m-family-alcohol-3"
        ),
        # male: family alcohol 3 + depression 1 = 4 -> moderate (cut-off)
        pytest.param(
            with_yes(OrtItem.FAMILY_ALCOHOL, OrtItem.DEPRESSION),
            Sex.MALE,
            4,
            OrtBand.MODERATE,
            id="cutoff-4-moderate",
        ),
        # abuse item: female 3, male 0
        pytest.param(
            with_yes(OrtItem.PREADOLESCENT_SEXUAL_ABUSE), Sex.MALE, 0, OrtBand.LOW, id="m-abuse-0"
        ),
        # female: personal Rx 5 + abuse 3 = 8 -> high (cut-off); minus depression? no: 7 case below
        pytest.param(
            with_yes(OrtItem.PERSONAL_PRESCRIPTION_DRUGS, OrtItem.PREADOLESCENT_SEXUAL_ABUSE),
            Sex.FEMALE,
            8,
            OrtBand.HIGH,
            id="cutoff-8-high",
        ),
        # female: personal Rx 5 + ADD/OCD 2 = 7 -> moderate (high minus 1)
        pytest.param(
            with_yes(OrtItem.PERSONAL_PRESCRIPTION_DRUGS, OrtItem.ADD_OCD_BIPOLAR_SCHIZOPHRENIA),
            Sex.FEMALE,
            7,
            OrtBand.MODERATE,
            id="7-moderate",
        ),
        # male: family illegal 3 = 3 -> low (moderate minus 1)
        pytest.param(with_yes(OrtItem.FAMILY_ILLEGAL_DRUGS), Sex.MALE, 3, OrtBand.LOW, id="3-low"),
    ],
)
def test_ort_score_and_band(answers: dict[str, bool], sex: Sex, total: int, band: OrtBand) -> None:
    result = score_ort(answers, sex)
    assert (result.total, result.band) == (total, band)


def test_ort_missing_item_is_incomplete_not_guessed() -> None:
    answers = dict(NONE)
    del answers[OrtItem.DEPRESSION.value]
    result = score_ort(answers, Sex.MALE)
    assert not result.is_complete
    assert result.total is None
    assert result.missing == (OrtItem.DEPRESSION.value,)


@pytest.mark.parametrize(
    "answers",
    [
        pytest.param(NONE | {"ort-unknown": True}, id="unknown-item"),
        pytest.param(NONE | {OrtItem.DEPRESSION.value: 1}, id="non-boolean"),
    ],
)
def test_ort_invalid_answers(answers: dict[str, object]) -> None:
    with pytest.raises(InvalidAnswer):
        score_ort(answers, Sex.MALE)  # type: ignore[arg-type]


def test_ort_oud_is_unweighted_and_flagged_unverified() -> None:
    # 3 items yes -> 3 -> high; abuse item is not part of ORT-OUD
    answers = {
        k: v
        for k, v in with_yes(OrtItem.FAMILY_ALCOHOL, OrtItem.DEPRESSION, OrtItem.AGE_16_45).items()
        if k != OrtItem.PREADOLESCENT_SEXUAL_ABUSE.value
    }
    result = score_ort_oud(answers)
    assert (result.total, result.band, result.is_verified) == (3, OrtBand.HIGH, False)
