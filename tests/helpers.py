"""Test helpers: a client that knows CSRF, row factories, sign-in helpers."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, time
from typing import Any

from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

PASSWORD = "correct-horse-battery-staple"
_seq = itertools.count(1)


class HubsClient(FlaskClient):
    """A test client that refuses to run inside a pushed app context and fills CSRF."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        if _cv_app.get(None) is not None:
            raise RuntimeError(
                "client request inside an app context: requests would share the test's "
                "g and session. Leave the `ctx` fixture out of tests that use `client`."
            )
        return super().open(*args, **kwargs)

    def csrf_token(self) -> str:
        """A valid CSRF form token for this client's session."""
        import hashlib
        import os

        with self.session_transaction() as session:
            raw = session.get("csrf_token")
            if raw is None:
                raw = hashlib.sha1(os.urandom(64)).hexdigest()
                session["csrf_token"] = raw
        app = self.application
        serializer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="wtf-csrf-token")
        return str(serializer.dumps(raw))

    def post_form(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        """POST a form with a valid CSRF token (as a browser would)."""
        payload = dict(data or {})
        payload.setdefault("csrf_token", self.csrf_token())
        return self.post(url, data=payload, **kwargs)


def csrf_from_html(html: str) -> str:
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match, "no csrf-token meta tag"
    return match.group(1)


def login_through_form(client: HubsClient, user: Any, password: str = PASSWORD) -> Any:
    """Sign in with the real login form; asserts success."""
    page = client.get("/login")
    token = csrf_from_html(page.get_data(as_text=True))
    response = client.post(
        "/login", data={"email": user.email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response


def bearer_headers(app: Flask, user: Any) -> dict[str, str]:
    from hubs.accounts.services import issue_api_token

    with app.app_context():
        secret, _ = issue_api_token(user, "test")
    return {"Authorization": f"Bearer {secret}"}


class Factory:
    """Builds rows in their own unit of work; uses the test's app context if one is pushed."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    @contextmanager
    def _unit(self) -> Iterator[Any]:
        from hubs.db import write_transaction

        if _cv_app.get(None) is not None:
            with write_transaction() as session:
                yield session
            return
        with self.app.app_context(), write_transaction() as session:
            yield session

    def n(self) -> int:
        return next(_seq)

    def hub(self, **overrides: Any) -> Any:
        from hubs.locations.models import Hub, OpeningHours

        n = self.n()
        hours = overrides.pop("hours", {d: [(time(8, 0), time(17, 0))] for d in range(5)})
        with self._unit() as s:
            hub = Hub(
                **{
                    "name": f"Hub {n}",
                    "town": "Woerden",
                    "address": f"Straat {n}, Woerden",
                    **overrides,
                }
            )
            for weekday, intervals in hours.items():
                for opens, closes in intervals:
                    hub.opening_hours.append(
                        OpeningHours(weekday=weekday, opens_at=opens, closes_at=closes)
                    )
            s.add(hub)
            s.flush()
            _ = list(hub.opening_hours)
        return hub

    def resource(self, hub: Any = None, **overrides: Any) -> Any:
        from hubs.locations.models import Resource, ResourceKind

        hub = hub or self.hub()
        n = self.n()
        with self._unit() as s:
            resource = Resource(
                **{
                    "hub_id": hub.id,
                    "name": f"Machine {n}",
                    "kind": ResourceKind.MACHINE,
                    "capacity": 4,
                    **overrides,
                }
            )
            s.add(resource)
            s.flush()
        return resource

    def organisation(
        self, kind: str = "vo_school", hubs: tuple[Any, ...] = (), **overrides: Any
    ) -> Any:
        from hubs.organisations.models import (
            HolidayRegion,
            Membership,
            Organisation,
            OrganisationKind,
        )

        n = self.n()
        org_kind = OrganisationKind(kind)
        defaults: dict[str, Any] = {"name": f"Organisation {n}", "kind": org_kind}
        if org_kind in (OrganisationKind.VO_SCHOOL, OrganisationKind.MBO_COLLEGE):
            defaults.update(
                brin=f"{n % 100:02d}{chr(65 + n % 26)}{chr(65 + (n // 26) % 26)}",
                brin_branch="00",
                holiday_region=HolidayRegion.MIDDEN,
            )
        elif org_kind == OrganisationKind.COMPANY:
            defaults["kvk"] = f"{30000000 + n:08d}"
        with self._unit() as s:
            org = Organisation(**{**defaults, **overrides})
            s.add(org)
            s.flush()
            for hub in hubs:
                s.add(Membership(organisation_id=org.id, hub_id=hub.id, starts_on=date(2020, 8, 1)))
            s.flush()
        return org

    def membership(
        self,
        organisation: Any,
        hub: Any,
        starts_on: date = date(2020, 8, 1),
        ends_on: date | None = None,
    ) -> Any:
        from hubs.organisations.models import Membership

        with self._unit() as s:
            m = Membership(
                organisation_id=organisation.id, hub_id=hub.id, starts_on=starts_on, ends_on=ends_on
            )
            s.add(m)
            s.flush()
        return m

    def user(
        self,
        *roles: tuple[Any, ...] | str,
        email: str | None = None,
        password: str = PASSWORD,
        **overrides: Any,
    ) -> Any:
        """A user with grants: ``make.user(("coordinator", hub), ("booker", org, True))``."""
        from hubs.accounts.models import Role, RoleGrant, User
        from hubs.accounts.passwords import hash_password

        n = self.n()
        with self._unit() as s:
            user = User(
                **{
                    "email": email or f"user{n}@tests.example",
                    "name": f"User {n}",
                    "locale": "nl",
                    "password_hash": hash_password(password) if password else None,
                    **overrides,
                }
            )
            s.add(user)
            s.flush()
            for spec in roles:
                spec = (spec,) if isinstance(spec, str) else spec
                role = Role(spec[0])
                target = spec[1] if len(spec) > 1 else None
                admin = bool(spec[2]) if len(spec) > 2 else False
                s.add(
                    RoleGrant(
                        user_id=user.id,
                        role=role,
                        hub_id=target.id if role == Role.COORDINATOR else None,
                        organisation_id=target.id if role == Role.BOOKER else None,
                        is_org_admin=admin,
                    )
                )
            s.flush()
            s.refresh(user, ["grants"])
        return user


def queued_mail(app: Flask, address: str) -> list[Any]:
    """Outbox rows queued for ``address``, oldest first (read without an app context)."""
    from sqlalchemy import select

    from hubs.extensions import db
    from hubs.mail.models import OutboxMessage
    from hubs.mail.services import compose_pending

    with app.app_context():
        compose_pending()  # what the worker composes before sending
        return list(
            db.session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.to_address == address)
                .order_by(OutboxMessage.id)
            )
        )


def link_in(text: str, path_part: str) -> str:
    """The first absolute link in ``text`` whose path contains ``path_part``."""
    for url in re.findall(r"https?://\S+", text):
        if path_part in url:
            return url.rstrip(".,)")
    raise AssertionError(f"no link with {path_part!r} in:\n{text}")


def path_of(url: str) -> str:
    """The path (and query) of an absolute URL, for the test client."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def security_events(app: Flask, event: str | None = None) -> list[Any]:
    from sqlalchemy import select

    from hubs.audit.models import SecurityEvent
    from hubs.extensions import db

    with app.app_context():
        stmt = select(SecurityEvent).order_by(SecurityEvent.id)
        if event:
            stmt = stmt.where(SecurityEvent.event == event)
        return list(db.session.scalars(stmt))


def main_of(response: Any) -> str:
    """The page's <main> element (without header and footer, which name the hubs)."""
    html = response.get_data(as_text=True) if hasattr(response, "get_data") else str(response)
    start, end = html.find("<main"), html.find("</main>")
    assert start >= 0 and end > start, "no <main> element"
    return html[start:end]
