"""The default database: a PostgreSQL server embedded through the `pgserver` package.

Used when `DATABASE_URL` is not set. The server's data lives under `.data/postgres`
(git-ignored); it starts on the first connection any process makes and stops when
the last process that used it exits.
"""

from __future__ import annotations

import threading
import warnings
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from django.core.exceptions import ImproperlyConfigured

_lock = threading.Lock()
_servers: dict[Path, object] = {}

HINT = (
    "Set DATABASE_URL to use another PostgreSQL server instead, e.g. "
    "DATABASE_URL=postgres://user:password@localhost:5432/catalogue"
)


def socket_dir(datadir: Path) -> str:
    """Start (or join) the embedded server for `datadir` and return its socket directory."""
    datadir = datadir.resolve()
    with _lock:
        server = _servers.get(datadir)
        if server is None:
            server = _start(datadir)
            _servers[datadir] = server
    host = parse_qs(urlparse(server.get_uri()).query).get("host", [""])[0]
    if not host:
        raise ImproperlyConfigured(
            f"The embedded PostgreSQL in {datadir} reported no socket. {HINT}"
        )
    return host


def _start(datadir: Path):
    try:
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, root shells); pgserver copes.
            warnings.simplefilter("ignore")
            import pgserver
    except ImportError as exc:  # pragma: no cover - the package is a dependency
        raise ImproperlyConfigured(
            f"The embedded PostgreSQL needs the 'pgserver' package. {HINT}"
        ) from exc
    datadir.mkdir(parents=True, exist_ok=True)
    try:
        return pgserver.get_server(datadir, cleanup_mode="stop")
    except Exception as exc:
        log = datadir / "log"
        detail = log.read_text(errors="replace")[-800:] if log.exists() else str(exc)
        raise ImproperlyConfigured(
            f"The embedded PostgreSQL could not start in {datadir}: {exc}\n{detail}\n{HINT}"
        ) from exc
