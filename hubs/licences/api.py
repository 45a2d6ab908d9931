"""``/api/v1/licences``: machine licences (bookers see their own organisation's people)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from hubs.access import current_principal, get_or_404, require, select_visible
from hubs.api.common import Blueprint, PageArgs, page_schema, paginate
from hubs.errors import InvalidInput
from hubs.extensions import db
from hubs.learners.models import Learner
from hubs.licences import services
from hubs.licences.models import Licence
from hubs.licences.policies import can_issue, issuable_learners
from hubs.licences.schemas import LicenceCreateSchema, LicenceQuerySchema, LicenceSchema

blp = Blueprint("api_licences", __name__, description="Machine licences")


@blp.get("/licences")
@blp.arguments(PageArgs, location="query")
@blp.arguments(LicenceQuerySchema, location="query", as_kwargs=True)
@blp.response(200, page_schema(LicenceSchema))
def list_licences(args: dict[str, Any], **filters: Any) -> dict[str, Any]:
    """Licences you may see (HR and teachers: their organisation's people; coordinators:
    people of their hubs' member organisations), newest first."""
    stmt = select_visible(Licence).options(selectinload(Licence.learner))
    if "learner_id" in filters:
        stmt = stmt.where(Licence.learner_id == filters["learner_id"])
    if "kind" in filters:
        stmt = stmt.where(Licence.kind == services.normalise_kind(filters["kind"]))
    if "valid_on" in filters:
        day = filters["valid_on"]
        stmt = stmt.where(
            Licence.revoked_at.is_(None),
            Licence.issued_on <= day,
            or_(Licence.expires_on.is_(None), Licence.expires_on >= day),
        )
    return paginate(stmt.order_by(Licence.issued_on.desc(), Licence.id.desc()), args)


@blp.post("/licences")
@blp.arguments(LicenceCreateSchema)
@blp.response(201, LicenceSchema)
def create_licence(data: dict[str, Any]) -> Licence:
    """Coordinators: issue a licence to a person of one of their hubs' members."""
    p = current_principal()
    require(can_issue(p))
    allowed = db.session.scalar(
        select(Learner.id).where(Learner.id == data["learner_id"], issuable_learners(p))
    )
    if allowed is None:
        raise InvalidInput(_l("Unknown learner."), field="learner_id")
    return services.issue_licence(**data, source="coordinator", issued_by_id=p.user_id)


@blp.post("/licences/<int:licence_id>/revoke")
@blp.response(200, LicenceSchema)
def revoke_licence(licence_id: int) -> Licence:
    """Coordinators: withdraw a licence (409 when it was already revoked)."""
    p = current_principal()
    licence = get_or_404(Licence, licence_id)
    require(can_issue(p))
    return services.revoke_licence(licence.id, revoked_by_id=p.user_id)
