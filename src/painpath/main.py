"""The ASGI application: JSON API + web pages over one service layer."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from starlette.exceptions import HTTPException as StarletteHTTPException

import painpath.api
import painpath.web
from painpath import __version__
from painpath.api.routes import router as api_router
from painpath.bootstrap import Container, bootstrap
from painpath.clinical.errors import DomainError
from painpath.http.deps import SecondFactorRequired, SignInRequired
from painpath.http.discovery import routers_in
from painpath.http.logs import configure_logging
from painpath.http.middleware import (
    BodySizeLimitMiddleware,
    RequestContextMiddleware,
    SecurityHeadersMiddleware,
)
from painpath.services.errors import (
    AuthenticationFailed,
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    Throttled,
)
from painpath.web.routes import router as web_router
from painpath.web.templating import STATIC_DIR, templates

log = logging.getLogger("painpath")

STATUS_OF: dict[type[Exception], int] = {
    NotFound: 404,
    PermissionDenied: 403,
    InvalidInput: 422,
    DomainError: 422,
    Conflict: 409,
    AuthenticationFailed: 401,
    Throttled: 429,
}


def create_app(container: Container | None = None) -> FastAPI:
    container = container or bootstrap()
    configure_logging(container.settings.log_level, as_json=container.settings.log_json)
    app = FastAPI(
        title="painpath API",
        version=__version__,
        description="Shared care for chronic neuropathic pain. Decision support, not a prescriber.",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.container = container
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=container.settings.max_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware, hsts=container.settings.cookie_secure)
    app.add_middleware(RequestContextMiddleware)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    app.include_router(api_router)
    for router in routers_in(painpath.api):
        app.include_router(router)
    for router in routers_in(painpath.web):
        app.include_router(router)
    app.include_router(web_router)  # last: its catch-alls must not shadow capability pages
    _add_health(app, container)
    _add_error_handlers(app)
    return app


def _add_health(app: FastAPI, container: Container) -> None:
    @app.get("/health", tags=["ops"])
    def health() -> JSONResponse:
        try:
            with container.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:
            log.exception("health check: database unreachable")
            return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
        return JSONResponse({"status": "ok", "database": "ok", "version": __version__})


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def problem(
    request: Request, status: int, detail: str, *, errors: list[dict[str, str]] | None = None
) -> Response:
    title = HTTPStatus(status).phrase
    if not _is_api(request):
        return templates.TemplateResponse(
            request,
            "pages/error.html",
            {"title": title, "detail": detail, "csrf_token": None},
            status_code=status,
        )
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(SignInRequired)
    @app.exception_handler(SecondFactorRequired)
    async def _sign_in(request: Request, exc: AuthenticationFailed) -> Response:
        if _is_api(request):
            response = problem(request, 401, str(exc))
            response.headers["WWW-Authenticate"] = "Bearer"
            return response
        target = "/login/totp" if isinstance(exc, SecondFactorRequired) else "/login"
        next_part = f"?next={quote(request.url.path)}" if target == "/login" else ""
        return RedirectResponse(target + next_part, status_code=303)

    @app.exception_handler(Throttled)
    async def _throttled(request: Request, exc: Throttled) -> Response:
        response = problem(request, 429, str(exc))
        response.headers["Retry-After"] = str(max(1, exc.retry_after_seconds))
        return response

    for exc_type, status in STATUS_OF.items():
        if exc_type is Throttled:
            continue

        async def _mapped(request: Request, exc: Exception, status: int = status) -> Response:
            return problem(request, status, str(exc))

        app.add_exception_handler(exc_type, _mapped)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {
                "field": ".".join(str(part) for part in err.get("loc", ()) if part != "body"),
                "message": str(err.get("msg", "invalid")),
            }
            for err in exc.errors()
        ]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
        return problem(request, 422, detail or "invalid request", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        return problem(request, exc.status_code, detail)
