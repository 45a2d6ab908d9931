"""Feed tokens never reach a log: the token is in the URL's path, and request logs write
paths. A filter on the loggers that write request lines (Werkzeug's development server,
gunicorn's access and error logs, the app's own logger and the root logger's handlers)
replaces it with ``[redacted]``. A proxy in front (nginx) needs the same care: see README.
"""

from __future__ import annotations

import logging
import re

from flask import Flask

# The feed URL is /feeds/<token>.ics; the token is URL-safe base64.
FEED_PATH = re.compile(r"(/feeds/)[A-Za-z0-9_\-%]+")
REDACTED = r"\1[redacted]"
LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error", "flask.app")


def redact(text: str) -> str:
    return FEED_PATH.sub(REDACTED, text)


class RedactFeedTokens(logging.Filter):
    """Rewrites a record whose message contains a feed URL (never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken record is the handler's problem, not ours
            return True
        if "/feeds/" in message:
            record.msg = redact(message)
            record.args = None
        return True


_filter = RedactFeedTokens()


def install(app: Flask) -> None:
    """Add the filter (once) to the request-logging loggers and the root's handlers."""
    loggers = [logging.getLogger(name) for name in LOGGERS] + [app.logger]
    for logger in loggers:
        if _filter not in logger.filters:
            logger.addFilter(_filter)
    for handler in logging.getLogger().handlers:
        if _filter not in handler.filters:
            handler.addFilter(_filter)
