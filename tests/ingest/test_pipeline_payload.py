"""What a worker sends back to the main process: the extraction, not the texts."""

from ingest.parse import parse_report
from ingest.pipeline import Task, process_batch


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
