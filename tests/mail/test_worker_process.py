"""`flask outbox work` as a real process: SMTP down, then up; each message arrives once.
And `make run`'s console backend prints mail instead of sending it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from hubs.db import write_transaction
from hubs.extensions import db
from hubs.mail.models import OutboxMessage, OutboxStatus
from hubs.mail.services import deliver_pending, queue_mail

ROOT = Path(__file__).resolve().parents[2]


def _queue_invitation_like(app, count):
    with app.app_context(), write_transaction():
        for n in range(count):
            queue_mail(
                to=f"person{n}@tests.example",
                kind="account.password_reset",
                template="accounts/password_reset",
                subject=_l("Choose a new password for Hubs"),
                token=f"token-{n}",
                minutes=60,
            )


def _wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def _statuses(app):
    with app.app_context():
        rows = db.session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        ).all()
        db.session.rollback()
    return dict(rows)


@pytest.mark.slow
def test_worker_process_keeps_mail_while_smtp_is_down_and_sends_each_once(
    app, smtp_server, tmp_path
):
    smtp_server.stop()
    _queue_invitation_like(app, 5)
    env = {
        **os.environ,
        "HUBS_ENV": "testing",
        "HUBS_SECRET_KEY": "x",
        "HUBS_INSTANCE_PATH": str(tmp_path / "worker"),
        "HUBS_DATABASE_URL": app.config["DATABASE_URL"],
        "HUBS_MAIL_BACKEND": "smtp",
        "HUBS_SMTP_HOST": "127.0.0.1",
        "HUBS_SMTP_PORT": str(smtp_server.port),
        "HUBS_SMTP_TIMEOUT": "2",
        "HUBS_MAIL_RETRY_SECONDS": "0.5",
        "HUBS_BASE_URL": "http://hubs.test",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "outbox", "work", "--interval", "0.3"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        # While SMTP is down: attempts are made, nothing is lost, nothing fails for good.
        assert _wait_for(
            lambda: _statuses(app).get(OutboxStatus.PENDING) == 5 and _attempted(app) >= 5
        ), _statuses(app)
        assert smtp_server.messages == []
        smtp_server.start()
        assert _wait_for(lambda: len(smtp_server.messages) >= 5), _statuses(app)
        time.sleep(1.5)  # a few more polls: nothing may arrive twice
    finally:
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=30)
    assert worker.returncode == 0, err.decode()
    ids = [m["Message-ID"] for m in smtp_server.messages]
    assert len(ids) == 5 and len(set(ids)) == 5
    assert _statuses(app) == {OutboxStatus.SENT: 5}


def _attempted(app):
    with app.app_context():
        total = db.session.scalar(select(func.sum(OutboxMessage.attempts))) or 0
        db.session.rollback()
    return total


@pytest.fixture
def console_app(make_app, database_url):
    # As `make run` configures it: the console backend, inline delivery left to its default.
    return make_app(DATABASE_URL=database_url, MAIL_BACKEND="console", MAIL_DELIVER_INLINE=None)


def test_console_backend_prints_mail_and_delivers_inline_by_default(console_app, capsys):
    assert console_app.config["MAIL_DELIVER_INLINE"] is True
    _queue_invitation_like(console_app, 1)
    with console_app.app_context():
        assert deliver_pending().sent == 1
    out = capsys.readouterr().out
    assert "Mail to person0@tests.example: Kies een nieuw wachtwoord voor Hubs" in out
    assert "http://hubs.test/password/reset/token-0" in out
