"""Optional TOTP second factor (RFC 6238, 30-second steps, one step of clock drift allowed)."""

from __future__ import annotations

import pyotp


def new_secret() -> str:
    return str(pyotp.random_base32())


def provisioning_uri(secret: str, username: str) -> str:
    return str(pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name="painpath"))


def verify_code(secret: str, code: str) -> bool:
    cleaned = code.replace(" ", "")
    if not cleaned.isdigit() or len(cleaned) != 6:
        return False
    return bool(pyotp.TOTP(secret).verify(cleaned, valid_window=1))


def current_code(secret: str) -> str:
    return str(pyotp.TOTP(secret).now())
