"""Mail that is never lost: a transactional outbox and its delivery workers."""

from __future__ import annotations

from flask import Flask, g


def init_app(app: Flask) -> None:
    @app.teardown_request
    def _deliver_inline(exc: BaseException | None) -> None:
        from hubs.mail.services import deliver_in_background

        if exc is None and g.pop("mail_queued", False) and app.config["MAIL_DELIVER_INLINE"]:
            deliver_in_background(app)
