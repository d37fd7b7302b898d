"""The served process (config.wsgi) is ready for a text query before its first request."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROBE = "import config.wsgi; from ingest import segment; print(segment._rust or segment._tokenizer)"


def test_a_served_process_loads_the_segmenter_before_its_first_request():
    """Importing the WSGI application loads the query segmenter, so no reader's first ?q=
    waits for its dictionary."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() not in ("", "None")
