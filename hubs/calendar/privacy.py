"""Calendars hold nothing on learners (feeds and events never name them). Feed rows end
with their owner (deactivation, deletion); the record of sent reminders (ids only) is
purged with the other retention jobs."""

from __future__ import annotations

from hubs.calendar.reminders import forget_old_reminders
from hubs.privacy import register_purger

register_purger("calendar_reminders", lambda today: forget_old_reminders())
