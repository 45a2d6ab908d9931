"""Matrix cases for report downloads: programme managers and coordinators (their hubs)."""

from tests.access.test_matrix import Case

# Funders read scoped, suppressed reports (hubs.funders).
READERS = {"manager", "coord_a", "coord_b", "funder"}

CASES = [
    Case("reports.download", {"report": "=growth", "fmt": f"={fmt}"}, READERS)
    for fmt in ("csv", "xlsx", "pdf")
]
