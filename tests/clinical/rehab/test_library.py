"""Exercise library: shipped data coverage, link validation, readability of instructions."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest

from painpath.clinical.errors import UnknownCode
from painpath.clinical.rehab.library import (
    Category,
    LibraryDataError,
    default_library,
    parse_library,
)

LIB = default_library()


def test_library_ships_at_least_sixty_exercises() -> None:
    assert len(LIB) >= 60


@pytest.mark.parametrize("category", list(Category), ids=[c.value for c in Category])
def test_every_category_has_at_least_three_exercises(category: Category) -> None:
    assert len(LIB.by_category(category)) >= 3


def test_every_exercise_has_a_non_empty_dosage_and_rpe_within_cr10() -> None:
    for ex in LIB:
        d = ex.dosage
        assert d.reps or d.hold_s or d.duration_min, ex.id
        assert 0 <= d.rpe_min <= d.rpe_max <= 10, ex.id


def test_progression_chains_rise_in_level() -> None:
    for ex in LIB:
        levels = [e.level for e in LIB.progression_chain(ex.id)]
        assert levels == sorted(levels), ex.id


def test_progression_chain_of_sit_to_stand() -> None:
    chain = [e.id for e in LIB.progression_chain("str-sit-to-stand-high")]
    assert chain == ["str-sit-to-stand-high", "str-sit-to-stand", "str-sit-to-stand-weighted"]


def test_get_unknown_exercise_raises() -> None:
    with pytest.raises(UnknownCode):
        LIB.get("no-such-exercise")


def _syllables(word: str) -> int:
    w = re.sub(r"[^a-z]", "", word.lower())
    if len(w) <= 3:
        return 1
    w = re.sub(r"(?:[^laeiouy]es|ed|[^laeiouy]e)$", "", w)
    w = re.sub(r"^y", "", w)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", w)))


def _fk_grade(text: str) -> float:
    # Flesch-Kincaid grade = 0.39 (words/sentences) + 11.8 (syllables/words) - 15.59.
    sentences = [s for s in re.split(r"[.!?]+", text) if s.strip()]
    words = re.findall(r"[A-Za-z']+", text)
    syllables = sum(_syllables(w) for w in words)
    return 0.39 * len(words) / len(sentences) + 11.8 * syllables / len(words) - 15.59


def test_fk_grade_helper_on_a_known_sentence() -> None:
    # "The cat sat on the mat." 6 words, 1 sentence, 6 syllables:
    # 0.39 * 6 + 11.8 * 1 - 15.59 = 2.34 + 11.8 - 15.59 = -1.45
    assert _fk_grade("The cat sat on the mat.") == pytest.approx(-1.45)


def test_instructions_read_at_about_age_eleven() -> None:
    # US grade 6 ~ reading age 11; each instruction must be at or below grade 6.
    too_hard = {ex.id: round(_fk_grade(ex.instructions), 1) for ex in LIB}
    assert {k: v for k, v in too_hard.items() if v > 6} == {}


def _doc(*exercises: dict[str, Any]) -> dict[str, Any]:
    return {"meta": {"version": "t"}, "exercise": list(exercises)}


def _ex(ex_id: str, **extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": ex_id,
        "name": ex_id,
        "category": "strength",
        "body_region": "knee",
        "level": 1,
        "reps": 5,
        "instructions": "Do it.",
    }
    base.update(extra)
    return base


BAD_LIBRARIES = [
    pytest.param(_doc(_ex("a", progression="b")), id="unresolved-link"),
    pytest.param(_doc(_ex("a", progression="a")), id="self-link"),
    pytest.param(_doc(_ex("a", progression="b"), _ex("b")), id="not-mutual"),
    pytest.param(
        _doc(
            _ex("a", progression="b", regression="b"),
            _ex("b", progression="a", regression="a"),
        ),
        id="cycle",
    ),
    pytest.param(
        _doc(_ex("a", level=2, progression="b"), _ex("b", level=1, regression="a")),
        id="level-drops",
    ),
    pytest.param(_doc(_ex("a"), _ex("a")), id="duplicate"),
    pytest.param(_doc(_ex("A_b")), id="id-not-kebab"),
    pytest.param(_doc(_ex("a", category="yoga")), id="unknown-category"),
    pytest.param(_doc(_ex("a", contraindications=["gout"])), id="unknown-tag"),
    pytest.param(_doc(_ex("a", rpe_min=5, rpe_max=3)), id="rpe-inverted"),
    pytest.param(_doc(_ex("a", rpe_max=11)), id="rpe-above-10"),
    pytest.param(_doc(_ex("a", reps=0)), id="no-dosage"),
    pytest.param(_doc(_ex("a", level=4)), id="level-out-of-range"),
    pytest.param(_doc(_ex("a", instructions="")), id="no-instructions"),
    pytest.param({"meta": {}}, id="no-exercises"),
]


@pytest.mark.parametrize("doc", BAD_LIBRARIES)
def test_parse_library_rejects_bad_data(doc: dict[str, Any]) -> None:
    with pytest.raises(LibraryDataError):
        parse_library(doc)


def test_parse_library_accepts_a_valid_chain() -> None:
    lib = parse_library(_doc(_ex("a", progression="b"), _ex("b", level=2, regression="a")))
    assert [e.id for e in lib.progression_chain("a")] == ["a", "b"]


def test_ids_are_unique_in_shipped_file() -> None:
    assert max(Counter(ex.id for ex in LIB).values()) == 1
