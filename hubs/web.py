"""Small helpers for HTML views: safe redirects, list pages (search, sort, pages), errors."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, request
from sqlalchemy import ColumnElement, Select, func, or_
from wtforms import Form

from hubs.extensions import db


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


@dataclass(frozen=True)
class Listing:
    """A list page's search text, sort order, filters and page (from the query string)."""

    q: str
    sort: str
    descending: bool
    page: int
    per_page: int
    filters: dict[str, str] = field(default_factory=dict)


def listing(sorts: Mapping[str, Any], default: str, filters: Sequence[str] = ()) -> Listing:
    """Read ``?q=&sort=&dir=&page=`` and the named filters; unknown values fall back."""
    page, per_page = page_args()
    sort = request.args.get("sort", default)
    if sort not in sorts:
        sort = default
    return Listing(
        q=request.args.get("q", "").strip()[:100],
        sort=sort,
        descending=request.args.get("dir") == "desc",
        page=page,
        per_page=per_page,
        filters={name: request.args.get(name, "").strip()[:100] for name in filters},
    )


def apply_listing(
    stmt: Select[Any],
    args: Listing,
    sorts: Mapping[str, Any],
    search: Callable[[str], ColumnElement[bool]] | None = None,
) -> Select[Any]:
    """Add the search condition and the order (plus the id, for a stable order)."""
    if args.q and search is not None:
        stmt = stmt.where(search(args.q))
    column = sorts[args.sort]
    stmt = stmt.order_by(column.desc() if args.descending else column.asc())
    entity = stmt.column_descriptions[0]["entity"]
    if entity is not None and hasattr(entity, "id"):
        stmt = stmt.order_by(entity.id.desc() if args.descending else entity.id)
    return stmt


def contains(*columns: Any) -> Callable[[str], ColumnElement[bool]]:
    """A search: any of ``columns`` contains the text (case-insensitive, literal % and _)."""

    def condition(q: str) -> ColumnElement[bool]:
        needle = q.lower()
        return or_(*(func.lower(c).contains(needle, autoescape=True) for c in columns))

    return condition


def paginate(stmt: Select[Any], args: Listing) -> Any:
    """One page of ``stmt`` for a list page."""
    return db.paginate(stmt, page=args.page, per_page=args.per_page, error_out=False)


def form_page(template: str, form: Any, **context: Any) -> tuple[str, int]:
    """Render a page with a form: status 422 when a submitted form has errors."""
    from flask import render_template

    status = 422 if form.is_submitted() and (form.errors or form.form_errors) else 200
    return render_template(template, form=form, **context), status
