"""Matrix cases for report downloads: programme managers and coordinators (their hubs)."""

from tests.access.test_matrix import Case

STAFF = {"manager", "coord_a", "coord_b"}
# Funders read the growth report of their programmes, suppressed (hubs.funders); the
# use and training reports are about hubs and companies, not programmes: not for them.
READERS = {"growth": STAFF | {"funder"}, "use": STAFF, "companies": STAFF}

CASES = [
    Case("reports.download", {"report": f"={report}", "fmt": f"={fmt}"}, READERS[report])
    for report in ("growth", "use", "companies")
    for fmt in ("csv", "xlsx", "pdf")
]
