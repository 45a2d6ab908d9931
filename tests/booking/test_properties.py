"""Property-based tests of the one rule: no two active bookings of a resource overlap.

- The overlap predicate against brute force (containment, identical, adjacent, apart).
- The database against brute force: raw inserts are accepted exactly when they fit.
- A state machine that books, moves, cancels, approves and rejects at random through the
  services, predicting each answer, and checks the invariant after every step.

Example counts follow the session's profile (tests/conftest.py: "ci" or "dev"), capped for
the tests that write to a database: each example is a handful of transactions.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from hubs.booking import configuration, services
from hubs.booking.errors import AlreadyHandled, OutsideOpeningHours, SlotTaken
from hubs.booking.models import ACTIVE_STATUSES, Booking, BookingStatus, overlaps
from hubs.extensions import db
from tests.booking.helpers import at, booking_input, principal

# --- the predicate ---------------------------------------------------------------------


def brute(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return bool(set(range(*a)) & set(range(*b)))


intervals = st.tuples(st.integers(0, 40), st.integers(1, 20)).map(lambda t: (t[0], t[0] + t[1]))


@st.composite
def pairs(draw):
    """Two intervals, often in the relations that break naive code."""
    a = draw(intervals)
    kind = draw(st.sampled_from(["any", "identical", "inside", "around", "adjacent", "apart"]))
    if kind == "identical":
        return a, a
    if kind == "inside":
        s = draw(st.integers(a[0], a[1] - 1))
        return a, (s, draw(st.integers(s + 1, a[1])))
    if kind == "around":
        return a, (a[0] - draw(st.integers(0, 5)), a[1] + draw(st.integers(1, 5)))
    if kind == "adjacent":
        length = draw(st.integers(1, 10))
        return a, draw(st.sampled_from([(a[1], a[1] + length), (a[0] - length, a[0])]))
    if kind == "apart":
        gap = draw(st.integers(1, 10))
        return a, (a[1] + gap, a[1] + gap + draw(st.integers(1, 10)))
    return a, draw(intervals)


@given(pairs())
def test_overlap_rule_matches_brute_force(pair):
    a, b = pair
    assert overlaps(*a, *b) == brute(a, b) == overlaps(*b, *a)


# --- the database ----------------------------------------------------------------------

BASE = datetime(2026, 3, 3, 7, 0, tzinfo=UTC)


def _instant(step: int, backend: str):
    value = BASE + timedelta(minutes=15 * step)
    return value.strftime("%Y-%m-%d %H:%M:%S.%f") if backend == "sqlite" else value


def _database_settings(cap: int) -> settings:
    return settings(
        max_examples=min(settings.default.max_examples, cap),
        suppress_health_check=[HealthCheck.too_slow],
    )


def test_the_database_accepts_exactly_the_intervals_that_fit(ctx, world, make, backend_name):
    @_database_settings(25)
    @given(
        st.lists(
            st.tuples(intervals, st.sampled_from(["confirmed", "requested", "cancelled"])),
            min_size=1,
            max_size=8,
        )
    )
    def check(rows):
        resource = make.resource(world.hub)
        accepted: list[tuple[int, int]] = []
        for (start, end), status in rows:
            fits = status == "cancelled" or not any(brute((start, end), a) for a in accepted)
            try:
                with db.engine.begin() as conn:
                    conn.execute(
                        text(
                            "INSERT INTO bookings (hub_id, resource_id, organisation_id, start_at,"
                            " end_at, status, group_name, group_size, learner_category, purpose,"
                            " notes, cancel_reason, version, created_at, updated_at) VALUES (:h, :r,"
                            " :o, :s, :e, :st, 'p', 1, 'vo', '', '', '', 1, :s, :s)"
                        ),
                        {
                            "h": world.hub.id,
                            "r": resource.id,
                            "o": world.org.id,
                            "s": _instant(start, backend_name),
                            "e": _instant(end, backend_name),
                            "st": status,
                        },
                    )
                stored = True
            except IntegrityError as exc:
                assert services.is_overlap(exc)
                stored = False
            note(f"{(start, end)} {status} fits={fits} stored={stored}")
            assert stored == fits
            if stored and status != "cancelled":
                accepted.append((start, end))

    check()


# --- the state machine -----------------------------------------------------------------

DAY = "2026-03-10"  # a Tuesday next week; the hub is open 08:00–17:00
STARTS = [f"{h:02d}:{m:02d}" for h in range(8, 17) for m in (0, 30)]


def test_random_booking_moving_cancelling_and_deciding_keeps_the_invariant(ctx, world, make):
    coordinator, booker = principal(world.coordinator), principal(world.booker)

    class Machine(RuleBasedStateMachine):
        bundles = Bundle("bundles")

        def __init__(self) -> None:
            super().__init__()
            self.plain = make.resource(world.hub, name=f"Plain {make.n()}", capacity=9)
            self.strict = make.resource(world.hub, name=f"Strict {make.n()}", capacity=9)
            configuration.save_settings(
                world.hub.id,
                configuration.SettingsInput(
                    False, False, 24, 72, False, "midden", [self.strict.id]
                ),
                coordinator,
            )
            # bundle id -> [resource ids, start, end, status]
            self.model: dict[int, list] = {}

        def _times(self, start: str, minutes: int):
            begin = at(DAY, start)
            return begin, begin + timedelta(minutes=minutes)

        def _free(self, ids, start, end, skip=None) -> bool:
            return not any(
                b != skip
                and s in ACTIVE_STATUSES
                and set(ids) & set(r)
                and overlaps(start, end, bs, be)
                for b, (r, bs, be, s) in self.model.items()
            )

        @rule(
            target=bundles,
            which=st.sampled_from(["plain", "strict", "both"]),
            start=st.sampled_from(STARTS),
            minutes=st.sampled_from([30, 60, 90, 150]),
        )
        def book(self, which, start, minutes):
            ids = {
                "plain": [self.plain.id],
                "strict": [self.strict.id],
                "both": [self.plain.id, self.strict.id],
            }[which]
            begin, end = self._times(start, minutes)
            inside = end <= at(DAY, "17:00")
            expect_ok = inside and self._free(ids, begin, end)
            try:
                lead = services.book(
                    booking_input(
                        [db.session.get(type(self.plain), i) for i in ids], begin, end, group_size=2
                    ),
                    booker,
                )
            except (SlotTaken, OutsideOpeningHours) as exc:
                assert not expect_ok, exc.message
                assert isinstance(exc, SlotTaken) == inside
                return None
            assert expect_ok
            status = BookingStatus.REQUESTED if self.strict.id in ids else BookingStatus.CONFIRMED
            assert lead.status == status
            self.model[lead.id] = [ids, begin, end, status]
            return lead.id

        @rule(bundle=bundles, start=st.sampled_from(STARTS), minutes=st.sampled_from([30, 60, 120]))
        def move(self, bundle, start, minutes):
            if bundle is None:
                return
            ids, _s, _e, status = self.model[bundle]
            begin, end = self._times(start, minutes)
            inside = end <= at(DAY, "17:00")
            active = status in ACTIVE_STATUSES
            expect_ok = active and inside and self._free(ids, begin, end, skip=bundle)
            try:
                services.change_booking(
                    bundle, services.BookingChange(start=begin, end=end), coordinator
                )
            except (SlotTaken, OutsideOpeningHours, AlreadyHandled) as exc:
                assert not expect_ok, exc.message
                return
            assert expect_ok
            self.model[bundle][1:3] = [begin, end]

        @rule(bundle=consumes(bundles))
        def cancel(self, bundle):
            if bundle is None:
                return
            active = self.model[bundle][3] in ACTIVE_STATUSES
            try:
                services.cancel_booking(bundle, booker)
            except AlreadyHandled:
                assert not active
                return
            assert active
            self.model[bundle][3] = BookingStatus.CANCELLED

        @rule(bundle=bundles, approve=st.booleans())
        def decide(self, bundle, approve):
            if bundle is None:
                return
            requested = self.model[bundle][3] == BookingStatus.REQUESTED
            try:
                (services.approve if approve else services.reject)(bundle, coordinator)
            except AlreadyHandled:
                assert not requested
                return
            assert requested
            self.model[bundle][3] = BookingStatus.CONFIRMED if approve else BookingStatus.REJECTED

        @invariant()
        def no_overlap_and_the_database_agrees(self):
            rows = db.session.scalars(
                select(Booking)
                .where(Booking.resource_id.in_([self.plain.id, self.strict.id]))
                .execution_options(populate_existing=True)
            ).all()
            active = [r for r in rows if r.status in ACTIVE_STATUSES]
            for a in active:
                for b in active:
                    if a.id < b.id and a.resource_id == b.resource_id:
                        assert not overlaps(a.start_at, a.end_at, b.start_at, b.end_at), (a, b)
            seen = {}
            for r in rows:
                seen.setdefault(r.bundle_id, (set(), r.start_at, r.end_at, r.status))[0].add(
                    r.resource_id
                )
            assert {k: (v[0], v[1], v[2], v[3]) for k, v in seen.items()} == {
                k: (set(m[0]), m[1], m[2], m[3]) for k, m in self.model.items()
            }

    run_state_machine_as_test(
        Machine,
        settings=settings(
            _database_settings(12),
            stateful_step_count=10 if settings.default.derandomize else 15,
        ),
    )
