"""Matrix cases for invitations: re-send and withdraw; the accept link."""

from types import SimpleNamespace

from tests.access.test_matrix import Case
from tests.access.world import ROLES

MANAGES_X = {"manager", "coord_a", "admin_x"}

CASES = [
    Case("invitations.invitation_resend", {"invitation_id": "invitation_x"}, MANAGES_X, "POST"),
    # Without confirm=yes nothing is withdrawn (400), after the access check.
    Case("invitations.invitation_withdraw", {"invitation_id": "invitation_x"}, MANAGES_X, "POST"),
    # The link itself is the credential: anyone holding it sees the page.
    Case("invitations.accept", {"token": "invite_link"}, set(ROLES)),
]


def build(world, make):
    from hubs.accounts.models import Role
    from hubs.invitations import services

    with make.app.app_context():
        world["invitation_x"] = services.invite(
            "new.teacher@school-x.example",
            role=Role.BOOKER,
            organisation_id=world["org_x"].id,
            invited_by=world.users["admin_x"],
        )
        secret = "matrix-invite-link-0123456789abcdefghijklmnop"
        from hubs.accounts.tokens import token_digest
        from hubs.db import write_transaction

        with write_transaction() as session:
            invitation = services.invite(
                "someone.else@school-x.example",
                role=Role.BOOKER,
                organisation_id=world["org_x"].id,
                invited_by=world.users["admin_x"],
            )
            session.merge(invitation).token_hash = token_digest(secret)
    world["invite_link"] = SimpleNamespace(id=secret)
