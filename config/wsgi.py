"""WSGI entry point (gunicorn config.wsgi)."""

import gc
import os

from django.core.signals import request_finished
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def freeze_after_first_request(app):
    """`app`, which once its first response in this process is sent moves every object alive
    then (settings, URL patterns, templates, segmenter and pinyin dictionaries: ~340,000
    objects) out of the garbage collector's reach with gc.freeze().

    Otherwise every full collection walks them all: 100-500 ms, once every few requests,
    paid by whichever reader's request triggers it (the home page's p95 outlier). What the
    first request loads lazily is included; collection of newer objects goes on. It runs
    when the response is closed, after its body was sent, so no reader waits for it.
    """

    def freeze(**signal: object) -> None:
        request_finished.disconnect(freeze)
        gc.collect()
        gc.freeze()

    request_finished.connect(freeze, weak=False)
    return app


def prepare_segmenter() -> None:
    """Load the query segmenter (rjieba's dictionary, 0.2-0.7 s) as the process starts, not in
    its first text query: a gunicorn worker would otherwise keep the first ?q= reader it
    serves waiting for it (the one slow request in fifteen of `/initiatives/?q=`)."""
    from ingest import segment

    segment.prepare()


application = freeze_after_first_request(get_wsgi_application())
prepare_segmenter()
