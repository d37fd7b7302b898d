"""The default database: a PostgreSQL server embedded through the `pgserver` package.

Used when `DATABASE_URL` is not set. The server's data lives under `.data/postgres`
(git-ignored); it starts on the first connection any process makes and stops when
the last process that used it exits.

pgserver keeps the pids of the processes using the server in
`<datadir>/.handle_pids.json` and stops the server when the last of them leaves
(at exit). A process killed outright (SIGKILL, OOM) never leaves, so its pid would
keep the server running for good; pids of dead processes are therefore pruned when
a process joins and again when it leaves.
"""

from __future__ import annotations

import atexit
import json
import os
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
    prune_stale_users(datadir)
    try:
        server = pgserver.get_server(datadir, cleanup_mode="stop")
    except Exception as exc:
        log = datadir / "log"
        detail = log.read_text(errors="replace")[-800:] if log.exists() else str(exc)
        raise ImproperlyConfigured(
            f"The embedded PostgreSQL could not start in {datadir}: {exc}\n{detail}\n{HINT}"
        ) from exc
    # atexit runs last-registered first: prune before pgserver decides whether we are last.
    atexit.register(prune_stale_users, datadir)
    return server


USERS_FILE = ".handle_pids.json"  # pgserver's list of the processes using the server


def prune_stale_users(datadir: Path) -> list[int]:
    """Drop the pids of dead processes from pgserver's list of users; return the live ones."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # as in _start: platformdirs warns without XDG_RUNTIME_DIR
        from pgserver.postgres_server import PostgresServer

    users = datadir / USERS_FILE
    with PostgresServer._lock:  # the lock pgserver itself takes around that list
        try:
            pids = json.loads(users.read_text())
        except (OSError, ValueError):
            return []
        alive = [pid for pid in pids if _alive(pid)]
        if alive != pids:
            users.write_text(json.dumps(alive))
        return alive


def _alive(pid: int) -> bool:
    """True for a running process (a zombie, dead but not yet reaped, is not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    try:  # Linux: the state letter follows the command name in parentheses
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"
