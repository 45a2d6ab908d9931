"""Matrix cases for report downloads: programme managers and coordinators (their hubs)."""

from tests.access.test_matrix import Case

# Funders get scoped, suppressed reports in a later step (issue 10); until then none.
READERS = {"manager", "coord_a", "coord_b"}

CASES = [
    Case("reports.download", {"report": f"={report}", "fmt": f"={fmt}"}, READERS)
    for report in ("growth", "use", "companies")
    for fmt in ("csv", "xlsx", "pdf")
]
