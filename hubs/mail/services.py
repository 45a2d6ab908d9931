"""Queue mail inside a unit of work; deliver it after commit, exactly once per message.

``queue_mail`` renders the message in the recipient's language and writes it to the
outbox in the caller's transaction: if the change rolls back, so does the mail.
``queue_composed`` writes a recipe instead (a composer's name and ids), which the worker
composes before sending (``compose_pending``): for the hot paths (bench/: row 1).
``deliver_pending`` claims due messages (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, the
write lock on SQLite), sends them outside any transaction, and records the outcome:
sent, or retried later with exponential backoff.
"""

from __future__ import annotations

import email.utils
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from functools import cache
from typing import Any, cast
from urllib.parse import urlsplit

from flask import current_app, g, has_request_context, render_template
from flask_babel import force_locale
from jinja2 import TemplateNotFound
from markupsafe import escape
from sqlalchemy import Select, Table, bindparam, delete, insert, or_, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import make_transient_to_detached

from hubs.db import execute_core, in_write_transaction, insert_rows, transactional, utcnow
from hubs.extensions import db
from hubs.mail import kinds
from hubs.mail.backends import backend_for
from hubs.mail.models import NotificationOptOut, OutboxMessage, OutboxStatus


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0

    @property
    def attempted(self) -> int:
        return self.sent + self.retried + self.failed


def queue_mail(
    *,
    to: Any,
    kind: str,
    template: str,
    subject: Any,
    locale: str | None = None,
    attachments: list[dict[str, str]] | None = None,
    **context: Any,
) -> OutboxMessage | None:
    """Write a message to the outbox in the current unit of work.

    ``to`` is a User (address, language and notification choices apply) or an address.
    ``template`` names ``mail/<template>.txt`` (and optionally ``.html``). ``subject`` is
    a (lazy) gettext string. Returns None when the user switched this kind off.
    """
    if not in_write_transaction():
        raise RuntimeError("queue_mail() belongs inside the unit of work that causes it")
    # Whatever the message refers to is written first (nothing to do when it is already).
    db.session.flush()
    user = None if isinstance(to, str) else to
    address = to if isinstance(to, str) else to.email
    locale = locale or (user.locale if user is not None else None) or "nl"
    if user is not None and not kinds.is_security(kind) and _opted_out(user.id, kind):
        return None
    text, html, subject_text = render_mail(template, subject, locale, user=user, **context)
    return _insert_message(
        kind=kind,
        to_address=address,
        to_user_id=user.id if user is not None else None,
        locale=locale,
        subject=subject_text[:300],
        body_text=text,
        body_html=html,
        attachments=attachments or [],
    )


def queue_composed(*, to: Any, kind: str, composer: str, **args: Any) -> None:
    """Write a message to the outbox that the worker composes before sending.

    Rendering a message costs more than the rest of a booking (bench/: row 1), so the
    hot paths queue a recipe instead: ``composer`` (registered with
    :func:`register_composer`) and its JSON-able ``args`` (ids, short texts). The
    composer runs when the message is due (:func:`compose_pending`), in the message's
    language, and reads what the ids name then: a booking moved in between is described
    as it is. ``to`` is a User. Their notification choices apply when it is composed: a
    message of a kind they switched off is then removed.
    """
    if not in_write_transaction():
        raise RuntimeError("queue_composed() belongs inside the unit of work that causes it")
    if composer not in _composers:
        raise LookupError(f"no mail composer {composer!r}")
    # Nothing is read back: one INSERT (with the booking's, on PostgreSQL: hubs.db.together).
    values = {
        "kind": kind,
        "to_address": to.email,
        "to_user_id": to.id,
        "locale": to.locale or "nl",
        "subject": "",
        "body_text": "",
        "body_html": "",
        "attachments": [],
        "recipe": {"composer": composer, "args": args},
        # Not due until composed (then: now). A worker of the code before recipes, still
        # running while the new code is deployed, never takes it for an empty message.
        "next_attempt_at": NOT_YET,
    }
    insert_rows(cast(Table, OutboxMessage.__table__), values)
    if has_request_context():
        g.mail_queued = True


def _insert_message(**values: Any) -> OutboxMessage:
    # One plain INSERT: cheaper than the unit of work (bench/: booking throughput).
    message = OutboxMessage(**values)
    result = execute_core(_INSERT, values)
    message.id = result.inserted_primary_key[0]  # type: ignore[attr-defined]
    make_transient_to_detached(message)
    db.session.add(message)
    if has_request_context():
        g.mail_queued = True
    return message


