"""The mail to an organisation whose people's licences are about to expire."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from hubs.accounts.models import Role, RoleGrant, User
from hubs.extensions import db
from hubs.learners.models import Learner
from hubs.licences.models import Licence
from hubs.mail.services import queue_mail
from hubs.organisations.models import Organisation


def organisation_bookers(organisation_id: int) -> list[User]:
    """The active accounts that book for the organisation (teachers, HR)."""
    return list(
        db.session.scalars(
            select(User)
            .join(RoleGrant, RoleGrant.user_id == User.id)
            .where(
                RoleGrant.role == Role.BOOKER,
                RoleGrant.organisation_id == organisation_id,
                User.active.is_(True),
            )
            .distinct()
            .order_by(User.id)
        )
    )


def mail_expiring(organisation_id: int, licence_ids: list[int]) -> None:
    """Queue one mail per booker of the organisation listing the expiring licences."""
    organisation = db.session.get(Organisation, organisation_id)
    licences = list(
        db.session.scalars(
            select(Licence)
            .where(Licence.id.in_(licence_ids))
            .options(selectinload(Licence.learner).selectinload(Learner.organisation))
            .order_by(Licence.expires_on, Licence.id)
        )
    )
    for user in organisation_bookers(organisation_id):
        queue_mail(
            to=user,
            kind="licences.expiring",
            template="licences/expiring",
            subject=_l("Machine licences expire soon"),
            organisation=organisation,
            licences=licences,
        )
