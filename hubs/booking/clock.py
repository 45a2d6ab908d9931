"""Local wall-clock time of a hub and the instants it stands for, honest about DST.

People type local times ("09:00"); the database stores UTC instants. Twice a year that
translation is not one-to-one: in spring one local hour does not exist, in autumn one
occurs twice. We refuse the first and ask for the offset for the second, rather than
guess and book the wrong hour.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from hubs.errors import InvalidInput

# A closing time at or after this counts as midnight (the end of the day): the opening
# hours' columns are times of day, which cannot say 24:00.
AMSTERDAM_NAME = "Europe/Amsterdam"
END_OF_DAY = time(23, 59)
_TIME_RE = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*(?:(Z)|([+-])(\d{2}):?(\d{2}))?\s*$", re.I)


def zone(name: str | None) -> ZoneInfo:
    return ZoneInfo(name or AMSTERDAM_NAME)


def exists(naive: datetime, tz: tzinfo) -> bool:
    """False for a wall-clock time skipped when the clocks go forward."""
    aware = naive.replace(tzinfo=tz)
    return aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == naive


def is_ambiguous(naive: datetime, tz: tzinfo) -> bool:
    """True for a wall-clock time that occurs twice when the clocks go back."""
    first = naive.replace(tzinfo=tz, fold=0).utcoffset()
    second = naive.replace(tzinfo=tz, fold=1).utcoffset()
    return exists(naive, tz) and first != second


def _offset_text(delta: timedelta | None) -> str:
    minutes = int((delta or timedelta(0)).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def parse_time(text: str, field: str) -> tuple[time, timedelta | None]:
    """``"09:00"``, ``"9.00"`` or ``"02:30+01:00"`` → (time, offset or None)."""
    match = _TIME_RE.match(text or "")
    if not match:
        raise InvalidInput(_l("Give a time like 09:30."), field=field)
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise InvalidInput(_l("Give a time like 09:30."), field=field)
    offset = None
    if match.group(3):
        offset = timedelta(0)
    elif match.group(4):
        offset = timedelta(hours=int(match.group(5)), minutes=int(match.group(6)))
        if match.group(4) == "-":
            offset = -offset
    return time(hour, minute), offset


def local_instant(day: date, text: str, tz: tzinfo, field: str) -> datetime:
    """The instant of local ``text`` on ``day``; refuses times that do not exist or are
    ambiguous (unless the offset is given)."""
    clock, offset = parse_time(text, field)
    naive = datetime.combine(day, clock)
    if offset is not None:
        return check_offset(naive.replace(tzinfo=timezone(offset)), tz, field)
    if not exists(naive, tz):
        raise InvalidInput(_nonexistent(naive), field=field)
    if is_ambiguous(naive, tz):
        raise InvalidInput(_ambiguous(naive, tz), field=field)
    return naive.replace(tzinfo=tz).astimezone(UTC)


def check_offset(value: datetime, tz: tzinfo, field: str) -> datetime:
    """An instant given with an offset: UTC is always fine; any other offset must be the
    one the hub's clock shows at that instant (catches "02:30+01:00" on the spring night)."""
    offset = value.utcoffset()
    if offset is None:
        raise InvalidInput(
            _l("Give the time with its UTC offset, e.g. 2025-10-14T09:00:00+02:00."), field=field
        )
    if offset == timedelta(0):
        return value.astimezone(UTC)
    naive = value.replace(tzinfo=None)
    if not exists(naive, tz):
        raise InvalidInput(_nonexistent(naive), field=field)
    real = value.astimezone(tz).utcoffset()
    if real != offset:
        raise InvalidInput(
            _l(
                "%(value)s is not a time in the Netherlands: at that moment the offset is "
                "%(offset)s.",
                value=value.isoformat(),
                offset=_offset_text(real),
            ),
            field=field,
        )
    return value.astimezone(UTC)


def _nonexistent(naive: datetime) -> str:
    return str(
        _l(
            "%(time)s on %(day)s does not exist: that night the clocks go forward an hour "
            "(from 02:00 to 03:00). Choose another time.",
            time=naive.strftime("%H:%M"),
            day=format_date(naive.date(), "d MMMM y"),
        )
    )


def _ambiguous(naive: datetime, tz: tzinfo) -> str:
    hhmm = naive.strftime("%H:%M")
    summer = hhmm + _offset_text(naive.replace(tzinfo=tz, fold=0).utcoffset())
    winter = hhmm + _offset_text(naive.replace(tzinfo=tz, fold=1).utcoffset())
    day = format_date(naive.date(), "d MMMM y")
    return str(
        _l(
            "%(time)s on %(day)s occurs twice: that night the clocks go back an hour. "
            "Add the offset: %(summer)s (summer time) or %(winter)s (winter time).",
            time=hhmm,
            day=day,
            summer=summer,
            winter=winter,
        )
    )


def wall_start(day: date, clock: time, tz: tzinfo) -> datetime:
    """The instant a local time of day begins (for opening hours and slots)."""
    return datetime.combine(day, clock).replace(tzinfo=tz).astimezone(UTC)


def wall_end(day: date, clock: time, tz: tzinfo) -> datetime:
    """Like :func:`wall_start`, but a closing time of 23:59 or later means midnight."""
    if clock >= END_OF_DAY:
        return wall_start(day + timedelta(days=1), time(0), tz)
    return wall_start(day, clock, tz)


def day_bounds(day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """The instants of local midnight at the start and end of ``day`` (23–25 hours)."""
    return wall_start(day, time(0), tz), wall_start(day + timedelta(days=1), time(0), tz)


def local(value: datetime, tz: tzinfo) -> datetime:
    return value.astimezone(tz)


def local_date(value: datetime, tz: tzinfo) -> date:
    return value.astimezone(tz).date()


def last_local_date(end: datetime, tz: tzinfo) -> date:
    """The local date of the last moment before ``end`` (half-open intervals)."""
    return (end - timedelta(microseconds=1)).astimezone(tz).date()


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def hhmm(value: datetime | time, tz: tzinfo | None = None) -> str:
    if isinstance(value, datetime):
        value = value.astimezone(tz or UTC)
    return value.strftime("%H:%M")