_INSERT = insert(cast(Table, OutboxMessage.__table__))
NOT_YET = datetime(9999, 1, 1, tzinfo=UTC)


def _opted_out(user_id: int, kind: str) -> bool:
    params = {"user_id": user_id, "kind": kinds.category(kind)}
    return execute_core(_opt_out_statement(), params).first() is not None


@cache
def _opt_out_statement() -> Select[Any]:
    # Built once: it runs for every message (bench/: booking throughput).
    return select(NotificationOptOut.id).where(
        NotificationOptOut.user_id == bindparam("user_id"),
        NotificationOptOut.kind == bindparam("kind"),
    )


# Templates without an .html part (templates do not change while the app runs).
_TEXT_ONLY: set[str] = set()


def render_mail(template: str, subject: Any, locale: str, **context: Any) -> tuple[str, str, str]:
    """Text body, HTML body and subject in ``locale``; links use BASE_URL, not the Host."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with app.test_request_context(base_url=app.config["BASE_URL"]), force_locale(locale):
        subject_text = str(subject)
        context.setdefault("subject", subject_text)
        text = render_template(f"mail/{template}.txt", **context)
        html = None
        if template not in _TEXT_ONLY:
            try:
                html = render_template(f"mail/{template}.html", **context)
            except TemplateNotFound:
                # Jinja does not cache a miss: it would search every template folder
                # for each message (bench/: booking throughput).
                _TEXT_ONLY.add(template)
        if html is None:
            html = render_template(
                "mail/fallback.html", body=escape(text).replace("\n", "<br>\n"), **context
            )
    return text.strip() + "\n", html, subject_text


# --- composed messages ------------------------------------------------------------------


@dataclass
class Composed:
    """What a composer says a recipe becomes: ``queue_mail``'s arguments."""

    template: str
    subject: Any
    context: dict[str, Any]
    attachments: list[dict[str, str]]


# A composer gets the recipe's args and the message's locale (it runs inside
# ``force_locale``) and returns the message; or None when there is nothing left to say
# (what it is about was removed), or a text saying why the message is no longer true:
# the message is then not sent, and the outbox keeps the reason.
Composer = Callable[[dict[str, Any], str], Composed | str | None]
_composers: dict[str, Composer] = {}


def register_composer(name: str, composer: Composer) -> None:
    _composers[name] = composer


def compose_pending(batch_size: int | None = None) -> int:
    """Compose every queued recipe (the worker does this before sending). Rendering
    happens outside the write transaction; the results are stored in a short one. Safe
    to run in several processes: a message composed twice is stored once. A database
    error leaves the recipe for the next round. Returns how many were stored."""
    batch_size = batch_size or current_app.config["MAIL_BATCH_SIZE"]
    stored = 0
    after = 0
    try:
        while True:
            params = {"after": after, "n": batch_size}
            pending = list(db.session.execute(_recipes_statement(), params))
            if not pending:
                return stored
            after = pending[-1].id
            results = [(row.id, _compose(row)) for row in pending]
            stored += _store_composed([(i, values) for i, values in results if values != _LATER])
    except BaseException:
        db.session.rollback()
        raise


@cache
def _recipes_statement() -> Select[Any]:
    m = OutboxMessage
    return (
        select(m.id, m.kind, m.recipe, m.locale, m.to_user_id)
        .where(m.recipe.is_not(None), m.status == OutboxStatus.PENDING, m.id > bindparam("after"))
        .order_by(m.id)
        .limit(bindparam("n"))
    )


_LATER: dict[str, Any] = {"later": True}  # _compose: leave the recipe for the next round


def _compose(row: Any) -> dict[str, Any] | None:
    """The column values for one recipe: the rendered message, or why it is not sent
    (None: the recipient switched this kind of message off, or is no longer active, so
    it goes; ``_LATER``: the database failed, try again next round)."""
    from hubs.accounts.models import User

    recipe = row.recipe
    try:
        user = db.session.get(User, row.to_user_id) if row.to_user_id is not None else None
        if row.to_user_id is not None and (user is None or not user.active):
            return None
        chosen = user is not None and not kinds.is_security(row.kind)
        if chosen and _opted_out(row.to_user_id, row.kind):
            return None
        composer = _composers[recipe["composer"]]
        with force_locale(row.locale):
            composed = composer(recipe.get("args", {}), row.locale)
        if composed is None:
            return _not_sent("nothing to say: what the message was about is gone")
        if isinstance(composed, str):
            return _not_sent(composed)
        text, html, subject = render_mail(
            composed.template, composed.subject, row.locale, user=user, **composed.context
        )
    except DBAPIError:
        # Not the recipe's fault (a lost connection, a failed transaction): start clean
        # and keep it for the next round.
        current_app.logger.exception("mail %s: the database failed while composing", row.id)
        db.session.rollback()
        return _LATER
    except Exception as exc:
        current_app.logger.exception("mail %s could not be composed", row.id)
        return _not_sent(f"could not be composed: {_describe(exc)}")
    return {
        "subject": subject[:300],
        "body_text": text,
        "body_html": html,
        "attachments": composed.attachments,
        "recipe": None,
        "next_attempt_at": utcnow(),
    }


