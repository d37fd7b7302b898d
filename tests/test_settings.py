"""Settings come from the environment; production refuses to start without its required values."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
STRONG_KEY = secrets.token_urlsafe(50)


def manage(*args: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    """Run manage.py in a clean environment (no inherited DATABASE_URL or DJANGO_*)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    base.update(CATALOGUE_DATA_DIR=str(tmp_path / "data"), **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_secret_key_fails_loudly(tmp_path):
    """DJANGO_ENV=production without DJANGO_SECRET_KEY stops with the variable named."""
    result = manage("check", env={"DJANGO_ENV": "production"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": STRONG_KEY,
    "DJANGO_ALLOWED_HOSTS": "example.org",
    "DATABASE_URL": "postgres://u:p@127.0.0.1:9/none",
}


def test_production_passes_the_deploy_check_without_warnings(tmp_path):
    """`check --deploy` in production (HTTPS redirect, HSTS, secure cookies) prints no warning."""
    result = manage("check", "--deploy", env=PRODUCTION, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "WARNINGS" not in result.stderr + result.stdout
    assert "no issues (0 silenced)" in result.stdout


@pytest.mark.parametrize(
    "key",
    [
        "x" * 60,  # long but one character repeated
        "abcd" * 20,  # four different characters
        STRONG_KEY[:40],  # too short
        "django-insecure-" + STRONG_KEY,  # Django's placeholder prefix
    ],
)
def test_production_refuses_a_weak_secret_key(tmp_path, key):
    """A short, repetitive or 'django-insecure' key stops production with the reason."""
    result = manage("check", env={**PRODUCTION, "DJANGO_SECRET_KEY": key}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is too weak for production" in result.stderr


def test_production_collects_compressed_static_files(tmp_path):
    """The compose web service's collectstatic builds a manifest and compressed copies."""
    static_root = tmp_path / "static"
    env = {
        **PRODUCTION,
        "DJANGO_STATIC_ROOT": str(static_root),
    }
    result = manage("collectstatic", "--noinput", env=env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (static_root / "staticfiles.json").exists()
    assert list(static_root.glob("css/site.*.css.gz"))


def test_local_settings_need_nothing_set(tmp_path):
    """Without any variable the project checks clean and keeps its secret key under the data dir."""
    result = manage("check", env={}, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "secret_key").exists()
