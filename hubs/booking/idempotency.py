"""``Idempotency-Key`` for creating bookings through the API.

The key is claimed (a row inserted) at the start of the same unit of work that books, and
completed with the answer at its end. A second request with the key either sees the stored
answer, or — when it raced the first — fails to claim the key (unique constraint) and then
reads the answer the first one committed. So a booking is never made twice. Only a
successful answer is stored: a refused request writes nothing, and may be retried.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from flask import Response, jsonify, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError

from hubs.booking.models import IdempotencyKey
from hubs.db import execute_core, insert_rows, transactional, utcnow
from hubs.errors import DomainError, InvalidInput
from hubs.extensions import db

HEADER = "Idempotency-Key"


class KeyInUse(Exception):
    """Another request claimed the same key first (it has committed by now)."""


@dataclass
class Claim:
    user_id: int
    key: str
    request_hash: str
    render: Callable[[Any], dict[str, Any]]
    row: Stored | None = None


def check_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > 200 or not key.isprintable():
        raise InvalidInput(_l("Use a key of 1 to 200 printable characters."), field=HEADER)
    return key


def request_hash(method: str, path: str, payload: Any) -> str:
    canonical = json.dumps(
        {"method": method, "path": path, "body": payload}, sort_keys=True, default=str
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass
class Stored:
    """The answer stored with a key."""

    status_code: int
    response: Any


def stored(user_id: int, key: str, request_hash_: str) -> Stored | None:
    """The answer stored for this key, or None. Another body with the same key: 422."""
    row = execute_core(_STORED, {"user_id": user_id, "key": key}).first()
    if row is None:
        return None
    if row.request_hash != request_hash_:
        raise InvalidInput(
            _l("This Idempotency-Key was already used for a different request."), field=HEADER
        )
    return Stored(row.status_code, row.response)


# Built once, read as plain columns: every create request with a key runs it (bench/: row 1).
_STORED = select(
    IdempotencyKey.request_hash, IdempotencyKey.status_code, IdempotencyKey.response
).where(IdempotencyKey.user_id == bindparam("user_id"), IdempotencyKey.key == bindparam("key"))


def claim(c: Claim, status: int = 0, result: Any = None) -> None:
    """Insert the key first thing in the unit of work (a racing twin waits, then fails).

    A use case that knows its answer before it writes (``status`` and ``result``) stores
    it with the key, and need not :func:`complete` it. One plain INSERT: the row is only
    read back by :func:`answer`, so it stays out of the session.
    """
    response = c.render(result) if status else {}
    values = {
        "user_id": c.user_id,
        "key": c.key,
        "request_hash": c.request_hash,
        "status_code": status,
        "response": response,
        "created_at": utcnow(),
    }
    try:
        insert_rows(_TABLE, values)
    except IntegrityError as exc:
        raise KeyInUse(c.key) from exc
    c.row = Stored(status, response)


_TABLE = cast(Table, IdempotencyKey.__table__)


def is_key_taken(exc: IntegrityError) -> bool:
    """The database refused a claim: the user's key is in the table already."""
    orig = exc.orig
    constraint = getattr(getattr(orig, "diag", None), "constraint_name", None)
    return constraint == "uq_idempotency_keys_user_id_key" or (
        "UNIQUE constraint failed: idempotency_keys" in str(orig)
    )


def complete(c: Claim, status: int, result: Any) -> None:
    """Store the answer with the key claimed earlier in this unit of work."""
    assert c.row is not None
    response = c.render(result)
    db.session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.user_id == c.user_id, IdempotencyKey.key == c.key)
        .values(status_code=status, response=response)
    )
    c.row.status_code = status
    c.row.response = response


def answer(
    user_id: int,
    header_value: str,
    render: Callable[[Any], dict[str, Any]],
    run: Callable[[Claim], Any],
) -> Response:
    """Answer a create request that carries an ``Idempotency-Key``: ``run(claim)`` (the
    service claims the key in its own unit of work) and answer what it stored, or replay
    the answer stored for the same key and body.

    The stored answer is looked up only when the use case does not succeed: its claim of
    the key failed (a replay, or a twin that raced it), or it was refused (a replay of a
    booking may be refused now, its own booking holding the slot or its start passed).
    A new request, the usual one, so costs no lookup (bench/: row 1).
    """
    key = check_key(header_value)
    digest = request_hash(request.method, request.path, request.get_json(silent=True))
    c = Claim(user_id, key, digest, render=render)
    try:
        run(c)
    except KeyInUse:
        db.session.rollback()
        previous = stored(user_id, key, digest)
    except DomainError:
        db.session.rollback()
        previous = stored(user_id, key, digest)
        if previous is None:
            raise
    else:
        previous = c.row
    assert previous is not None
    response = jsonify(previous.response)
    response.status_code = previous.status_code
    return response


@transactional
def purge(now: datetime | None = None, hours: int = 24) -> int:
    """Forget keys older than ``hours``."""
    cutoff = (now or utcnow()) - timedelta(hours=hours)
    result = db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
