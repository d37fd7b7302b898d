"""The About page: where reports come from, how extraction works, and how well it works."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_safe

# Measured with `manage.py ingest --dry-run --json` on ../shared/seeds scored by
# shared/tools/score_extraction.py, and by tests/ingest/test_golden.py on the golden cases.
MEASURED = {"seed_reports": 5, "golden_cases": 10, "precision": "1.000", "recall": "1.000"}


@require_safe
def about(request):
    """Methodology: sources, the extraction steps, what the labels mean, measured accuracy."""
    return render(request, "catalogue/about.html", {"measured": MEASURED})
