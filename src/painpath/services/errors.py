"""Errors raised by use cases; the web and API layers map them to HTTP statuses in one place."""

from __future__ import annotations


class ServiceError(Exception):
    """Base of use-case errors. Messages carry identifiers, never PHI."""


class NotFound(ServiceError):
    pass


class PermissionDenied(ServiceError):
    pass


class InvalidInput(ServiceError):
    pass


class Conflict(ServiceError):
    pass


class AuthenticationFailed(ServiceError):
    pass


class Throttled(ServiceError):
    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds
