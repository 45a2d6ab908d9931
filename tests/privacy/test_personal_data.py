"""Every column that looks like personal data is marked with its purpose and retention."""

from __future__ import annotations

import re

from hubs.extensions import db

# Column names that usually hold personal data.
LOOKS_PERSONAL = re.compile(
    r"(^|_)(name|email|e_?mail|mail_?address|address|phone|telephone|mobile|reference"
    r"|birth|birthdate|born|dob|bsn|postcode|zip|street|iban|note|notes|filename)(_|$)"
)
# Never stored at all (AVG: data minimisation).
FORBIDDEN = re.compile(r"(^|_)(bsn|birth|birthdate|born|dob|burgerservicenummer)(_|$)")
RETENTION = {"account", "learner", "upload", "outbox", "security", "invitation"}

# Columns that match the pattern but hold no personal data, and why.
NOT_PERSONAL = {
    ("hubs", "name"): "a training location's name",
    ("hubs", "address"): "a training location's public address",
    ("resources", "name"): "a machine or room",
    ("organisations", "name"): "a school's or company's name",
    ("opening_exceptions", "note"): "a hub's note on its opening hours",
    ("programmes", "name"): "a programme's name",
    ("funding_sources", "name"): "a funder's name",
    ("enrolments", "group_name"): "a class code (3K-PIE); scrubbed on erasure if it names someone",
    ("bookings", "group_name"): "a class code (3K-PIE); scrubbed on erasure if it names someone",
    ("booking_series", "group_name"): "a class code, as bookings.group_name",
    ("booking_slots", "name"): "a hub's lesson period (1e uur)",
}


def _app():
    # Building the app imports every feature, so db.metadata holds every table.
    from hubs import create_app

    return create_app({"ENV": "testing", "SECRET_KEY": "x", "DATABASE_URL": "sqlite://"})


def _columns():
    _app()
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            yield table.name, column


def test_every_personal_looking_column_is_marked():
    unmarked = []
    for table, column in _columns():
        if (table, column.name) in NOT_PERSONAL:
            continue
        if LOOKS_PERSONAL.search(column.name) and "personal" not in column.info:
            unmarked.append(f"{table}.{column.name}")
    assert not unmarked, (
        "personal-looking columns without info=personal(purpose, retention): " + ", ".join(unmarked)
    )


def test_markers_name_a_purpose_and_a_known_retention():
    for table, column in _columns():
        marker = column.info.get("personal")
        if marker is not None:
            assert marker["purpose"], f"{table}.{column.name}"
            assert marker["retention"] in RETENTION, f"{table}.{column.name}"


def test_no_bsn_or_birth_dates_anywhere():
    found = [f"{t}.{c.name}" for t, c in _columns() if FORBIDDEN.search(c.name)]
    assert not found


def test_the_exception_list_has_no_stale_entries():
    existing = {(t, c.name) for t, c in _columns()}
    assert set(NOT_PERSONAL) <= existing


def test_the_check_catches_an_unmarked_column():
    assert LOOKS_PERSONAL.search("family_name") and LOOKS_PERSONAL.search("email")
    assert LOOKS_PERSONAL.search("birth_date") and LOOKS_PERSONAL.search("phone")
    assert not LOOKS_PERSONAL.search("headcount") and not LOOKS_PERSONAL.search("hostname")