def _not_sent(reason: str) -> dict[str, Any]:
    # next_attempt_at dates a failure for the retention purge.
    values = {"status": OutboxStatus.FAILED, "last_error": reason[:1000], "recipe": None}
    return {**values, "next_attempt_at": utcnow()}


@transactional
def _store_composed(results: list[tuple[int, dict[str, Any] | None]]) -> int:
    stored = 0
    for message_id, values in results:
        # Only while still a recipe: another worker may have stored it, or an erasure
        # cancelled it, in the meantime.
        still_a_recipe = (
            OutboxMessage.id == message_id,
            OutboxMessage.recipe.is_not(None),
            OutboxMessage.status == OutboxStatus.PENDING,
        )
        if values is None:
            db.session.execute(delete(OutboxMessage).where(*still_a_recipe))
            continue
        done = db.session.execute(update(OutboxMessage).where(*still_a_recipe).values(**values))
        stored += int(done.rowcount or 0)  # type: ignore[attr-defined]
    return stored


def set_opt_outs(user_id: int, codes: set[str]) -> None:
    """Store which choosable notification kinds the user does not want."""
    allowed = {k.code for k in kinds.choosable()}
    _set_opt_outs(user_id, codes & allowed)


@transactional
def _set_opt_outs(user_id: int, codes: set[str]) -> None:
    db.session.execute(delete(NotificationOptOut).where(NotificationOptOut.user_id == user_id))
    for code in sorted(codes):
        db.session.add(NotificationOptOut(user_id=user_id, kind=code))


def opt_outs(user_id: int) -> set[str]:
    return set(
        db.session.scalars(
            select(NotificationOptOut.kind).where(NotificationOptOut.user_id == user_id)
        )
    )


# --- delivery ---------------------------------------------------------------------------


def deliver_pending(batch_size: int | None = None) -> DeliveryReport:
    """Deliver due messages until none are left; safe to run in several processes."""
    batch_size = batch_size or current_app.config["MAIL_BATCH_SIZE"]
    report = DeliveryReport()
    while True:
        try:
            compose_pending(batch_size)
        except DBAPIError:
            # What is composed already still goes; the recipes wait for the next round.
            current_app.logger.exception("composing mail failed")
        claimed = _claim(batch_size)
        if not claimed:
            return report
        outcomes = _send(claimed)
        _record(outcomes, report)


@transactional
def _claim(batch_size: int) -> list[dict[str, Any]]:
    now = utcnow()
    lease = timedelta(seconds=current_app.config["MAIL_LEASE_SECONDS"])
    due = (
        select(OutboxMessage)
        .where(
            OutboxMessage.recipe.is_(None),
            or_(
                (OutboxMessage.status == OutboxStatus.PENDING)
                & (OutboxMessage.next_attempt_at <= now),
                # A worker that died mid-send: its lease ran out, try again.
                (OutboxMessage.status == OutboxStatus.SENDING)
                & (OutboxMessage.claimed_until < now),
            ),
        )
        .order_by(OutboxMessage.id)
        .limit(batch_size)
    )
    if db.engine.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    messages = list(db.session.scalars(due))
    for message in messages:
        message.status = OutboxStatus.SENDING
        message.claimed_until = now + lease
        message.attempts += 1
    return [_as_envelope(m) for m in messages]


def _as_envelope(message: OutboxMessage) -> dict[str, Any]:
    return {
        "id": message.id,
        "to": message.to_address,
        "subject": message.subject,
        "text": message.body_text,
        "html": message.body_html,
        "locale": message.locale,
        "attachments": list(message.attachments or []),
        "attempts": message.attempts,
        "created_at": message.created_at,
    }


