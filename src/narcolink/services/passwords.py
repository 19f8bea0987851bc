"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from narcolink.exc import BadRequest

MIN_PASSWORD = 12
MAX_PASSWORD = 1024  # hashing megabytes of "password" is a cheap denial of service


@cache
def hasher() -> PasswordHasher:
    """argon2id with the library's RFC 9106 low-memory defaults."""
    return PasswordHasher()


@cache
def dummy_hash() -> str:
    """A hash to verify against for unknown users, so they cost the same time as known ones."""
    return hasher().hash(secrets.token_hex(16))


def verify(password_hash: str, password: str) -> bool:
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def check_password(password: str, username: str = "") -> None:
    """The password policy; raises BadRequest saying which rule failed."""
    if len(password) < MIN_PASSWORD:
        raise BadRequest(f"password must be at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise BadRequest(f"password must be at most {MAX_PASSWORD} characters")
    if username and password.casefold() == username.casefold():
        raise BadRequest("password must not be the username")
