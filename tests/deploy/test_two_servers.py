"""Two app servers behind one address behave as one (issue #13).

Two gunicorn instances, on two ports, with the same production settings,
one PostgreSQL database and one Redis; the client alternates its requests
between them: a whole learner journey (sign up, log in, the grains, the quiz,
the badge), the login-failure limits, the API throttles, and the session
cache (a log-out on one server is seen by the other)."""

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from itertools import cycle
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
DATABASE = "two_servers"
COURSE = "securiser-ses-mots-de-passe"
PASSWORD = "un-mot-de-passe-de-test-2026"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def healthy(process: subprocess.Popen, url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        try:
            if requests.get(url + "/healthz", timeout=5).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer /healthz in time")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _database_url(name: str) -> str:
    return urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}"))


def _recreate_database() -> None:
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")


def _server_environment(static_root: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_ALLOW"))}
    redis = urlsplit(os.environ["REDIS_URL"])._replace(path="/7")
    env.update(
        DATABASE_URL=_database_url(DATABASE),
        REDIS_URL=urlunsplit(redis),
        DJANGO_SETTINGS_MODULE="bench.settings",
        BENCH_STATIC_ROOT=static_root,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="http://127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
        API_THROTTLE_ANON="10/minute",
        LOGIN_FAILURE_LIMIT_PER_ACCOUNT="5",
        LOG_LEVEL="WARNING",
    )
    return env


def _manage(env, *args) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    ).stdout


@pytest.fixture(scope="module")
def servers():
    """(the two base URLs, the servers' environment), both answering."""
    import redis

    _recreate_database()
    with tempfile.TemporaryDirectory() as static_root:
        env = _server_environment(static_root)
        redis.Redis.from_url(env["REDIS_URL"]).flushdb()
        _manage(env, "migrate", "--noinput", "-v0")
        _manage(env, "collectstatic", "--noinput", "-v0")
        _manage(env, "load_content", "content/")
        processes, urls = [], []
        try:
            for _ in range(2):
                port = free_port()
                processes.append(
                    subprocess.Popen(
                        [
                            sys.executable,
                            "-m",
                            "gunicorn",
                            "-c",
                            "deploy/gunicorn.conf.py",
                            "--bind",
                            f"127.0.0.1:{port}",
                            "--workers",
                            "2",
                            "learning_platform.wsgi",
                        ],
                        cwd=ROOT,
                        env=env,
                        start_new_session=True,
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )
                )
                urls.append(f"http://127.0.0.1:{port}")
            for process, url in zip(processes, urls, strict=True):
                healthy(process, url)
            yield urls, env
        finally:
            for process in processes:
                stop(process)
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


class Client:
    """One browser, whose requests go to the two servers in turn, with one
    cookie jar (the address is the same for both: 127.0.0.1)."""

    def __init__(self, urls):
        self.session = requests.Session()
        self.servers = cycle(urls)
        self.seen = []

    def request(self, method, path, **kwargs):
        base = next(self.servers)
        self.seen.append(base)
        headers = kwargs.pop("headers", {})
        if method == "POST":
            headers["X-CSRFToken"] = self.session.cookies.get("csrftoken", "")
            headers["Referer"] = base + path
        return self.session.request(
            method, base + path, headers=headers, allow_redirects=False, timeout=30, **kwargs
        )

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, data=None, **kwargs):
        data = {**(data or {}), "csrfmiddlewaretoken": self.session.cookies.get("csrftoken", "")}
        return self.request("POST", path, data=data, **kwargs)