def build_email(envelope: dict[str, Any]) -> EmailMessage:
    """The MIME message for an outbox row; its Message-ID is derived from the row id."""
    config = current_app.config
    domain = urlsplit(config["BASE_URL"]).hostname or "hubs.local"
    msg = EmailMessage()
    msg["Message-ID"] = f"<outbox-{envelope['id']}@{domain}>"
    msg["From"] = config["MAIL_FROM"]
    msg["To"] = envelope["to"]
    msg["Subject"] = envelope["subject"]
    msg["Date"] = email.utils.format_datetime(envelope["created_at"])
    msg["Content-Language"] = envelope["locale"]
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(envelope["text"])
    if envelope["html"]:
        msg.add_alternative(envelope["html"], subtype="html")
    for attachment in envelope["attachments"]:
        _attach(msg, attachment)
    return msg


def _attach(msg: EmailMessage, attachment: dict[str, str]) -> None:
    """Add one attachment, keeping the parameters of its type (``text/calendar;
    method=PUBLISH``: mail clients offer to add the event only when the method is there)
    and its bytes as they are (iCalendar needs its CRLF line ends)."""
    maintype, _, rest = attachment["content_type"].partition("/")
    subtype, *raw_params = (part.strip() for part in rest.split(";"))
    params = {}
    for raw in raw_params:
        name, _, value = raw.partition("=")
        if name.strip():
            params[name.strip().lower()] = value.strip().strip('"')
    if maintype == "text":
        params.setdefault("charset", "utf-8")
    msg.add_attachment(
        attachment["content"].encode(),
        maintype=maintype,
        subtype=subtype,
        filename=attachment["filename"],
        params=params,
    )


def _send(envelopes: list[dict[str, Any]]) -> list[tuple[int, int, str | None]]:
    """Send outside any transaction; returns (id, attempts, error or None) per message."""
    backend = backend_for(current_app)
    outcomes: list[tuple[int, int, str | None]] = []
    try:
        with backend.session() as send:
            for envelope in envelopes:
                try:
                    send(build_email(envelope))
                    outcomes.append((envelope["id"], envelope["attempts"], None))
                except Exception as exc:  # noqa: BLE001 - recorded, retried later
                    outcomes.append((envelope["id"], envelope["attempts"], _describe(exc)))
    except Exception as exc:  # noqa: BLE001 - the server is down: retry them all later
        done = {o[0] for o in outcomes}
        outcomes += [
            (e["id"], e["attempts"], _describe(exc)) for e in envelopes if e["id"] not in done
        ]
    return outcomes


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:1000]


@transactional
def _record(outcomes: list[tuple[int, int, str | None]], report: DeliveryReport) -> None:
    now = utcnow()
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    for message_id, attempts, error in outcomes:
        if error is None:
            values: dict[str, Any] = {
                "status": OutboxStatus.SENT,
                "sent_at": now,
                "claimed_until": None,
                "last_error": "",
            }
            report.sent += 1
        elif attempts >= max_attempts:
            values = {"status": OutboxStatus.FAILED, "claimed_until": None, "last_error": error}
            report.failed += 1
            current_app.logger.error("mail %s failed for good: %s", message_id, error)
        else:
            values = {
                "status": OutboxStatus.PENDING,
                "claimed_until": None,
                "last_error": error,
                "next_attempt_at": now
                + backoff(attempts, current_app.config["MAIL_RETRY_SECONDS"]),
            }
            report.retried += 1
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.SENDING)
            .values(**values)
        )


def backoff(attempts: int, first: float = 30) -> timedelta:
    """30 s, 1 min, 2 min ... (from ``first`` seconds) at most 6 hours between attempts."""
    return timedelta(seconds=min(first * 2 ** max(attempts - 1, 0), 6 * 3600))


@transactional
def purge_delivered(now: datetime | None = None) -> int:
    """Remove sent (and finally failed) messages older than the retention period."""
    cutoff = (now or utcnow()) - timedelta(days=current_app.config["MAIL_RETENTION_DAYS"])
    result = db.session.execute(
        delete(OutboxMessage).where(
            or_(
                (OutboxMessage.status == OutboxStatus.SENT) & (OutboxMessage.sent_at < cutoff),
                (OutboxMessage.status == OutboxStatus.FAILED)
                & (OutboxMessage.next_attempt_at < cutoff),
            )
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def deliver_in_background(app: Any) -> None:
    """Development convenience: deliver right after the request that queued mail."""

    def run() -> None:
        with app.app_context():
            deliver_pending()

    threading.Thread(target=run, name="outbox-inline", daemon=True).start()
