"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

import contextlib
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from werkzeug.security import check_password_hash
from zxcvbn.frequency_lists import FREQUENCY_LISTS

# Dutch favourites the English-centred list misses.
_DUTCH_COMMON = {"wachtwoord", "welkom", "welkom01", "welkom123", "geheim", "voetbal"}


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["ARGON2_TIME_COST"],
        memory_cost=cfg["ARGON2_MEMORY_COST"],
        parallelism=cfg["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    """An argon2id hash with the configured parameters."""
    return _hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Check a password against an argon2 hash or a legacy Werkzeug (pbkdf2/scrypt) hash."""
    if not stored_hash:
        # Spend the same time as a real check so a missing account is not revealed.
        _burn(password)
        return False
    if stored_hash.startswith("$argon2"):
        try:
            return _hasher().verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False
    try:
        return check_password_hash(stored_hash, password)
    except ValueError:
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True for legacy hashes and argon2 hashes with weaker parameters than configured."""
    if not stored_hash.startswith("$argon2"):
        return True
    return _hasher().check_needs_rehash(stored_hash)


def _burn(password: str) -> None:
    with contextlib.suppress(VerificationError, InvalidHashError):
        _hasher().verify(_dummy_hash(), password)


def _dummy_hash() -> str:
    cfg = current_app.config
    return _cached_dummy(
        cfg["ARGON2_TIME_COST"], cfg["ARGON2_MEMORY_COST"], cfg["ARGON2_PARALLELISM"]
    )


@lru_cache(maxsize=4)
def _cached_dummy(time_cost: int, memory_cost: int, parallelism: int) -> str:
    return PasswordHasher(time_cost, memory_cost, parallelism).hash("hubs-dummy-password")


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"]) | _DUTCH_COMMON


def is_common_password(password: str) -> bool:
    """A password from the 30,000 most common ones (or that plus a few digits)."""
    lowered = password.lower()
    return lowered in _common_passwords() or lowered.rstrip("0123456789!") in (_common_passwords())
