"""Series use cases: preview and book, change and cancel (one date, this date and the
following, or all), approve and reject. Each runs in one unit of work; every date is an
ordinary booking bundle, so the booking core's rules and guarantee apply to each."""

from hubs.series.services.book import SeriesInput, book_series, preview_series
from hubs.series.services.change import SeriesChange, cancel_series, change_series
from hubs.series.services.common import SCOPES, Dated, Selection, booked_dates, series_of
from hubs.series.services.decide import approve_series, reject_series, route_expiry

__all__ = [
    "SCOPES",
    "Dated",
    "SeriesChange",
    "SeriesInput",
    "Selection",
    "approve_series",
    "book_series",
    "booked_dates",
    "cancel_series",
    "change_series",
    "preview_series",
    "reject_series",
    "route_expiry",
    "series_of",
]
