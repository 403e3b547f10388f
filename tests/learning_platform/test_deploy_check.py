"""Production settings (issue #6): `manage.py check --deploy` is clean with
DEBUG off, a real secret key and a host name, and nothing else."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]

# Only what a shell needs: no setting leaks in from the environment the tests
# run in (DJANGO_ALLOW_ASYNC_UNSAFE from the browser tests, CI's DATABASE_URL...).
_KEPT = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")


def _check_deploy(**env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k in _KEPT}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _check_deploy(
        DEBUG="false", SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="example.org"
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in output and "ERROR" not in output


@pytest.mark.parametrize(
    ("env", "check_id"),
    [
        ({}, "learning_platform.E001"),
        ({"SECURE_HSTS_SECONDS": "0"}, "security.W004"),
        ({"SESSION_COOKIE_SECURE": "false"}, "security.W012"),
        ({"SECURE_SSL_REDIRECT": "false"}, "security.W008"),
    ],
    ids=["default-secret-key", "no-hsts", "insecure-session-cookie", "no-ssl-redirect"],
)
def test_check_deploy_fails_when_production_is_weakened(env, check_id):
    """The clean run above proves something only if the check does fail."""
    base = {"DEBUG": "false", "ALLOWED_HOSTS": "example.org"}
    if check_id != "learning_platform.E001":
        base["SECRET_KEY"] = secrets.token_urlsafe(64)
    result = _check_deploy(**base, **env)

    assert result.returncode != 0
    assert check_id in result.stdout + result.stderr


def test_media_on_s3_without_django_storages_stops_the_start_with_a_clear_error():
    result = _check_deploy(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="example.org",
        AWS_STORAGE_BUCKET_NAME="grains-media",
    )
    try:
        import storages  # noqa: F401
    except ImportError:
        assert result.returncode != 0
        assert "learning_platform.E004" in result.stdout + result.stderr
    else:  # the deploy extra is installed here: nothing to say
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_deployment_files_agree_with_each_other():
    """compose.yaml runs the image's gunicorn with deploy/gunicorn.conf.py,
    the worker and its scheduler, behind nginx serving the media volume."""
    import runpy

    import yaml

    compose = yaml.safe_load((BASE_DIR / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "redis", "web", "worker", "beat", "nginx"}
    assert "deploy/gunicorn.conf.py" in services["web"]["command"]
    assert "deploy/gunicorn.conf.py" in (BASE_DIR / "Dockerfile").read_text()
    assert any("/srv/media" in v for v in services["nginx"]["volumes"])
    assert "alias /srv/media/;" in (BASE_DIR / "deploy/nginx.conf").read_text()
    conf = runpy.run_path(str(BASE_DIR / "deploy/gunicorn.conf.py"))
    assert conf["workers"] >= 3 and conf["timeout"] == 30 and conf["max_requests"] > 0
