"""Matrix cases for people, role grants, deactivation, API tokens and password resets."""

from types import SimpleNamespace

from tests.access.test_matrix import Case
from tests.access.world import ROLES

# Colleague X is a booker of organisation X (a member of hub A): managed by the
# programme manager, hub A's coordinator and organisation X's admin.
MANAGES_X = {"manager", "coord_a", "admin_x"}

CASES = [
    Case("people.person_detail", {"user_id": "colleague_x"}, MANAGES_X),
    Case("people.grant_add", {"user_id": "colleague_x"}, MANAGES_X, "POST", {}),
    Case("people.grant_remove", {"grant_id": "colleague_x_grant"}, MANAGES_X, "POST"),
    Case("people.person_deactivate", {"user_id": "colleague_x"}, MANAGES_X, "POST"),
    Case("people.person_reactivate", {"user_id": "colleague_x"}, {"manager"}, "POST"),
    # Tokens are personal: only their owner may revoke them (400: no confirm=yes).
    Case("accounts.token_revoke", {"token_id": "token_x"}, {"booker_x"}, "POST"),
    # A reset link works for whoever holds it (the token is the credential).
    Case("accounts.reset_password", {"token": "reset_link"}, set(ROLES)),
]


def build(world, make):
    from hubs.accounts import password_reset
    from hubs.accounts.models import PasswordReset
    from hubs.accounts.services import issue_api_token
    from hubs.db import write_transaction

    colleague = make.user(("booker", world["org_x"]))
    world["colleague_x"] = colleague
    world["colleague_x_grant"] = colleague.grants[0]
    with make.app.app_context():
        _, world["token_x"] = issue_api_token(world.users["booker_x"], "matrix")
        secret = "matrix-reset-link-0123456789abcdefghijklmnop"
        with write_transaction() as session:
            from datetime import timedelta

            from hubs.db import utcnow

            session.add(
                PasswordReset(
                    user_id=world.users["funder"].id,
                    token_hash=password_reset.token_digest(secret),
                    expires_at=utcnow() + timedelta(days=365),
                )
            )
    world["reset_link"] = SimpleNamespace(id=secret)
