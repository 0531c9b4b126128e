"""Sign-in with throttling and optional TOTP; server-side sessions so sign-out is real."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from painpath.records.models import LoginAttempt, UserAccount, UserSession
from painpath.security import passwords, tokens, totp
from painpath.security.policy import Actor
from painpath.services.access import actor_for
from painpath.services.errors import AuthenticationFailed, Throttled
from painpath.services.uow import UnitOfWork

# Failures from one address may cover several usernames (password spraying): allow more of them.
IP_FAILURE_MULTIPLIER = 4


@dataclass(frozen=True, slots=True)
class LoginPolicy:
    max_failures: int = 5
    window: timedelta = timedelta(minutes=15)
    session_lifetime: timedelta = timedelta(hours=12)


@dataclass(frozen=True, slots=True)
class SignIn:
    token: str
    csrf_token: str
    needs_second_factor: bool
    user_id: int


@dataclass(frozen=True, slots=True)
class ActiveSession:
    session_id: int
    actor: Actor
    full_name: str
    csrf_token: str
    needs_second_factor: bool


def sign_in(
    uow: UnitOfWork,
    *,
    username: str,
    password: str,
    client_ip: str,
    now: datetime,
    policy: LoginPolicy,
) -> SignIn:
    username = username.strip().lower()
    _check_throttle(uow, username, client_ip, now, policy)
    user = uow.session.scalar(select(UserAccount).where(UserAccount.username == username))
    password_ok = passwords.verify_password(
        user.password_hash if user else passwords.DUMMY_HASH, password
    )
    succeeded = bool(user and user.is_active and password_ok)
    uow.session.add(
        LoginAttempt(username=username, client_ip=client_ip, attempted_at=now, is_success=succeeded)
    )
    if not succeeded or user is None:
        uow.commit()
        raise AuthenticationFailed("unknown username or wrong password")
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    token, csrf = tokens.new_token(), tokens.new_token()
    uow.session.add(
        UserSession(
            token_hash=tokens.token_digest(token),
            user_id=user.id,
            csrf_token=csrf,
            is_mfa_pending=user.totp_secret is not None,
            created_at=now,
            expires_at=now + policy.session_lifetime,
        )
    )
    uow.commit()
    return SignIn(token, csrf, user.totp_secret is not None, user.id)


def _check_throttle(
    uow: UnitOfWork, username: str, client_ip: str, now: datetime, policy: LoginPolicy
) -> None:
    since = now - policy.window
    failures = select(func.count(), func.min(LoginAttempt.attempted_at)).where(
        LoginAttempt.attempted_at >= since, LoginAttempt.is_success.is_(False)
    )
    by_user = uow.session.execute(failures.where(LoginAttempt.username == username)).one()
    by_ip = uow.session.execute(failures.where(LoginAttempt.client_ip == client_ip)).one()
    for (count, oldest), limit in (
        (by_user, policy.max_failures),
        (by_ip, policy.max_failures * IP_FAILURE_MULTIPLIER),
    ):
        if count >= limit:
            retry = (oldest + policy.window - now).total_seconds()
            raise Throttled("too many failed sign-in attempts; try again later", math.ceil(retry))


def confirm_second_factor(uow: UnitOfWork, *, token: str, code: str, now: datetime) -> None:
    session = _live_session(uow, token, now)
    if session is None:
        raise AuthenticationFailed("session expired; sign in again")
    secret = session.user.totp_secret
    if secret is None or not totp.verify_code(secret, code):
        raise AuthenticationFailed("that code is not valid")
    session.is_mfa_pending = False
    uow.commit()


def resolve(uow: UnitOfWork, *, token: str | None, now: datetime) -> ActiveSession | None:
    if not token:
        return None
    session = _live_session(uow, token, now)
    if session is None or not session.user.is_active:
        return None
    return ActiveSession(
        session_id=session.id,
        actor=actor_for(uow, session.user, now=now),
        full_name=session.user.full_name,
        csrf_token=session.csrf_token,
        needs_second_factor=session.is_mfa_pending,
    )


def sign_out(uow: UnitOfWork, *, token: str, now: datetime) -> None:
    session = _live_session(uow, token, now)
    if session is not None:
        session.revoked_at = now
        uow.commit()


def _live_session(uow: UnitOfWork, token: str, now: datetime) -> UserSession | None:
    session = uow.session.scalar(
        select(UserSession).where(UserSession.token_hash == tokens.token_digest(token))
    )
    if session is None or session.revoked_at is not None or session.expires_at <= now:
        return None
    return session
