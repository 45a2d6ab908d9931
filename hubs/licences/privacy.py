"""What licences hold on a person: their licences and the bookings that name them.

Erasure removes both (nothing is counted from them); an access request lists them. The
learner row itself is anonymised by hubs.learners.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from hubs.extensions import db
from hubs.licences.models import BookingLicenceHolder, Licence
from hubs.privacy import Subject, register_eraser, register_exporter


def _erase(subject: Subject) -> int:
    holders = db.session.execute(
        delete(BookingLicenceHolder).where(BookingLicenceHolder.learner_id == subject.learner_id)
    )
    licences = db.session.execute(delete(Licence).where(Licence.learner_id == subject.learner_id))
    return int(holders.rowcount or 0) + int(licences.rowcount or 0)  # type: ignore[attr-defined]


def _export(subject: Subject) -> dict[str, Any]:
    licences = db.session.scalars(
        select(Licence).where(Licence.learner_id == subject.learner_id).order_by(Licence.id)
    )
    bookings = db.session.scalars(
        select(BookingLicenceHolder.booking_id).where(
            BookingLicenceHolder.learner_id == subject.learner_id
        )
    )
    return {
        "licences": [
            {
                "kind": licence.kind,
                "issued_on": licence.issued_on.isoformat(),
                "expires_on": licence.expires_on.isoformat() if licence.expires_on else None,
                "source": licence.source.value,
                "revoked": licence.is_revoked,
            }
            for licence in licences
        ],
        "uses_machines_in_bookings": list(bookings),
    }


register_eraser("licences", _erase)
register_exporter("licences", _export)
