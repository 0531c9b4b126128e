"""Sign-in: throttling, TOTP second factor, CSRF on forms, sign-out."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from painpath.bootstrap import Container
from painpath.records.models import UserAccount
from painpath.security import totp
from tests.conftest import PASSWORD, FrozenClock, World, web_login


def test_auth_wrong_password_is_401_without_revealing_which_part(
    app_client: TestClient, world: World
) -> None:
    for username in (world.username("drbo"), "nobody@test.painpath.org"):
        response = app_client.post(
            "/api/v1/auth/token", json={"username": username, "password": "wrong-password"}
        )
        assert response.status_code == 401
        assert response.json()["detail"] == "unknown username or wrong password"


def test_auth_throttles_after_repeated_failures_and_recovers(
    app_client: TestClient, world: World, container: Container, clock: FrozenClock
) -> None:
    credentials = {"username": world.username("drbo"), "password": "wrong-password"}
    for _ in range(container.login_policy.max_failures):
        assert app_client.post("/api/v1/auth/token", json=credentials).status_code == 401
    good = {"username": world.username("drbo"), "password": PASSWORD}
    blocked = app_client.post("/api/v1/auth/token", json=good)
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    clock.advance(minutes=16)
    assert app_client.post("/api/v1/auth/token", json=good).status_code == 200


def test_auth_totp_required_when_enrolled(
    app_client: TestClient, world: World, container: Container
) -> None:
    secret = totp.new_secret()
    with container.uow() as uow:
        user = uow.session.get(UserAccount, world.users["drbo"])
        assert user is not None
        user.totp_secret = secret
        uow.commit()
    credentials = {"username": world.username("drbo"), "password": PASSWORD}
    assert app_client.post("/api/v1/auth/token", json=credentials).status_code == 401
    bad = app_client.post("/api/v1/auth/token", json={**credentials, "totp_code": "000000"})
    assert bad.status_code == 401
    good = app_client.post(
        "/api/v1/auth/token", json={**credentials, "totp_code": totp.current_code(secret)}
    )
    assert good.status_code == 200


def test_auth_web_totp_pending_session_cannot_open_pages(
    app_client: TestClient, world: World, container: Container
) -> None:
    with container.uow() as uow:
        user = uow.session.get(UserAccount, world.users["drbo"])
        assert user is not None
        user.totp_secret = totp.new_secret()
        uow.commit()
    page = app_client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf
    response = app_client.post(
        "/login",
        data={
            "username": world.username("drbo"),
            "password": PASSWORD,
            "csrf_token": csrf.group(1),
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/login/totp"
    assert app_client.get("/patients", follow_redirects=False).headers["location"] == "/login/totp"


def test_auth_form_post_without_csrf_token_is_refused(app_client: TestClient, world: World) -> None:
    csrf = web_login(app_client, world, "drbo")
    url = f"/patients/{world.ada}/notes"
    refused = app_client.post(url, data={"title": "t", "body": "b"}, follow_redirects=False)
    assert refused.status_code == 403
    accepted = app_client.post(
        url, data={"title": "t", "body": "b", "csrf_token": csrf}, follow_redirects=False
    )
    assert accepted.status_code == 303


def test_auth_login_form_without_its_csrf_cookie_is_refused(
    app_client: TestClient, world: World
) -> None:
    response = app_client.post(
        "/login",
        data={"username": world.username("drbo"), "password": PASSWORD, "csrf_token": "forged"},
    )
    assert response.status_code == 403


def test_auth_session_cookie_is_http_only_and_sign_out_ends_it(
    app_client: TestClient, world: World
) -> None:
    csrf = web_login(app_client, world, "drbo")
    assert app_client.get("/patients").status_code == 200
    app_client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert app_client.get("/patients", follow_redirects=False).status_code == 303


def test_auth_login_next_parameter_never_redirects_off_site(
    app_client: TestClient, world: World
) -> None:
    page = app_client.get("/login?next=//evil.example/")
    assert 'name="next" value="/"' in page.text
