"""SITE_URL and ALLOWED_HOSTS agree (learning_platform.E002): share links,
Open Badges ids and e-mails are built on SITE_URL, so its host must be one
the site answers. When SITE_URL is unset, it is derived, never a fixed port."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from learning_platform.checks import check_site_url

BASE_DIR = Path(__file__).resolve().parents[2]
_KEPT = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")


def _ids(settings, site_url, allowed_hosts, *, debug=False):
    settings.SITE_URL = site_url
    settings.ALLOWED_HOSTS = allowed_hosts
    settings.DEBUG = debug
    return [error.id for error in check_site_url(None)]


@pytest.mark.parametrize(
    ("site_url", "allowed_hosts"),
    [
        ("https://learn.example.org", ["learn.example.org"]),
        ("http://127.0.0.1:8123", ["localhost", "127.0.0.1", "[::1]"]),  # any port
        ("https://LEARN.Example.org", ["learn.example.org"]),  # host names ignore case
        ("http://[::1]:8000", ["[::1]"]),
        ("https://learn.example.org", ["*"]),
        ("https://www.example.org", [".example.org"]),  # leading dot: subdomains
        ("https://example.org", [".example.org"]),  # and the domain itself
    ],
)
def test_site_url_on_an_allowed_host_passes(settings, site_url, allowed_hosts):
    assert _ids(settings, site_url, allowed_hosts) == []


@pytest.mark.parametrize(
    ("site_url", "allowed_hosts"),
    [
        ("https://learn.example.org", ["example.org"]),  # no dot: not the subdomains
        ("https://example.org.evil.net", [".example.org"]),
        ("http://192.168.1.5:8000", ["localhost", "127.0.0.1", "[::1]"]),
        ("https://learn.example.org", []),
    ],
)
def test_site_url_on_a_host_not_allowed_fails(settings, site_url, allowed_hosts):
    assert _ids(settings, site_url, allowed_hosts) == ["learning_platform.E002"]


def test_the_error_says_what_to_set(settings):
    settings.SITE_URL, settings.ALLOWED_HOSTS = "http://192.168.1.5:8000", ["127.0.0.1"]
    [error] = check_site_url(None)
    assert "'192.168.1.5'" in error.msg and "ALLOWED_HOSTS" in error.msg
    assert "SITE_URL" in error.hint and "ALLOWED_HOSTS" in error.hint


def test_with_debug_and_no_allowed_hosts_the_local_addresses_are_allowed(settings):
    # Django's own rule for DEBUG with an empty ALLOWED_HOSTS.
    assert _ids(settings, "http://localhost:8000", [], debug=True) == []
    assert _ids(settings, "http://192.168.1.5:8000", [], debug=True) == ["learning_platform.E002"]


@pytest.mark.parametrize("site_url", ["learn.example.org", "ftp://learn.example.org", "https://"])
def test_site_url_that_is_not_an_http_address_fails(settings, site_url):
    assert _ids(settings, site_url, ["*"]) == ["learning_platform.E003"]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Only what a shell needs: nothing leaks in from the tests' environment.
    environ = {k: v for k, v in os.environ.items() if k in _KEPT} | env
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_site_url_production_links_go_to_the_first_allowed_host():
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.SITE_URL)",
        DEBUG="false",
        ALLOWED_HOSTS=".learn.example.org,www.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://learn.example.org"


def test_the_check_runs_with_the_other_system_checks():
    """Not only with --deploy: migrate and runserver run it first, so that
    `make run` stops before serving links the site would refuse."""
    wrong = _manage("check", DEBUG="true", SITE_URL="http://192.168.1.5:8001")
    right = _manage("check", DEBUG="true", SITE_URL="http://127.0.0.1:8001")
    assert wrong.returncode != 0 and "learning_platform.E002" in wrong.stderr
    assert right.returncode == 0, right.stderr