def _db(env, script: str):
    """What the test needs to know from the servers' database, as JSON."""
    code = "import django, json; django.setup()\n" + script
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_a_learner_journey_across_two_servers(servers):
    urls, env = servers
    client = Client(urls)
    assert client.get("/accounts/signup/").status_code == 200  # the CSRF cookie
    response = client.post(
        "/accounts/signup/",
        {
            "username": "deux-serveurs",
            "display_name": "Dana",
            "email": "",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302, response.text[:2000]
    assert client.get("/me/courses/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/me/courses/").status_code == 302  # logged out on both
    client.get("/accounts/login/")
    response = client.post("/accounts/login/", {"username": "deux-serveurs", "password": PASSWORD})
    assert response.status_code == 302

    units = _db(
        env,
        f"""
from courses.models import Course
course = Course.objects.get(slug={COURSE!r})
print(json.dumps([[u.id, u.kind] for u in course.units.order_by("position")]))
""",
    )
    assert client.get(f"/courses/{COURSE}/").status_code == 200
    for unit_id, kind in units:
        if kind != "quiz":
            assert client.post(f"/me/units/{unit_id}/complete/").status_code == 302
    quiz_unit = next(unit_id for unit_id, kind in units if kind == "quiz")
    assert client.post(f"/quiz/{quiz_unit}/start/").status_code == 302
    attempt_id, answers = _db(
        env,
        """
from quizzes.models import Attempt
from tests.factories import right_answers
attempt = Attempt.objects.get(learner__username="deux-serveurs", submitted_at__isnull=True)
print(json.dumps([attempt.id, right_answers(attempt)]))
""",
    )
    assert client.get(f"/quiz/attempts/{attempt_id}/").status_code in (200, 302)
    form = {f"q-{question}": values for question, values in answers.items()}
    response = client.post(f"/quiz/attempts/{attempt_id}/submit/", form)
    assert response.status_code in (200, 302), response.text[:2000]

    badges = client.get("/badges/mine/").text
    claim = re.search(r'action="(/badges/mine/[0-9a-f-]{36}/claim/)"', badges)
    assert claim, "no badge to claim on “Mes badges”"
    assert client.post(claim.group(1), {"email": "dana@example.org"}).status_code == 302
    badges = client.get("/badges/mine/").text
    assertion = re.search(r"/badges/assertions/([0-9a-f-]{36})", badges)
    assert assertion, "no badge on “Mes badges”"
    public = requests.get(
        urls[0] + assertion.group(0), timeout=30, headers={"Accept": "application/json"}
    )
    again = requests.get(
        urls[1] + assertion.group(0), timeout=30, headers={"Accept": "application/json"}
    )
    assert public.status_code == again.status_code == 200
    assert set(client.seen) == set(urls)


def test_login_failures_are_counted_across_both_servers(servers):
    urls, env = servers
    _manage(
        env,
        "shell",
        "-c",
        (
            "from tests.factories import make_user; make_user(username='limite', "
            f"password={PASSWORD!r})"
        ),
    )
    client = Client(urls)
    client.get("/accounts/login/")
    for attempt in range(5):  # LOGIN_FAILURE_LIMIT_PER_ACCOUNT
        response = client.post("/accounts/login/", {"username": "limite", "password": "faux"})
        assert response.status_code == 200, attempt
    # The sixth, even with the right password, on either server: refused.
    for _ in range(2):
        response = client.post("/accounts/login/", {"username": "limite", "password": PASSWORD})
        assert response.status_code == 429


def test_the_api_throttle_is_shared_by_both_servers(servers):
    urls, _env = servers
    client = Client(urls)
    statuses = [client.get("/api/v1/courses/").status_code for _ in range(11)]
    assert statuses[:10] == [200] * 10  # API_THROTTLE_ANON=10/minute, over both
    assert statuses[10] == 429


def test_a_session_ended_on_one_server_is_ended_on_the_other(servers):
    urls, env = servers
    _manage(
        env,
        "shell",
        "-c",
        (
            "from tests.factories import make_user; make_user(username='session', "
            f"password={PASSWORD!r})"
        ),
    )
    one, other = requests.Session(), requests.Session()
    one.get(urls[0] + "/accounts/login/", timeout=30)
    token = one.cookies["csrftoken"]
    response = one.post(
        urls[0] + "/accounts/login/",
        data={"username": "session", "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": urls[0] + "/accounts/login/"},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302
    other.cookies.update(one.cookies)  # the same browser, on the other server
    assert other.get(urls[1] + "/me/courses/", allow_redirects=False, timeout=30).status_code == 200
    one.post(
        urls[0] + "/accounts/logout/",
        data={"csrfmiddlewaretoken": one.cookies["csrftoken"]},
        headers={"Referer": urls[0] + "/"},
        allow_redirects=False,
        timeout=30,
    )
    # The old session cookie, replayed on the other server: no longer logged in.
    stale = requests.get(
        urls[1] + "/me/courses/",
        cookies={"sessionid": other.cookies["sessionid"]},
        allow_redirects=False,
        timeout=30,
    )
    assert stale.status_code == 302 and "/accounts/login/" in stale.headers["Location"]
