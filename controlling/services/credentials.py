"""Secrets: Argon2id password hashes (argon2-cffi) and SHA-256 digests of random tokens.

Passwords are low-entropy, so they get a slow, salted, memory-hard hash. Tokens and session
keys are 256 random bits: a plain SHA-256 digest cannot be reversed and lets them be looked
up by their digest."""

import hashlib
import secrets
from functools import cache

from controlling.domain.identity import TOKEN_PREFIX


@cache
def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()  # Argon2id with argon2-cffi's RFC 9106 "low memory" profile


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; an unknown login (no hash) costs the same time."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    return _hasher().hash(secrets.token_urlsafe(16))


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def new_key() -> str:
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def same(a: str | None, b: str | None) -> bool:
    """Constant-time comparison of two secrets."""
    return bool(a) and bool(b) and secrets.compare_digest(a.encode(), b.encode())
