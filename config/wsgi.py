"""WSGI entry point (gunicorn config.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def freeze_after_first_request(app):
    """`app`, which after its first response in this process moves every object alive then
    (settings, URL patterns, templates, segmenter and pinyin dictionaries: ~340,000 objects)
    out of the garbage collector's reach with gc.freeze().

    Otherwise every full collection walks them all: 100-500 ms, once every few requests,
    paid by whichever reader's request triggers it (the home page's p95 outlier). What
    the first request loads lazily is included; garbage collection of newer objects goes on.
    """
    frozen = False

    def wrapped(environ, start_response):
        nonlocal frozen
        response = app(environ, start_response)
        if not frozen:
            frozen = True
            gc.collect()
            gc.freeze()
        return response

    return wrapped


application = freeze_after_first_request(get_wsgi_application())
