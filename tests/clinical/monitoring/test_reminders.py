"""Reminder scheduling across zones and DST transitions; UTC instants worked out by hand.

2026 transitions used (IANA rules): Europe/London BST starts Sun 29 Mar 01:00 UTC (01:00 -> 02:00
local) and ends Sun 25 Oct 01:00 UTC (02:00 BST -> 01:00 GMT); America/New_York EDT starts Sun 8 Mar
(02:00 -> 03:00, UTC-5 -> UTC-4); Australia/Sydney AEDT starts Sun 4 Oct (02:00 -> 03:00, +10 -> +11).
"""

from datetime import UTC, date, datetime, time

import pytest

from painpath.clinical.errors import UnknownCode
from painpath.clinical.monitoring import (
    DoneItem,
    InvalidSchedule,
    ReminderKind,
    ReminderPlan,
    schedule_reminders,
    to_utc,
)


def utc(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


TO_UTC_CASES = [
    # GMT (UTC+0) the day before BST starts: 08:00 local = 08:00 UTC.
    pytest.param("Europe/London", date(2026, 3, 28), time(8), utc(2026, 3, 28, 8), id="london-gmt"),
    # BST (UTC+1) from 29 Mar: 08:00 local = 07:00 UTC.
    pytest.param(
        "Europe/London", date(2026, 3, 29), time(8), utc(2026, 3, 29, 7), id="london-first-bst-day"
    ),
    # 01:30 does not exist on 29 Mar; read with the offset before the gap (+0) -> 01:30 UTC (= 02:30 BST).
    pytest.param(
        "Europe/London", date(2026, 3, 29), time(1, 30), utc(2026, 3, 29, 1, 30), id="london-gap"
    ),
    # 01:30 happens twice on 25 Oct; first occurrence is BST (+1) -> 00:30 UTC.
    pytest.param(
        "Europe/London",
        date(2026, 10, 25),
        time(1, 30),
        utc(2026, 10, 25, 0, 30),
        id="london-overlap-first",
    ),
    # New York gap: 02:30 on 8 Mar read as EST (-5) -> 07:30 UTC (= 03:30 EDT).
    pytest.param(
        "America/New_York", date(2026, 3, 8), time(2, 30), utc(2026, 3, 8, 7, 30), id="new-york-gap"
    ),
    # Sydney AEST (+10) on 3 Oct: 09:00 -> 23:00 UTC the day before.
    pytest.param(
        "Australia/Sydney", date(2026, 10, 3), time(9), utc(2026, 10, 2, 23), id="sydney-aest"
    ),
    # Sydney AEDT (+11) on 4 Oct: 09:00 -> 22:00 UTC the day before.
    pytest.param(
        "Australia/Sydney", date(2026, 10, 4), time(9), utc(2026, 10, 3, 22), id="sydney-aedt"
    ),
    # Half-hour zone, no DST: Kolkata +05:30 -> 20:00 local = 14:30 UTC.
    pytest.param(
        "Asia/Kolkata",
        date(2026, 11, 26),
        time(20),
        utc(2026, 11, 26, 14, 30),
        id="kolkata-half-hour",
    ),
    # Los Angeles PST (-8): 21:00 on 26 Nov = 05:00 UTC on 27 Nov (UTC date differs from local).
    pytest.param(
        "America/Los_Angeles",
        date(2026, 11, 26),
        time(21),
        utc(2026, 11, 27, 5),
        id="la-crosses-utc-midnight",
    ),
]


@pytest.mark.parametrize(("zone", "day", "at", "expected"), TO_UTC_CASES)
def test_to_utc_is_dst_correct(zone: str, day: date, at: time, expected: datetime) -> None:
    from zoneinfo import ZoneInfo

    assert to_utc(day, at, ZoneInfo(zone)) == expected


PREGABALIN = ReminderPlan("pregabalin-step-2", ReminderKind.MEDICATION, (time(8), time(20)))


def test_schedule_across_spring_forward_keeps_local_times() -> None:
    reminders = schedule_reminders(
        "patient-ada",
        [PREGABALIN],
        zone_name="Europe/London",
        start_on=date(2026, 3, 28),
        end_on=date(2026, 3, 29),
    )
    # 28 Mar GMT: 08:00 and 20:00 UTC; 29 Mar BST: 07:00 and 19:00 UTC.
    assert [r.due_at for r in reminders] == [
        utc(2026, 3, 28, 8),
        utc(2026, 3, 28, 20),
        utc(2026, 3, 29, 7),
        utc(2026, 3, 29, 19),
    ]
    assert reminders[2].idempotency_key == "r1:patient-ada:pregabalin-step-2:2026-03-29T08:00"
    assert all(r.due_at.tzinfo is UTC for r in reminders)


def test_overlap_slot_is_sent_once() -> None:
    plan = ReminderPlan("night-dose", ReminderKind.MEDICATION, (time(1, 30),))
    reminders = schedule_reminders(
        "patient-ada",
        [plan],
        zone_name="Europe/London",
        start_on=date(2026, 10, 25),
        end_on=date(2026, 10, 25),
    )
    assert [r.due_at for r in reminders] == [utc(2026, 10, 25, 0, 30)]


def test_done_items_are_skipped() -> None:
    exercise = ReminderPlan("phase-1", ReminderKind.EXERCISE, (time(10), time(16)))
    done = [
        DoneItem("pregabalin-step-2", date(2026, 11, 26), time(8)),  # morning dose taken
        DoneItem("phase-1", date(2026, 11, 26)),  # whole day's exercises done
    ]
    reminders = schedule_reminders(
        "patient-ada",
        [PREGABALIN, exercise],
        zone_name="Europe/London",
        start_on=date(2026, 11, 26),
        end_on=date(2026, 11, 26),
        done=done,
    )
    # Only the 20:00 dose remains (GMT in November: 20:00 UTC).
    assert [(r.item_code, r.due_at) for r in reminders] == [
        ("pregabalin-step-2", utc(2026, 11, 26, 20))
    ]


def test_rerun_and_zone_change_give_the_same_keys() -> None:
    kwargs = {"start_on": date(2026, 11, 26), "end_on": date(2026, 11, 28)}
    london = schedule_reminders("patient-ada", [PREGABALIN], zone_name="Europe/London", **kwargs)  # type: ignore[arg-type]
    again = schedule_reminders("patient-ada", [PREGABALIN], zone_name="Europe/London", **kwargs)  # type: ignore[arg-type]
    madrid = schedule_reminders("patient-ada", [PREGABALIN], zone_name="Europe/Madrid", **kwargs)  # type: ignore[arg-type]
    assert london == again
    keys = [r.idempotency_key for r in london]
    assert len(set(keys)) == len(keys) == 6
    # Same local slots in another zone -> same keys, different instants (Madrid CET is UTC+1).
    assert [r.idempotency_key for r in madrid] == keys
    assert madrid[0].due_at == utc(2026, 11, 26, 7)


def test_not_before_drops_past_reminders_and_weekday_filter_applies() -> None:
    weekly = ReminderPlan(
        "peg-weekly", ReminderKind.QUESTIONNAIRE, (time(18),), iso_weekdays=frozenset({1})
    )
    reminders = schedule_reminders(
        "patient-ada",
        [PREGABALIN, weekly],
        zone_name="Europe/London",
        start_on=date(2026, 11, 29),  # Sunday
        end_on=date(2026, 11, 30),  # Monday
        not_before=utc(2026, 11, 29, 12),
    )
    # Sun 08:00 is before noon UTC -> dropped; Sun 20:00, Mon 08:00, Mon 18:00 PEG, Mon 20:00 remain.
    assert [(r.item_code, r.due_at.hour, r.local_date.day) for r in reminders] == [
        ("pregabalin-step-2", 20, 29),
        ("pregabalin-step-2", 8, 30),
        ("peg-weekly", 18, 30),
        ("pregabalin-step-2", 20, 30),
    ]


def test_only_on_dates() -> None:
    plan = ReminderPlan(
        "review-bundle",
        ReminderKind.QUESTIONNAIRE,
        (time(9),),
        only_on=frozenset({date(2026, 12, 1)}),
    )
    reminders = schedule_reminders(
        "patient-ada",
        [plan],
        zone_name="UTC",
        start_on=date(2026, 11, 28),
        end_on=date(2026, 12, 3),
    )
    assert [r.due_at for r in reminders] == [utc(2026, 12, 1, 9)]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        pytest.param({"zone_name": "Mars/Olympus"}, UnknownCode, id="unknown-zone"),
        pytest.param({"start_on": date(2026, 12, 2)}, InvalidSchedule, id="reversed-range"),
        pytest.param({"not_before": datetime(2026, 11, 26, 9)}, InvalidSchedule, id="naive-now"),
        pytest.param({"end_on": date(2027, 12, 1)}, InvalidSchedule, id="range-too-long"),
    ],
)
def test_schedule_rejects_bad_requests(kwargs: dict[str, object], error: type[Exception]) -> None:
    args: dict[str, object] = {
        "zone_name": "Europe/London",
        "start_on": date(2026, 11, 26),
        "end_on": date(2026, 12, 1),
    }
    args.update(kwargs)
    with pytest.raises(error):
        schedule_reminders("patient-ada", [PREGABALIN], **args)  # type: ignore[arg-type]


def test_duplicate_local_times_in_a_plan_are_refused() -> None:
    plan = ReminderPlan("x", ReminderKind.MEDICATION, (time(8), time(8, 0, 30)))
    with pytest.raises(InvalidSchedule):
        schedule_reminders(
            "patient-ada",
            [plan],
            zone_name="UTC",
            start_on=date(2026, 11, 26),
            end_on=date(2026, 11, 26),
        )
