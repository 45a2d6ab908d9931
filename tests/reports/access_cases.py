"""Matrix cases for report downloads: programme managers and coordinators (their hubs)."""

from tests.access.test_matrix import Case

# Funders get scoped, suppressed reports in a later step; until then none.
READERS = {"manager", "coord_a", "coord_b"}

CASES = [
    Case("reports.download", {"report": "=growth", "fmt": f"={fmt}"}, READERS)
    for fmt in ("csv", "xlsx", "pdf")
]
