"""Processes clean up after themselves: ingest workers and the embedded PostgreSQL (real processes)."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from config.embedded_postgres import USERS_FILE, prune_stale_users

from .samples import COUNTY_REPORT

REPO = Path(__file__).resolve().parents[2]


def _gone(pid: int) -> bool:
    """True when the process has exited (a zombie awaiting its reaper has exited too)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state == "Z"


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def _kill(pids: list[int]) -> None:
    for pid in pids:
        if not _gone(pid):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_exit_when_the_ingest_process_is_killed(tmp_path):
    """After SIGKILL of `ingest --jobs 2`, its worker processes exit within seconds."""
    body = "".join(
        f"第{i}批开展宣讲活动{i % 90 + 1}场次,覆盖群众{i + 100}人。\n" for i in range(4000)
    )
    for n in range(40):
        report = COUNTY_REPORT.replace("下一步,", body + f"第{n}次。\n下一步,")
        (tmp_path / f"report-{n:02d}.txt").write_text(report, encoding="utf-8")
    parent = subprocess.Popen(
        [sys.executable, "manage.py", "ingest", "--dry-run", "--jobs", "2", str(tmp_path)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    try:
        assert _wait_for(lambda: len(_children(parent.pid)) >= 2, 60), "no workers started"
        workers = _children(parent.pid)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        assert _wait_for(lambda: all(_gone(pid) for pid in workers), 10), (
            f"workers still running: {[pid for pid in workers if not _gone(pid)]}"
        )
    finally:
        parent.kill()
        _kill(workers)


def _postmaster(datadir: Path) -> int | None:
    try:
        return int((datadir / "postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None


def _use_server(datadir: Path, then: str) -> subprocess.Popen:
    """A process that joins (or starts) the embedded server of `datadir`, then runs `then`."""
    code = textwrap.dedent(f"""
        from pathlib import Path
        from config.embedded_postgres import socket_dir
        socket_dir(Path({str(datadir)!r}))
        print("ready", flush=True)
        {then}
    """)
    return subprocess.Popen(
        [sys.executable, "-c", code], cwd=REPO, stdout=subprocess.PIPE, text=True
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_embedded_server_stops_with_its_last_live_user_after_a_crash(tmp_path):
    """A user killed by SIGKILL leaves a stale pid; the server still stops when the last live user exits."""
    datadir = tmp_path / "pg"
    crashed = _use_server(datadir, "import time; time.sleep(120)")
    try:
        assert crashed.stdout.readline().strip() == "ready"
        crashed.send_signal(signal.SIGKILL)
        crashed.wait(timeout=10)
        assert crashed.pid in json.loads((datadir / USERS_FILE).read_text())
        server = _postmaster(datadir)
        assert server is not None and not _gone(server)
        last = _use_server(datadir, "pass")
        assert last.communicate(timeout=120)[0].strip() == "ready"
        assert _wait_for(lambda: _gone(server), 15), "the server outlived its last user"
        assert json.loads((datadir / USERS_FILE).read_text()) == []
    finally:
        crashed.kill()
        pid = _postmaster(datadir)
        if pid is not None and not _gone(pid):
            os.kill(pid, signal.SIGINT)  # fast shutdown of the server this test started


def test_stale_pids_are_pruned_and_live_ones_kept(tmp_path):
    """Pids of exited processes leave the user list; a running process's pid stays."""
    finished = subprocess.Popen(["true"])
    finished.wait()
    (tmp_path / USERS_FILE).write_text(json.dumps([finished.pid, os.getpid()]))
    assert prune_stale_users(tmp_path) == [os.getpid()]
    assert json.loads((tmp_path / USERS_FILE).read_text()) == [os.getpid()]
