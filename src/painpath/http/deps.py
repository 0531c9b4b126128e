"""Request-scoped dependencies shared by the JSON API and the web pages."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request

from painpath.bootstrap import Container
from painpath.security import tokens
from painpath.security.policy import Action, Kind
from painpath.services import auth
from painpath.services.access import guard_patient
from painpath.services.context import RequestContext
from painpath.services.errors import AuthenticationFailed, PermissionDenied
from painpath.services.uow import UnitOfWork

SESSION_COOKIE = "painpath_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class SignInRequired(AuthenticationFailed):
    """No live session: the web layer redirects to the sign-in page, the API answers 401."""


class SecondFactorRequired(AuthenticationFailed):
    pass


# Dependencies that do no I/O are ``async def``: FastAPI runs a plain ``def`` dependency in the
# thread pool, and each such hop costs a thread hand-off under the GIL on every request.
async def get_container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


ContainerDep = Annotated[Container, Depends(get_container)]


def get_uow(container: ContainerDep) -> Iterator[UnitOfWork]:
    with container.uow() as uow:
        yield uow


# scope="function": the session (and any transaction a route left open) ends when the route
# returns, before the response is sent. On SQLite every transaction holds the write lock
# (BEGIN IMMEDIATE); holding it while waiting for the event loop to send a response would stall
# every other request.
UowDep = Annotated[UnitOfWork, Depends(get_uow, scope="function")]


def session_token(request: Request) -> tuple[str | None, bool]:
    """The session token and whether it came from a cookie (cookie auth needs CSRF checks)."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip(), False
    return request.cookies.get(SESSION_COOKIE), True


def resolve_session(request: Request, container: ContainerDep) -> auth.ActiveSession | None:
    """Look the session up in a short transaction of its own, in the thread pool (a plain def),
    so no database lock is held across the awaits that follow (CSRF form parsing, async routes)."""
    token, _ = session_token(request)
    with container.uow() as uow:
        active = auth.resolve(uow, token=token, now=container.clock())
        uow.rollback()
    return active


async def get_active_session(
    request: Request,
    active: Annotated[auth.ActiveSession | None, Depends(resolve_session)],
) -> auth.ActiveSession:
    _, from_cookie = session_token(request)
    if active is None:
        raise SignInRequired("sign in to continue")
    if active.needs_second_factor:
        raise SecondFactorRequired("enter the code from your authenticator app")
    if from_cookie and request.method in UNSAFE_METHODS:
        await _check_csrf(request, active.csrf_token)
    request.state.actor_id = active.actor.user_id
    return active


async def _check_csrf(request: Request, expected: str) -> None:
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not tokens.tokens_match(expected, given):
        raise PermissionDenied(
            "the form has expired or did not come from painpath; reload the page"
        )


ActiveSessionDep = Annotated[auth.ActiveSession, Depends(get_active_session)]


async def get_context(
    request: Request, container: ContainerDep, active: ActiveSessionDep
) -> RequestContext:
    return RequestContext(
        actor=active.actor, request_id=request.state.request_id, clock=container.clock
    )


ContextDep = Annotated[RequestContext, Depends(get_context)]


def patient_guard(kind: Kind, action: Action) -> Callable[..., None]:
    """Route dependency for /patients/{patient_id}/... routes that take a body: an out-of-scope
    caller gets 404/403 (audited) before the body is validated, so a probe learns nothing."""

    def guard(patient_id: int, ctx: ContextDep, uow: UowDep) -> None:
        guard_patient(uow, ctx, patient_id, kind, action)

    return guard


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"
