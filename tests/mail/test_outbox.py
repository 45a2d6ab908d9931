"""The transactional outbox, delivered to a real SMTP server."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from flask import Blueprint
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from hubs.db import utcnow, write_transaction
from hubs.extensions import db
from hubs.mail import kinds
from hubs.mail.models import OutboxMessage, OutboxStatus
from hubs.mail.services import deliver_pending, purge_delivered, queue_mail, set_opt_outs
from tests.smtp import text_body

ROOT = Path(__file__).resolve().parents[2]

kinds.register("probe", _l("Probe messages"))
kinds.register("probe_security", _l("Security probes"), security=True)


@pytest.fixture
def app(app):
    app.register_blueprint(
        Blueprint("probe", __name__, template_folder=str(Path(__file__).parent / "templates"))
    )
    return app


def _queue(to, kind="probe.hello", **context):
    return queue_mail(
        to=to, kind=kind, template="probe", subject=_l("Sign in"), name="Anouk", **context
    )


def _count(status=None):
    stmt = select(func.count()).select_from(OutboxMessage)
    if status:
        stmt = stmt.where(OutboxMessage.status == status)
    return db.session.scalar(stmt)


def test_mail_is_queued_in_the_transaction_and_rolls_back_with_it(ctx, make):
    user = make.user("manager")
    with pytest.raises(ValueError), write_transaction():
        _queue(user)
        raise ValueError("the change failed")
    assert _count() == 0
    with write_transaction():
        _queue(user)
    assert _count(OutboxStatus.PENDING) == 1


def test_queue_mail_outside_a_unit_of_work_is_a_bug(ctx, make):
    with pytest.raises(RuntimeError, match="unit of work"):
        _queue("someone@tests.example")


def test_delivery_over_smtp_in_the_recipients_language(ctx, make, smtp_server):
    dutch = make.user("manager", locale="nl")
    english = make.user("manager", locale="en")
    with write_transaction():
        first = _queue(dutch)
        _queue(english)
    report = deliver_pending()
    assert report.sent == 2
    (to_dutch,) = smtp_server.to(dutch.email)
    (to_english,) = smtp_server.to(english.email)
    assert to_dutch["Subject"] == "Inloggen" and to_english["Subject"] == "Sign in"
    assert to_dutch["Message-ID"] == f"<outbox-{first.id}@hubs.test>"
    # Links come from BASE_URL, never from a request's Host header.
    assert "http://hubs.test/" in text_body(to_dutch)
    assert to_dutch.get_body(("html",)) is not None
    assert _count(OutboxStatus.SENT) == 2
    assert deliver_pending().attempted == 0  # nothing is sent twice


def test_smtp_down_leaves_mail_pending_then_delivers_exactly_once(ctx, make, smtp_server):
    user = make.user("manager")
    with write_transaction():
        _queue(user)
        _queue(user)
    smtp_server.stop()
    report = deliver_pending()  # must not raise
    assert report.retried == 2 and report.sent == 0
    assert _count(OutboxStatus.PENDING) == 2
    message = db.session.scalars(select(OutboxMessage)).first()
    db.session.refresh(message)
    assert message.attempts == 1 and "Error" in message.last_error
    assert deliver_pending().attempted == 0  # backoff: not due yet
    smtp_server.start()
    with time_machine.travel(utcnow() + timedelta(minutes=5), tick=False):
        assert deliver_pending().sent == 2
    assert len(smtp_server.to(user.email)) == 2
    ids = {m["Message-ID"] for m in smtp_server.messages}
    assert len(ids) == 2


def test_a_worker_that_died_mid_send_is_taken_over_after_its_lease(ctx, make, smtp_server):
    user = make.user("manager")
    with write_transaction():
        message = _queue(user)
        message.status = OutboxStatus.SENDING
        message.claimed_until = utcnow() + timedelta(minutes=5)
    assert deliver_pending().attempted == 0
    with time_machine.travel(utcnow() + timedelta(minutes=6), tick=False):
        assert deliver_pending().sent == 1


def test_gives_up_after_the_maximum_number_of_attempts(ctx, make, smtp_server):
    ctx.config["MAIL_MAX_ATTEMPTS"] = 2
    user = make.user("manager")
    with write_transaction():
        _queue(user)
    smtp_server.stop()
    assert deliver_pending().retried == 1
    with time_machine.travel(utcnow() + timedelta(hours=1), tick=False):
        assert deliver_pending().failed == 1
    assert _count(OutboxStatus.FAILED) == 1


def test_delivered_mail_is_purged_after_thirty_days(ctx, make, smtp_server):
    user = make.user("manager")
    with write_transaction():
        _queue(user)
    deliver_pending()
    assert purge_delivered() == 0
    assert purge_delivered(utcnow() + timedelta(days=31)) == 1
    assert _count() == 0


def test_users_choose_their_notifications_but_security_mail_always_goes(ctx, make):
    user = make.user("manager")
    set_opt_outs(user.id, {"probe", "probe_security"})
    with write_transaction():
        assert _queue(user) is None
        assert _queue(user, kind="probe_security.reset") is not None
    assert _count() == 1


@pytest.fixture
def app_config(smtp_server):
    return {**smtp_server.config(), "MAIL_BATCH_SIZE": 3}


def test_two_worker_processes_never_send_a_message_twice(app, make, smtp_server, tmp_path):
    user = make.user("manager")
    with app.app_context(), write_transaction():
        for _ in range(30):
            _queue(user)
    env = {
        **os.environ,
        "HUBS_ENV": "testing",
        "HUBS_SECRET_KEY": "x",
        "HUBS_INSTANCE_PATH": str(tmp_path / "worker"),
        "HUBS_DATABASE_URL": app.config["DATABASE_URL"],
        "HUBS_MAIL_BACKEND": "smtp",
        "HUBS_SMTP_HOST": "127.0.0.1",
        "HUBS_SMTP_PORT": str(smtp_server.port),
        "HUBS_MAIL_BATCH_SIZE": "3",
        "HUBS_BASE_URL": "http://hubs.test",
    }
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "outbox", "send"]
    workers = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    outputs = [w.communicate(timeout=120) for w in workers]
    assert all(w.returncode == 0 for w in workers), outputs
    ids = [m["Message-ID"] for m in smtp_server.messages]
    assert len(ids) == 30 and len(set(ids)) == 30
    with app.app_context():
        assert _count(OutboxStatus.SENT) == 30
