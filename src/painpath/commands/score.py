"""`painpath score INSTRUMENT --answers FILE`: score one questionnaire from a JSON array of item
responses in the published item order (issue 4's CLI contract; keep its output stable)."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer

from painpath.clinical.errors import DomainError
from painpath.clinical.instruments import registry
from painpath.clinical.instruments.spec import Flag, InstrumentSpec, ScoreResult

# Contract codes -> registry codes (the registry names the NRS "nrs-pain").
CONTRACT_CODES = {
    "nrs": "nrs-pain",
    "peg": "peg",
    "bpi-sf": "bpi-sf",
    "dn4": "dn4",
    "dn4-interview": "dn4-interview",
    "s-lanss": "s-lanss",
    "phq-9": "phq-9",
    "phq-2": "phq-2",
    "gad-7": "gad-7",
    "gad-2": "gad-2",
    "pcs": "pcs",
    "isi": "isi",
    "pseq": "pseq",
    "pseq-2": "pseq-2",
    "tsk-11": "tsk-11",
    "pgic": "pgic",
}
# PHQ-9 item 9 (thoughts of self-harm) answered above 0: the contract's name for the flag.
FLAG_NAMES = {Flag.URGENT_SAFETY: "suicidality"}
YES_NO = ("no", "yes")


class ScoreInputError(ValueError):
    pass


def _fail(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)
    raise typer.Exit(2)


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _answers(spec: InstrumentSpec, responses: list[Any]) -> dict[str, int | str]:
    required = [item for item in spec.items if not item.is_optional]
    if len(responses) not in {len(required), len(spec.items)}:
        expected = f"{len(required)}" + (
            f" or {len(spec.items)}" if len(required) != len(spec.items) else ""
        )
        raise ScoreInputError(f"{spec.code} has {expected} items; the file has {len(responses)}")
    answers: dict[str, int | str] = {}
    for position, (item, response) in enumerate(zip(spec.items, responses, strict=False), 1):
        if response is None:
            continue
        if isinstance(response, bool) or not isinstance(response, int | float):
            raise ScoreInputError(f"item {position} ({item.link_id}): {response!r} is not a number")
        if response != int(response):
            raise ScoreInputError(
                f"item {position} ({item.link_id}): {response} is not a whole number"
            )
        code = int(response)
        if tuple(o.code for o in item.options) == YES_NO:
            # Yes/no items arrive as 1 = yes, 0 = no; the instrument applies its own weights.
            if code not in (0, 1):
                raise ScoreInputError(
                    f"item {position} ({item.link_id}): {code} is out of range (0 = no, 1 = yes)"
                )
            answers[item.link_id] = YES_NO[code]
            continue
        allowed = [o.value for o in item.options]
        if code not in allowed:
            raise ScoreInputError(
                f"item {position} ({item.link_id}): {code} is out of range ({min(allowed)}-{max(allowed)})"
            )
        answers[item.link_id] = code
    return answers


def result_json(contract_code: str, result: ScoreResult) -> dict[str, Any]:
    return {
        "instrument": contract_code,
        "total": _number(result.total),
        "subscales": {
            name: _number(value) for name, value in result.subscales.items() if value is not None
        },
        "band": None if result.band is None else str(result.band.value),
        "flags": sorted(
            FLAG_NAMES.get(f, str(f.value)) for f in result.flags if f is not Flag.PRORATED
        ),
        "prorated": Flag.PRORATED in result.flags,
    }


def score_command(
    instrument: Annotated[
        str, typer.Argument(help="nrs, peg, bpi-sf, dn4, … (see docs/instruments)")
    ],
    answers: Annotated[Path, typer.Option("--answers", help="JSON array, published item order")],
) -> None:
    """Score a questionnaire from a JSON array of item codes (null = unanswered)."""
    code = CONTRACT_CODES.get(instrument.lower())
    if code is None:
        _fail(f"unknown instrument {instrument!r}; one of: {', '.join(CONTRACT_CODES)}")
        return
    spec = registry.get(code)
    try:
        responses = json.loads(answers.read_text())
    except OSError as exc:
        _fail(f"cannot read {answers}: {exc.strerror}")
        return
    except json.JSONDecodeError as exc:
        _fail(f"{answers} is not JSON: {exc.msg} at line {exc.lineno}")
        return
    if not isinstance(responses, list):
        _fail(f"{answers} must hold a JSON array of item responses")
        return
    try:
        result = registry.score(code, _answers(spec, responses))
    except (ScoreInputError, DomainError) as exc:
        _fail(str(exc))
        return
    if not result.is_complete:
        flags = result_json(instrument, result)["flags"]
        extra = f" (flags: {', '.join(flags)})" if flags else ""
        _fail(f"too many missing items to score {instrument}: {', '.join(result.missing)}{extra}")
    print(json.dumps(result_json(instrument.lower(), result)))


def register(app: typer.Typer) -> None:
    app.command("score")(score_command)
