"""The explicit registry of shipped instruments and the one entry point `score`."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from painpath.clinical.errors import UnknownCode
from painpath.clinical.instruments import (
    bpi_sf,
    dn4,
    gad7,
    isi,
    nrs_pain,
    pcs,
    peg,
    pgic,
    phq9,
    pseq,
    psfs,
    s_lanss,
    tsk11,
)
from painpath.clinical.instruments.spec import Answers, InstrumentSpec, ScoreResult

_SPECS: Final = (
    nrs_pain.SPEC,
    peg.SPEC,
    bpi_sf.SPEC,
    dn4.SPEC,
    dn4.INTERVIEW_SPEC,
    s_lanss.SPEC,
    phq9.SPEC,
    phq9.PHQ2_SPEC,
    gad7.SPEC,
    gad7.GAD2_SPEC,
    pcs.SPEC,
    isi.SPEC,
    pseq.SPEC,
    pseq.PSEQ2_SPEC,
    tsk11.SPEC,
    pgic.SPEC,
    psfs.SPEC,
)

INSTRUMENTS: Final[Mapping[str, InstrumentSpec]] = MappingProxyType({s.code: s for s in _SPECS})


def get(code: str) -> InstrumentSpec:
    """The spec for `code`; raises UnknownCode if painpath does not ship it."""
    try:
        return INSTRUMENTS[code]
    except KeyError:
        raise UnknownCode(f"unknown instrument code: {code}") from None


def score(code: str, answers: Answers) -> ScoreResult:
    """Score one response to instrument `code`.

    Raises UnknownCode for an unknown instrument, InvalidAnswer (with the link_id) for an answer
    outside the options or an unknown link_id. An incomplete response gives
    `ScoreResult.incomplete(...)`, never a guessed total.
    """
    return get(code).score(answers)
