"""Writing iCalendar (RFC 5545): events, the time zones they use, whole calendars.

Events are written as text lines here, not through ``icalendar`` objects: a year of a busy
hub is tens of thousands of events, which ``icalendar`` renders at about 0.3 ms each (seconds
per feed request); these lines cost a few microseconds. ``icalendar`` still writes the
VTIMEZONE components (cached) and the tests read every calendar back with ``icalendar``
and ``recurring-ical-events``.

Every event is one occurrence (no RRULE): moving one is a new SEQUENCE of its UID. Times are
local (``DTSTART;TZID=Europe/Amsterdam``) and every TZID used comes with its VTIMEZONE,
since several clients read a TZID without one as floating time (hours off).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone

from hubs.db import utcnow

PRODID = "-//MKB-Deal Utrecht-West//Hubs//NL"
CONTENT_TYPE = "text/calendar; charset=utf-8"
CONFIRMED, TENTATIVE, CANCELLED = "CONFIRMED", "TENTATIVE", "CANCELLED"


@dataclass(frozen=True)
class CalendarEvent:
    """One occurrence as a calendar app should show it.

    ``uid`` is stable for the occurrence (a booking's bundle, a course session) and
    ``sequence`` grows with every change, so apps replace rather than duplicate it.
    ``stamp`` is when it last changed (DTSTAMP and LAST-MODIFIED).
    """

    uid: str
    sequence: int
    start: datetime
    end: datetime
    tzid: str
    summary: str
    stamp: datetime
    status: str = CONFIRMED
    description: str = ""
    location: str = ""
    url: str = ""
    created: datetime | None = None


@dataclass(frozen=True)
class FeedHeader:
    """What a subscribed calendar says about itself: its name and how often to poll."""

    name: str
    refresh: timedelta = timedelta(hours=1)
    timezone: str = "Europe/Amsterdam"


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma, newlines."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 character
    and, for clients that mind, not right after an escaping backslash."""
    if len(line) <= 75 and line.isascii():
        return line
    if len(line.encode()) <= 75:
        return line
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode())
        if size + width > 75:
            carry = current.pop() if len(current) > 1 and current[-1] == "\\" else ""
            parts.append("".join(current))
            current = [carry] if carry else []
            size = 1 + len(carry)  # the continuation's leading space counts
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _local(value: datetime, tzid: str) -> str:
    return value.astimezone(_zone(tzid)).strftime("%Y%m%dT%H%M%S")


@lru_cache(maxsize=8)
def _zone(tzid: str) -> ZoneInfo:
    return ZoneInfo(tzid)


def duration(value: timedelta) -> str:
    """An iCalendar DURATION such as ``PT1H`` (whole minutes)."""
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    text = "P" + (f"{days}D" if days else "")
    if hours or minutes or not days:
        text += "T" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    return text if text != "PT" else "PT0M"


def event_lines(event: CalendarEvent) -> list[str]:
    """The VEVENT of one occurrence, as unfolded content lines."""
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"SEQUENCE:{event.sequence}",
        f"DTSTAMP:{_utc(event.stamp)}",
        f"DTSTART;TZID={event.tzid}:{_local(event.start, event.tzid)}",
        f"DTEND;TZID={event.tzid}:{_local(event.end, event.tzid)}",
        f"SUMMARY:{escape(event.summary)}",
        f"STATUS:{event.status}",
    ]
    if event.created is not None:
        lines.append(f"CREATED:{_utc(event.created)}")
    lines.append(f"LAST-MODIFIED:{_utc(event.stamp)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape(event.description)}")
    if event.location:
        lines.append(f"LOCATION:{escape(event.location)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    # A cancelled occurrence no longer blocks the time in free/busy views.
    lines.append("TRANSP:TRANSPARENT" if event.status == CANCELLED else "TRANSP:OPAQUE")
    lines.append("END:VEVENT")
    return lines


@lru_cache(maxsize=32)
def timezone_block(tzid: str, first_year: int, last_year: int) -> str:
    """The VTIMEZONE of ``tzid`` covering the given years (with CRLF line ends)."""
    component = Timezone.from_tzid(
        tzid, first_date=date(first_year, 1, 1), last_date=date(last_year, 12, 31)
    )
    return component.to_ical().decode()


def _timezones(events: list[CalendarEvent], extra: str | None) -> str:
    zones: dict[str, tuple[int, int]] = {}
    for event in events:
        first, last = zones.get(event.tzid, (event.start.year, event.end.year))
        zones[event.tzid] = (min(first, event.start.year), max(last, event.end.year))
    if extra and extra not in zones:
        year = utcnow().year
        zones[extra] = (year, year)
    # A year either side: the clock changes around the first and last events are included.
    return "".join(timezone_block(tzid, a - 1, b + 1) for tzid, (a, b) in sorted(zones.items()))


def render(
    events: Iterable[CalendarEvent],
    *,
    header: FeedHeader | None = None,
    method: str = "PUBLISH",
    uid: str | None = None,
) -> str:
    """A whole VCALENDAR (CRLF line ends): the events plus the VTIMEZONEs they need.

    With a ``header`` it is a subscribed calendar: NAME and X-WR-CALNAME, how often to
    poll (REFRESH-INTERVAL with its required VALUE=DURATION, and X-PUBLISHED-TTL, which
    Outlook reads) and the calendar's own time zone.
    """
    events = list(events)
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    head.append(f"METHOD:{method}")
    if uid:
        head.append(f"UID:{uid}")
    if header is not None:
        every = duration(header.refresh)
        head += [
            f"NAME:{escape(header.name)}",
            f"X-WR-CALNAME:{escape(header.name)}",
            f"X-WR-TIMEZONE:{header.timezone}",
            f"REFRESH-INTERVAL;VALUE=DURATION:{every}",
            f"X-PUBLISHED-TTL:{every}",
        ]
    parts = ["\r\n".join(fold(line) for line in head), "\r\n"]
    parts.append(_timezones(events, header.timezone if header else None))
    body = [fold(line) for event in events for line in event_lines(event)]
    if body:
        parts.append("\r\n".join(body) + "\r\n")
    parts.append("END:VCALENDAR\r\n")
    return "".join(parts)
