"""What every use case receives: who is acting, for which request, at what time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from painpath.records.enums import Role
from painpath.security.policy import Actor

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class RequestContext:
    actor: Actor
    request_id: str
    clock: Clock = utc_now

    def now(self) -> datetime:
        return self.clock()


SYSTEM_ACTOR = Actor(user_id=0, username="system", role=Role.ADMIN)
