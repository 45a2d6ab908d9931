"""Conventions every JSON endpoint shares: schemas, instants, pagination, blueprints."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import marshmallow as ma
from flask_smorest import Blueprint as SmorestBlueprint
from sqlalchemy import Select

from hubs.extensions import db

API_PREFIX = "/api/v1"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MAX_PER_PAGE = 100


class Schema(ma.Schema):
    """Base schema: unknown fields are refused (no mass assignment), output is ordered."""

    class Meta:
        unknown = ma.RAISE
        ordered = True


class Instant(ma.fields.DateTime):
    """ISO 8601 *with* offset. A naive time is refused; output is Europe/Amsterdam time."""

    default_error_messages = {
        "naive": "Give the time with its UTC offset, e.g. 2025-10-14T09:00:00+02:00.",
        "invalid": "Not a valid ISO 8601 date and time.",
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="iso", **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> datetime:
        result = super()._deserialize(value, attr, data, **kwargs)
        if result.tzinfo is None or result.utcoffset() is None:
            raise self.make_error("naive")
        return result

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> Any:
        if value is None:
            return None
        return value.astimezone(AMSTERDAM).isoformat()


class PageArgs(Schema):
    """``?page=&per_page=`` on every list."""

    class Meta:
        unknown = ma.EXCLUDE  # other query parameters are the endpoint's filters

    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1))
    per_page = ma.fields.Integer(
        load_default=25, validate=ma.validate.Range(min=1, max=MAX_PER_PAGE)
    )


def page_schema(item_schema: type[ma.Schema]) -> type[ma.Schema]:
    """``{"items": [...], "page", "per_page", "total", "pages"}`` for ``item_schema``."""
    name = item_schema.__name__.removesuffix("Schema") + "PageSchema"
    return type(
        name,
        (Schema,),
        {
            "items": ma.fields.List(ma.fields.Nested(item_schema)),
            "page": ma.fields.Integer(),
            "per_page": ma.fields.Integer(),
            "total": ma.fields.Integer(),
            "pages": ma.fields.Integer(),
        },
    )


def paginate(stmt: Select[Any], args: dict[str, Any]) -> dict[str, Any]:
    """Run one page of ``stmt`` (plus a count) and wrap it for :func:`page_schema`."""
    page = db.paginate(
        stmt, page=args["page"], per_page=args["per_page"], error_out=False, count=True
    )
    return {
        "items": page.items,
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
        "pages": page.pages,
    }


def Blueprint(name: str, import_name: str, description: str = "") -> SmorestBlueprint:  # noqa: N802
    """A flask-smorest blueprint mounted under ``/api/v1``."""
    return SmorestBlueprint(name, import_name, url_prefix=API_PREFIX, description=description)
