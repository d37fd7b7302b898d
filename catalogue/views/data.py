"""/data/: the whole public catalogue as files, with its data dictionary and build date."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .. import dataset

CONTENT_TYPES = {dataset.CSV_ZIP: "application/zip", dataset.JSONL: "application/x-ndjson"}


@require_safe
def data_page(request):
    """The downloads, when they were built, and what every column means."""
    manifest = dataset.read_manifest()
    counts = manifest["counts"] if manifest else {}
    context = {
        "manifest": manifest,
        "downloads": [(name, size) for name, size in manifest["files"].items()] if manifest else [],
        "tables": [(table, counts.get(table.name)) for table in dataset.TABLES],
    }
    return render(request, "catalogue/data.html", context)


@require_safe
def data_file(request, name: str):
    """One dataset file, as a download."""
    path = dataset.dataset_dir() / name
    if name not in CONTENT_TYPES or not path.is_file():
        raise Http404(name)
    return FileResponse(path.open("rb"), as_attachment=True, content_type=CONTENT_TYPES[name])
