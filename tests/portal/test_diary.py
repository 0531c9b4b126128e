"""Diary entries on the real database: idempotent retries, validation, scope, local dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from painpath.bootstrap import Container
from painpath.records.models import Patient
from painpath.records.models_portal import DiaryEntry
from painpath.services import diary
from painpath.services.errors import InvalidInput, NotFound, PermissionDenied
from tests.conftest import FrozenClock, World, context_for


def entry(pain: int = 4, **kwargs: object) -> diary.DiaryInput:
    return diary.DiaryInput(pain_nrs=pain, **kwargs)  # type: ignore[arg-type]


def count(container: Container) -> int:
    with container.uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(DiaryEntry)) or 0)


def test_diary_records_an_entry_and_lists_it(container: Container, world: World) -> None:
    ctx = context_for(container, world, "ada")
    with container.uow() as uow:
        recorded = diary.record_entry(
            uow,
            ctx,
            world.ada,
            entry(
                6,
                sleep_quality=2,
                mood=3,
                activity_minutes=25,
                is_flare=True,
                flare_trigger="carried shopping",
                body_region="r-forearm-ventral-lateral",
                note="burning",
            ),
            idempotency_key="0f8c7a1e-1111-4b7a-9d1e-000000000001",
        )
    assert recorded.is_new
    with container.uow() as uow:
        (listed,) = diary.list_entries(uow, ctx, world.ada)
    assert (listed.pain_nrs, listed.sleep_label, listed.mood_label) == (6, "poor", "OK")
    assert (listed.is_flare, listed.flare_trigger, listed.activity_minutes) == (
        True,
        "carried shopping",
        25,
    )
    assert listed.body_region_label == "right front of forearm, radial side"
    assert listed.recorded_on == date(2026, 3, 2)


def test_diary_retry_with_the_same_key_returns_the_stored_entry(
    container: Container, world: World, clock: FrozenClock
) -> None:
    ctx = context_for(container, world, "ada")
    key = "retry-key-0001"
    with container.uow() as uow:
        first = diary.record_entry(uow, ctx, world.ada, entry(5), idempotency_key=key)
    clock.advance(seconds=30)  # the reply was lost; the phone sends the same entry again
    with container.uow() as uow:
        again = diary.record_entry(uow, ctx, world.ada, entry(5), idempotency_key=key)
    assert first.is_new and not again.is_new
    assert again.entry.id == first.entry.id
    assert count(container) == 1


def test_diary_same_key_for_another_patient_is_a_different_entry(
    container: Container, world: World
) -> None:
    for key in ("ada", "ben"):
        ctx = context_for(container, world, key)
        with container.uow() as uow:
            diary.record_entry(
                uow, ctx, getattr(world, key), entry(3), idempotency_key="shared-key-01"
            )
    assert count(container) == 2


def test_diary_several_entries_a_day_are_kept(
    container: Container, world: World, clock: FrozenClock
) -> None:
    ctx = context_for(container, world, "ada")
    for n, pain in enumerate((3, 5, 7)):
        with container.uow() as uow:
            diary.record_entry(uow, ctx, world.ada, entry(pain), idempotency_key=f"day-entry-{n}")
        clock.advance(hours=3)
    with container.uow() as uow:
        today, entries = diary.today_entries(uow, ctx, world.ada)
    assert today == date(2026, 3, 2)
    assert [e.pain_nrs for e in entries] == [7, 5, 3]  # newest first
    (point,) = diary.daily_points(entries)
    assert point.mean_pain == 5  # (3 + 5 + 7) / 3


@pytest.mark.parametrize(
    ("data", "key"),
    [
        pytest.param(entry(11), "valid-key-1", id="pain-above-10"),
        pytest.param(entry(-1), "valid-key-1", id="pain-below-0"),
        pytest.param(entry(4, sleep_quality=0), "valid-key-1", id="sleep-outside-1-5"),
        pytest.param(entry(4, mood=6), "valid-key-1", id="mood-outside-1-5"),
        pytest.param(entry(4, activity_minutes=1441), "valid-key-1", id="activity-over-a-day"),
        pytest.param(entry(4, body_region="tail"), "valid-key-1", id="unknown-region"),
        pytest.param(entry(4), "short", id="key-too-short"),
        pytest.param(entry(4), "has spaces in it", id="key-bad-characters"),
        pytest.param(
            entry(4, recorded_at=datetime(2026, 3, 3, 9, 30, tzinfo=UTC)),
            "valid-key-1",
            id="recorded-in-the-future",
        ),
        pytest.param(
            entry(4, recorded_at=datetime(2026, 2, 20, 9, 30, tzinfo=UTC)),
            "valid-key-1",
            id="recorded-over-7-days-ago",
        ),
    ],
)
def test_diary_refuses_invalid_entries(
    container: Container, world: World, data: diary.DiaryInput, key: str
) -> None:
    ctx = context_for(container, world, "ada")
    with container.uow() as uow, pytest.raises(InvalidInput):
        diary.record_entry(uow, ctx, world.ada, data, idempotency_key=key)
    assert count(container) == 0


def test_diary_offline_entry_keeps_the_time_it_was_typed_on_the_local_date(
    container: Container, world: World
) -> None:
    with container.uow() as uow:
        patient = uow.session.get(Patient, world.ada)
        assert patient is not None
        patient.timezone = "America/New_York"
        uow.commit()
    ctx = context_for(container, world, "ada")
    typed = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 22:00 on 1 March in New York (UTC-5)
    with container.uow() as uow:
        recorded = diary.record_entry(
            uow, ctx, world.ada, entry(4, recorded_at=typed), idempotency_key="offline-entry-1"
        )
    assert recorded.entry.recorded_at == typed
    assert recorded.entry.recorded_on == date(2026, 3, 1)


def test_diary_staff_read_but_never_write_and_outsiders_see_nothing(
    container: Container, world: World
) -> None:
    with container.uow() as uow:
        diary.record_entry(
            uow,
            context_for(container, world, "ada"),
            world.ada,
            entry(),
            idempotency_key="k-000001",
        )
    with container.uow() as uow:
        assert len(diary.list_entries(uow, context_for(container, world, "drbo"), world.ada)) == 1
    with container.uow() as uow, pytest.raises(PermissionDenied):
        diary.record_entry(
            uow,
            context_for(container, world, "drbo"),
            world.ada,
            entry(),
            idempotency_key="k-000002",
        )
    with container.uow() as uow, pytest.raises(NotFound):
        diary.list_entries(uow, context_for(container, world, "outsider"), world.ada)
    with container.uow() as uow, pytest.raises(NotFound):
        diary.list_entries(uow, context_for(container, world, "ben"), world.ada)


def test_diary_summary_gives_the_seven_day_mean_of_daily_means(
    container: Container, world: World, clock: FrozenClock
) -> None:
    ctx = context_for(container, world, "ada")
    # Day 1: 2 and 4 (mean 3); day 2: 6; day 3: 5 -> mean of daily means (3 + 6 + 5) / 3 = 4.7.
    plan = [(0, 2), (0, 4), (1, 6), (2, 5)]
    start = clock.now
    for n, (day, pain) in enumerate(plan):
        clock.now = start + timedelta(days=day, minutes=n)
        with container.uow() as uow:
            diary.record_entry(uow, ctx, world.ada, entry(pain), idempotency_key=f"sum-key-{n}")
    with container.uow() as uow:
        summary = diary.get_summary(uow, context_for(container, world, "drbo"), world.ada)
    assert str(summary.mean_pain_7d) == "4.7"
    assert (summary.days_with_entries_7d, summary.last_pain_nrs) == (3, 5)


def test_diary_concurrent_copies_of_one_entry_store_one_row(
    container: Container, world: World
) -> None:
    # Four copies of the same entry arrive at once (a phone retrying on a flaky connection).
    # Whoever loses the unique-constraint race answers with the winner's row.
    import threading

    ctx = context_for(container, world, "ada")
    barrier = threading.Barrier(4)
    results: list[diary.RecordedEntry] = []
    errors: list[BaseException] = []

    def send() -> None:
        try:
            barrier.wait(timeout=10)
            with container.uow() as uow:
                results.append(
                    diary.record_entry(uow, ctx, world.ada, entry(5), idempotency_key="race-key-01")
                )
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sum(r.is_new for r in results) == 1
    assert len({r.entry.id for r in results}) == 1
    assert count(container) == 1
