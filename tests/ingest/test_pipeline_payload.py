"""How files cross to and from workers: the extraction sent back without texts, fewer collections."""

import gc

from ingest.parse import parse_report
from ingest.pipeline import GC_THRESHOLDS, Task, discover, process_all, process_batch


def test_worker_sends_back_extraction_without_texts(seeds_dir) -> None:
    """A parsed file's outcome keeps programmes, indicators and flags but drops text, body and report tokens."""
    path = sorted(p for p in seeds_dir.iterdir() if p.suffix in {".txt", ".html"})[0]
    [outcome] = process_batch([Task(path, 5 * 1024 * 1024, load=False, force=False)])
    full = parse_report(path.read_bytes())
    assert outcome.status == "parsed"
    assert (outcome.parsed.text, outcome.parsed.body, outcome.parsed.tokens) == ("", "", "")
    assert full.tokens  # there was something to drop
    assert outcome.parsed.programmes == full.programmes
    assert outcome.parsed.indicators == full.indicators
    assert (outcome.parsed.sha256, outcome.parsed.flags) == (full.sha256, full.flags)


def test_collection_thresholds_raised_while_processing_then_restored(seeds_dir) -> None:
    """Files are processed with fewer garbage collections; the process's thresholds come back after."""
    before = gc.get_threshold()
    outcomes = list(discover([seeds_dir]))
    during = []
    for _ in process_all(outcomes, max_bytes=5 * 1024 * 1024, jobs=1, load=False):
        during.append(gc.get_threshold())
    assert during and all(t == GC_THRESHOLDS for t in during)
    assert gc.get_threshold() == before != GC_THRESHOLDS
