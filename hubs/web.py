"""Small helpers for HTML views: safe redirects, pagination arguments, flashing errors."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, request
from wtforms import Form


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a local path on this site, else None (no open redirects)."""
    if not target or "\\" in target or any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def page_args() -> tuple[int, int]:
    """``?page=`` (from 1) and the configured page size, tolerant of junk."""
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        page = 1
    return page, int(current_app.config["PAGE_SIZE"])


def apply_domain_error(form: Form, error: Any) -> None:
    """Show a service's error at its field, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*(field.errors or []), str(error.message)]
    else:
        form.form_errors.append(str(error.message))
