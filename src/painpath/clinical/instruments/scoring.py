"""Generic scoring engine shared by the instrument modules: validate, aggregate, band."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Context, Decimal

from painpath.clinical.instruments.spec import (
    TOTAL,
    Aggregation,
    Answer,
    Answers,
    Bands,
    Flag,
    InvalidResponse,
    Item,
    Option,
    Scale,
    ScoreResult,
    UnknownLinkId,
)

# Means are kept exact to 28 significant digits and rounded only at presentation.
_MEAN_CONTEXT = Context(prec=28)


def _option_for(item: Item, answer: Answer) -> Option | None:
    # bool is an int subclass; True/False would silently pass as 1/0, so it never matches.
    if isinstance(answer, bool):
        return None
    for option in item.options:
        if (isinstance(answer, int) and option.value == answer) or option.code == answer:
            return option
    return None


ItemFlags = Callable[[dict[str, int]], frozenset[Flag]]


def validated(
    code: str, items: Sequence[Item], answers: Answers, *, flags: ItemFlags | None = None
) -> dict[str, int]:
    """Scored value of every answered item (reverse-keying applied).

    Raises UnknownLinkId for a link_id the instrument lacks and InvalidResponse (an
    InvalidAnswer) for a value or code that is not one of the item's options; the message names
    every offending link_id and the error carries the `flags` raised by the valid answers.
    Unanswered items are simply absent from the result.
    """
    by_id = {i.link_id: i for i in items}
    unknown = sorted(set(answers) - set(by_id))
    values: dict[str, int] = {}
    problems: list[str] = []
    for link_id, answer in answers.items():
        item = by_id.get(link_id)
        if item is None:
            continue
        option = _option_for(item, answer)
        if option is None:
            problems.append(f"{link_id}: {answer!r} is not a response option")
            continue
        value = option.value
        if item.is_reverse_scored:
            value = item.min_value + item.max_value - value
        values[link_id] = value
    if unknown or problems:
        raised = flags(values) if flags else frozenset()
        if unknown:
            raise UnknownLinkId(f"{code}: unknown link_id(s): {', '.join(unknown)}", flags=raised)
        raise InvalidResponse(f"{code}: {'; '.join(problems)}", flags=raised)
    return values


def missing_items(items: Sequence[Item], values: dict[str, int]) -> tuple[str, ...]:
    """Required items without an answer, in form order."""
    return tuple(i.link_id for i in items if not i.is_optional and i.link_id not in values)


def scale_score(scale: Scale, values: dict[str, int]) -> Decimal | None:
    """Score of one scale, or None when its missing-item rule is not met."""
    answered = [values[link_id] for link_id in scale.link_ids if link_id in values]
    if len(answered) < scale.min_answered:
        return None
    if scale.aggregation is Aggregation.MEAN:
        return _MEAN_CONTEXT.divide(Decimal(sum(answered)), Decimal(len(answered)))
    # SUM, and CATEGORY (a single item whose value is its category code); Scale guarantees
    # that these never run on fewer than all their items.
    return Decimal(sum(answered))


def standard_scorer(
    code: str,
    items: Sequence[Item],
    *,
    total: Scale | None,
    subscales: Sequence[Scale] = (),
    bands: Bands | None = None,
    flags: ItemFlags | None = None,
) -> Callable[[Answers], ScoreResult]:
    """Build the pure `score(answers)` for an instrument declared as data.

    The result is incomplete (never a guessed total) when any scale misses its rule; item-level
    flags (`flags`) are computed first, from whatever was answered, so they survive incompleteness.
    """
    scales = ((total,) if total else ()) + tuple(subscales)

    def score(answers: Answers) -> ScoreResult:
        values = validated(code, items, answers, flags=flags)
        raised = flags(values) if flags else frozenset()
        scores = {scale.code: scale_score(scale, values) for scale in scales}
        missing = missing_items(items, values)
        # Prorated: a scale stood in for required items that are missing (optional slots that
        # were left empty, such as unused PSFS activities, do not count).
        prorated = any(link_id in missing for s in scales for link_id in s.link_ids)
        sub = {s.code: scores[s.code] for s in subscales}
        if any(v is None for v in scores.values()):
            return ScoreResult.incomplete(missing, flags=raised, subscales=sub)
        if prorated:
            raised = raised | {Flag.PRORATED}
        band = None
        if bands is not None:
            banded = scores[bands.scale]
            assert banded is not None  # every scale was computed above
            band = bands.classify(banded)
        return ScoreResult(
            total=scores.get(TOTAL) if total else None,
            band=band,
            subscales=sub,
            flags=raised,
            missing=missing,
        )

    return score
