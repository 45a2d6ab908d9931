"""Demo: a few days of sign-ins, a failed attempt and a role grant in the security log."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from hubs.audit import events
from hubs.audit.services import log_security_event
from hubs.demo import DemoContext

SIGN_INS = [  # (user key, days ago, hour UTC)
    ("manager", 6, 7),
    ("coord_technohub", 5, 6),
    ("teacher_a", 5, 11),
    ("coord_make", 4, 7),
    ("hr_a", 3, 12),
    ("teacher_roc", 2, 8),
    ("coord_makerspace", 1, 6),
    ("manager", 1, 13),
]


def load(ctx: DemoContext) -> None:
    def at(days_ago: int, hour: int) -> datetime:
        return datetime.combine(ctx.today - timedelta(days=days_ago), time(hour, 0), UTC)

    for key, days_ago, hour in SIGN_INS:
        user = ctx.users[key]
        row = log_security_event(events.SIGN_IN, actor_id=user.id, user_id=user.id, ip="192.0.2.15")
        row.occurred_at = at(days_ago, hour)
    failed = log_security_event(
        events.SIGN_IN_FAILED,
        actor_id=None,
        user_id=ctx.users["teacher_b"].id,
        details={"channel": "web"},
        ip="198.51.100.7",
    )
    failed.occurred_at = at(2, 19)
    teacher = ctx.users["teacher_a"]
    granted = log_security_event(
        events.ROLE_GRANTED,
        actor_id=ctx.users["coord_technohub"].id,
        user_id=teacher.id,
        target_type="role_grant",
        target_id=teacher.grants[0].id if teacher.grants else None,
        details={
            "role": "booker",
            "organisation_id": ctx.organisations["school_a"].id,
            "is_org_admin": True,
        },
        ip="192.0.2.20",
    )
    granted.occurred_at = at(6, 9)
