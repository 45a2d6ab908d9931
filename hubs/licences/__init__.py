"""Machine licences: proof that a learner may use a machine (CNC, laser, lassen).

A licence is issued by a coordinator or by completing a course, is valid at every hub
from its issue date until its expiry, and can be revoked. A booking of a resource that
requires a licence names the people who will use it, and the booking service refuses it
when one of them holds no valid licence on the booking's dates; a school class is
supervised by the hub's instructor instead (:mod:`hubs.licences.checks`).
"""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from hubs.mail import kinds

kinds.register("licences", _l("Machine licences: licences about to expire"))


def init_app(app: Flask) -> None:
    from hubs.licences.training import licences_issued
    from hubs.reports.training import register_licence_source

    register_licence_source(licences_issued)
