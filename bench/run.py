"""`make bench`: generate the data, serve the app with gunicorn, load it with
wrk, and write bench/RESULTS.md. See bench/README.md.

Environment (all optional): BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/bench),
BENCH_PORT (a free one), BENCH_DURATION (seconds per target, 10), BENCH_CONNECTIONS (8),
BENCH_THREADS (2), BENCH_SKIP_GENERATE=1 to reuse the data of a previous run,
BENCH_WSGI_APP (learning_platform.wsgi:application) to measure a candidate change
kept outside the tree (with PYTHONPATH).
"""

import json
import os
import platform
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

from bench.generate import BENCH_PASSWORD, TUTOR_USERNAME, USERNAME  # noqa: E402

VENV_BIN = Path(sys.executable).parent
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PORT = int(os.environ.get("BENCH_PORT") or _free_port())
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
WORKERS = 2
# The app (or a candidate: see bench/README.md), served through bench/wsgi.py,
# which adds the bare Django reference at /bench/bare.
APP = os.environ.get("BENCH_WSGI_APP", "learning_platform.wsgi:application")
WSGI_APP = "bench.wsgi:application"
SESSION_LEARNERS = 20  # learners logged in through the login form (~0.5 s of PBKDF2 each)
VALIDATE = 3  # requests of each target sent first, one by one, and checked
RESULTS = BENCH / "RESULTS.md"


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def app_environment(static_root: str) -> dict[str, str]:
    """Production settings, from the environment as in a deployment."""
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}  # local-memory cache
    env.update(
        DATABASE_URL=DATABASE_URL,
        DJANGO_SETTINGS_MODULE="learning_platform.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        BENCH_STATIC_ROOT=static_root,
        BENCH_APP=APP,
        # Keep each worker's database connection for the whole run (60 s by
        # default), so that the CPU meter follows the same backends throughout.
        DB_CONN_MAX_AGE="900",
        LOG_LEVEL="WARNING",
    )
    return env


# HTTP, with the standard library only


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def cookies(self) -> dict[str, str]:
        jar = SimpleCookie()
        for name, value in self.headers:
            if name.lower() == "set-cookie":
                jar.load(value)
        return {key: morsel.value for key, morsel in jar.items()}


def fetch(method: str, path: str, headers: dict | None = None, body: str = "") -> Response:
    connection = HTTPConnection("127.0.0.1", PORT, timeout=60)
    try:
        connection.request(method, path, body=body.encode() or None, headers=headers or {})
        response = connection.getresponse()
        return Response(response.status, response.getheaders(), response.read())
    finally:
        connection.close()


@dataclass
class Session:
    """A logged-in browser: its cookies, and the CSRF token forms send."""

    username: str
    user_id: int
    cookies: dict[str, str]

    @property
    def cookie(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    @property
    def csrf(self) -> str:
        return self.cookies["csrftoken"]


def login(username: str, user_id: int) -> Session:
    """Log in through the login form, as a browser would."""
    page = fetch("GET", "/accounts/login/")
    cookies = page.cookies()
    form = {
        "csrfmiddlewaretoken": cookies["csrftoken"],
        "username": username,
        "password": BENCH_PASSWORD,
        "next": "",
    }
    answer = fetch(
        "POST",
        "/accounts/login/",
        {
            "Cookie": f"csrftoken={cookies['csrftoken']}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        urlencode(form),
    )
    cookies.update(answer.cookies())
    if answer.status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"login of {username} failed: HTTP {answer.status}")
    return Session(username, user_id, cookies)


# Targets


class Skip(Exception):  # noqa: N818 - a target that cannot run yet, with the reason
    pass


@dataclass
class Request:
    method: str
    path: str
    session: Session | None = None
    htmx: bool = False
    body: str = ""
    accept: str = ""

    def line(self) -> str:
        cookie, csrf = (self.session.cookie, self.session.csrf) if self.session else ("", "")
        return "\t".join(
            [self.method, self.path, cookie, csrf, "1" if self.htmx else "", self.body, self.accept]
        )

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.session:
            headers.update({"Cookie": self.session.cookie, "X-CSRFToken": self.session.csrf})
        if self.htmx:
            headers["HX-Request"] = "true"
        if self.body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.accept:
            headers["Accept"] = self.accept
        return headers


@dataclass
class Target:
    """A page under load. ``build`` returns the requests to cycle through (or
    to send once each, when ``once``); it raises Skip when the page cannot run."""

    name: str
    build: Callable[["Bench"], list[Request]]
    budget: float | None = None
    once: bool = False
    optional: bool = False  # skipped, not failed, when it answers 404
    # Budgets in absolute figures (the tutor's pages): median latency, CPU per
    # request, growth of the workers' RSS over the run.
    max_median_ms: float | None = None
    max_cpu_ms: float | None = None
    max_rss_growth_mib: float | None = None

    def budget_text(self) -> str:
        parts = [f"≥ {self.budget:.0%}"] if self.budget else []
        if self.max_median_ms:
            parts.append(f"median < {self.max_median_ms:,.0f} ms")
        if self.max_cpu_ms:
            parts.append(f"CPU < {self.max_cpu_ms:.0f} ms")
        if self.max_rss_growth_mib:
            parts.append(f"RSS +< {self.max_rss_growth_mib:.0f} MiB")
        return ", ".join(parts) or "–"


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    """Fields of /proc/<pid>/stat from the 3rd (state) on."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


class CpuMeter:
    """CPU time spent serving: gunicorn's workers and their PostgreSQL
    backends, not wrk and not whatever else the machine runs. Divided by the
    requests, it gives a cost per request that other jobs on a shared machine
    hardly change, unlike requests per second."""

    def __init__(self, master_pid: int):
        self.master_pid = master_pid

    def workers(self) -> list[int]:
        workers = []
        for entry in Path("/proc").iterdir():
            try:
                if entry.name.isdigit() and int(_stat(int(entry.name))[1]) == self.master_pid:
                    workers.append(int(entry.name))
            except (OSError, IndexError):
                continue
        return workers

    def rss_mib(self) -> dict[int, float]:
        """Each gunicorn worker's resident memory (VmRSS), in MiB."""
        rss = {}
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            kb = next(
                (line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")), 0
            )
            rss[pid] = int(kb) / 1024
        return rss

    def pids(self) -> list[int]:
        from django.db import connection

        workers = self.workers()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                " AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
            )
            backends = [row[0] for row in cursor.fetchall()]
        return workers + backends

    def snapshot(self) -> dict[int, int]:
        ticks = {}
        for pid in self.pids():
            try:
                fields = _stat(pid)
            except OSError:
                continue
            ticks[pid] = int(fields[11]) + int(fields[12])  # utime + stime
        return ticks

    @staticmethod
    def milliseconds(before: dict[int, int], after: dict[int, int]) -> float:
        return sum(t - before.get(pid, 0) for pid, t in after.items()) * 1000 / CLOCK_TICKS


class Bench:
    """What the request builders need: the learners' sessions, the ORM."""

    def __init__(self, rng: random.Random, meter: CpuMeter):
        self.rng = rng
        self.meter = meter
        self.sessions: list[Session] = []
        self.fastest_page_rps = 0.0  # of the pages measured so far
        self.bare: list[Result | None] = []  # the bare Django reference, first and last

    def log_in_learners(self) -> None:
        from django.db.models import Count

        from learning_platform.models import User

        candidates = list(
            User.objects.filter(username__startswith=USERNAME.format(0)[:5])
            .exclude(username=TUTOR_USERNAME)
            .annotate(courses=Count("enrolments"))
            .filter(courses__gt=0)
            .order_by("id")
            .values_list("username", "id")
        )
        chosen = self.rng.sample(candidates, min(SESSION_LEARNERS, len(candidates)))
        started = time.monotonic()
        with ThreadPoolExecutor(WORKERS) as pool:
            self.sessions = list(pool.map(lambda c: login(*c), chosen))
        log(f"{len(self.sessions)} learners logged in in {time.monotonic() - started:.0f} s")


def healthz(bench: Bench) -> list[Request]:
    return [Request("GET", "/healthz")]


def bare(bench: Bench) -> list[Request]:
    """The second reference: the same query in a bare Django view, without
    the app's middleware (bench/wsgi.py)."""
    return [Request("GET", "/bench/bare")]


def home(bench: Bench) -> list[Request]:
    return [Request("GET", "/")]


def search(bench: Bench) -> list[Request]:
    """Anonymous searches of the catalogue, a word of a course title each."""
    from courses.models import Course

    words = sorted(
        {
            word.lower()
            for title in Course.objects.published().values_list("title", flat=True)
            for word in title.split()
            if len(word) >= 6 and word.isalpha()
        }
    )
    words = bench.rng.sample(words, min(20, len(words)))
    return [Request("GET", "/courses/?" + urlencode({"q": word})) for word in words]


def _assertion_paths(bench: Bench) -> list[str]:
    from badges.models import Assertion

    ids = list(
        Assertion.objects.filter(revoked_at__isnull=True)
        .order_by("id")
        .values_list("uuid", flat=True)[:2000]
    )
    return [f"/badges/assertions/{uuid}" for uuid in bench.rng.sample(ids, min(50, len(ids)))]


def badge_page(bench: Bench) -> list[Request]:
    """Anyone checking a badge someone shows: the verification page."""
    return [Request("GET", path, accept="text/html") for path in _assertion_paths(bench)]


def badge_json(bench: Bench) -> list[Request]:
    """A verifier reading the same badges' Open Badges assertions (JSON-LD)."""
    return [Request("GET", path, accept="application/ld+json") for path in _assertion_paths(bench)]


def catalogue(bench: Bench) -> list[Request]:
    return [Request("GET", "/courses/")]


def catalogue_logged_in(bench: Bench) -> list[Request]:
    return [Request("GET", "/courses/", s) for s in bench.sessions]


def _course_paths() -> list[str]:
    from courses.models import Course

    return [c.get_absolute_url() for c in Course.objects.published().order_by("id")]


def course_page(bench: Bench) -> list[Request]:
    return [Request("GET", path) for path in _course_paths()]


def course_page_logged_in(bench: Bench) -> list[Request]:
    paths = _course_paths()
    return [Request("GET", bench.rng.choice(paths), s) for s in bench.sessions for _ in range(3)]


def unit_page(bench: Bench) -> list[Request]:
    """Each learner reads the fiches of one of their courses in turn (so each
    request moves their resume point, as reading on does)."""
    from courses.models import Course, Unit

    requests = []
    for session in bench.sessions:
        courses = list(
            Course.objects.published()
            .filter(enrolments__learner_id=session.user_id)
            .order_by("id")
            .values_list("id", flat=True)
        )
        fiches = Unit.objects.filter(
            course_id=bench.rng.choice(courses), kind=Unit.Kind.FICHE
        ).select_related("course")
        requests.extend(Request("GET", u.get_absolute_url(), session) for u in fiches)
    # Interleave learners rather than reading one learner's fiches back to back.
    bench.rng.shuffle(requests)
    return requests


def _answers(attempt, questions, rng: random.Random) -> dict[str, list[str]]:
    """Each drawn question answered right four times out of five."""
    form: dict[str, list[str]] = {}
    for item in attempt.drawn:
        question = questions[item["question"]]
        right = rng.random() < 0.8
        key = f"q-{question.id}"
        if question.has_choices:
            choices = list(question.choices.all())
            good = [str(c.id) for c in choices if c.is_correct]
            bad = [str(c.id) for c in choices if not c.is_correct][:1]
            form[key] = good if right or not bad else bad
        elif question.kind == question.Kind.SHORT_TEXT:
            form[key] = [question.accepted_answers[0] if right else "je ne sais pas"]
        else:
            form[key] = [f"{question.numeric_answer.normalize():f}" if right else "-999999"]
    return form


def quiz_submission(bench: Bench) -> list[Request]:
    """Open attempts (through the app's own service, as POST /quiz/<unit>/start/
    does) for the logged-in learners on the generated quizzes, which allow
    unlimited attempts; each request submits one of them with htmx. Enough
    attempts for the submissions to go 1.5 times as fast as the fastest page
    so far (a submission does more than any of them); running dry is reported."""
    from courses.models import Course
    from learning_platform.models import User
    from quizzes.models import Attempt, Question, Quiz
    from quizzes.services import attempt_start

    pool_size = int((bench.fastest_page_rps or 200) * 1.5 * DURATION) + VALIDATE + 100

    quizzes = list(
        Quiz.objects.filter(
            attempts_allowed__isnull=True, unit__course__status=Course.Status.PUBLISHED
        ).order_by("id")
    )
    if not quizzes:
        raise Skip("no quiz with unlimited attempts in the data")
    learners = {u.id: u for u in User.objects.filter(id__in=[s.user_id for s in bench.sessions])}
    pairs = [(s, q) for q in quizzes for s in bench.sessions]
    bench.rng.shuffle(pairs)
    pairs = pairs[:pool_size]
    started = time.monotonic()
    attempts = [
        (s, attempt_start(learner=learners[s.user_id], quiz=q, rng=bench.rng)) for s, q in pairs
    ]
    ids = {q for _s, a in attempts for q in a.question_ids}
    questions = {q.id: q for q in Question.objects.filter(id__in=ids).prefetch_related("choices")}
    requests = []
    for session, attempt in attempts:
        assert isinstance(attempt, Attempt) and not attempt.is_submitted
        form = {"csrfmiddlewaretoken": [session.csrf], **_answers(attempt, questions, bench.rng)}
        requests.append(
            Request(
                "POST",
                f"/quiz/attempts/{attempt.id}/submit/",
                session,
                htmx=True,
                body=urlencode(form, doseq=True),
            )
        )
    log(f"{len(requests)} quiz attempts opened in {time.monotonic() - started:.0f} s")
    return requests


def dashboard(bench: Bench) -> list[Request]:
    return [Request("GET", "/me/courses/", s) for s in bench.sessions]


def tutor_cohort(bench: Bench) -> list[Request]:
    """The tutor's cohort page (issue #4): skipped until it exists."""
    from django.apps import apps

    from learning_platform.models import User

    try:
        cohort_model = apps.get_model("learning_platform", "Cohort")
    except LookupError as error:
        raise Skip(f"no cohort model yet ({error})") from error
    tutor = User.objects.filter(username=TUTOR_USERNAME).first()
    cohort = cohort_model.objects.filter(tutors=tutor).order_by("id").first() if tutor else None
    if cohort is None:
        raise Skip("no cohort in the data (see bench/generate.py, make_cohorts)")
    return [Request("GET", f"/tutor/cohorts/{cohort.pk}/", login(tutor.username, tutor.id))]


def tutor_cohort_csv(bench: Bench) -> list[Request]:
    """The same cohort's CSV export."""
    [request] = tutor_cohort(bench)
    return [Request("GET", request.path + "export.csv", request.session)]


# Budgets are ratios of requests per second to /healthz in the same run: each
# page's rate over the mean of the /healthz runs just before and just after it
# (the reference runs between every two pages). Informative pages have no
# budget. To measure another page, add a line here.
REFERENCE = Target("/healthz", healthz)
BARE = Target("bare Django view, no middleware", bare, optional=True)
TARGETS = [
    Target("home /", home, 0.30),
    Target("catalogue /courses/", catalogue, 0.30),
    Target("course page /courses/<slug>/", course_page, 0.30),
    Target("search results /courses/?q=", search),
    Target("unit page (fiche), logged in", unit_page, 0.20),
    Target("quiz submission (htmx), logged in", quiz_submission, 0.15, once=True),
    Target('"Mes parcours" /me/courses/, logged in', dashboard, 0.15),
    Target("catalogue, logged in", catalogue_logged_in, 0.20),
    Target("course page, logged in", course_page_logged_in, 0.20),
    Target("badge verification page", badge_page),
    Target("badge verification JSON", badge_json, 0.40),
    Target(
        "tutor cohort /tutor/cohorts/<id>/, tutor",
        tutor_cohort,
        optional=True,
        max_median_ms=300,
        max_cpu_ms=50,
    ),
    Target(
        "tutor cohort CSV export, tutor",
        tutor_cohort_csv,
        optional=True,
        max_median_ms=2000,
        max_rss_growth_mib=20,
    ),
]


# Measuring


@dataclass
class Result:
    target: Target
    figures: dict = field(default_factory=dict)
    skipped: str = ""
    failed: str = ""
    reference: list["Result"] = field(default_factory=list)  # /healthz before and after

    @property
    def rps(self) -> float:
        return self.figures["requests"] / (self.figures["duration_us"] / 1e6)

    @property
    def reference_rps(self) -> float:
        return sum(r.rps for r in self.reference) / len(self.reference)

    @property
    def ratio(self) -> float:
        return self.rps / self.reference_rps

    @property
    def cpu_ratio(self) -> float:
        """What the ratio would be if serving were all the machine did."""
        reference = sum(r.figures["cpu_ms"] for r in self.reference) / len(self.reference)
        return reference / self.figures["cpu_ms"] if self.figures["cpu_ms"] else 0


def validate(target: Target, requests: list[Request]) -> None:
    """Send the first requests one by one: each must answer 200, not a
    redirect to the login page or an error, or the figures mean nothing."""
    for request in requests[:VALIDATE]:
        response = fetch(request.method, request.path, request.headers(), request.body)
        if response.status == 404 and target.optional:
            raise Skip(f"{request.path} answers 404: not there yet")
        if response.status != 200:
            location = dict((k.lower(), v) for k, v in response.headers).get("location", "")
            raise RuntimeError(
                f"{request.method} {request.path}: HTTP {response.status} {location}"
            )


def load(target: Target, requests: list[Request], workdir: Path) -> dict:
    path = workdir / "requests.tsv"
    path.write_text("".join(r.line() + "\n" for r in requests))
    env = dict(
        os.environ,
        BENCH_REQUESTS=str(path),
        BENCH_ONCE="1" if target.once else "0",
        BENCH_THREADS=str(THREADS),
    )
    command = [
        "wrk",
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{DURATION}s",
        "--timeout",
        "30s",
        "-s",
        str(BENCH / "wrk.lua"),
        f"http://127.0.0.1:{PORT}",
    ]
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH_RESULT "))
    return json.loads(line.removeprefix("BENCH_RESULT "))


def drain(figures: dict) -> None:
    """Wait for the requests wrk left behind: when it stops, up to one per
    connection are still queued or served, and would slow the next run down.
    They take about as long as the run's slowest latencies; a request sent
    after them answers once they are done."""
    time.sleep(min(figures["p99_us"] / 1e6, 60))
    fetch("GET", "/healthz")


def measure(bench: Bench, target: Target, requests: list[Request], workdir: Path) -> Result:
    result = Result(target)
    rss_before = bench.meter.rss_mib()
    before = bench.meter.snapshot()
    result.figures = f = load(target, requests, workdir)
    drain(f)
    rss_after = bench.meter.rss_mib()
    # The largest worker before and after, and the largest growth of one.
    f["rss_before"] = max(rss_before.values(), default=0)
    f["rss_after"] = max(rss_after.values(), default=0)
    f["rss_growth"] = max(
        (rss_after[pid] - rss_before.get(pid, rss_after[pid]) for pid in rss_after), default=0
    )
    # The requests in flight when wrk stopped (one per connection) were served
    # too: their CPU is in the count, so they are in the divisor.
    served = f["requests"] + CONNECTIONS
    f["cpu_ms"] = CpuMeter.milliseconds(before, bench.meter.snapshot()) / served
    log(
        f"{target.name}: {result.rps:.1f} req/s, median {f['p50_us'] / 1000:.1f} ms,"
        f" p95 {f['p95_us'] / 1000:.1f} ms, non-2xx/3xx {f['status_errors']},"
        f" CPU {f['cpu_ms']:.1f} ms per request"
    )
    if f["exhausted"]:
        result.failed = f"ran out of open attempts ({f['exhausted']} requests sent dry)"
    return result


def run_targets(bench: Bench, workdir: Path) -> tuple[list[Result], list[Result]]:
    """Reference, page, reference, page, ..., reference."""
    references = [measure(bench, REFERENCE, healthz(bench), workdir)]
    bench.bare = [_bare(bench, workdir)]
    results = []
    for target in TARGETS:
        try:
            requests = target.build(bench)
            validate(target, requests)
            if target.once:
                requests = requests[VALIDATE:]
            result = measure(bench, target, requests, workdir)
        except Skip as reason:
            results.append(Result(target, skipped=str(reason)))
            log(f"{target.name}: skipped: {reason}")
            continue
        except Exception as error:  # noqa: BLE001 - reported, and make bench fails at the end
            results.append(Result(target, failed=f"{type(error).__name__}: {error}"))
            log(f"{target.name}: FAILED: {results[-1].failed}")
            continue
        results.append(result)
        if not target.once:
            bench.fastest_page_rps = max(bench.fastest_page_rps, result.rps)
        references.append(measure(bench, REFERENCE, healthz(bench), workdir))
        result.reference = references[-2:]
    bench.bare.append(_bare(bench, workdir))
    return references, results


def _bare(bench: Bench, workdir: Path) -> Result | None:
    """The bare Django reference (bench/wsgi.py), or None if it is not served."""
    try:
        requests = bare(bench)
        validate(BARE, requests)
        return measure(bench, BARE, requests, workdir)
    except Skip as reason:
        log(f"{BARE.name}: skipped: {reason}")
        return None


# Report


def machine() -> dict[str, str]:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    models = [
        line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if "model name" in line
    ]
    meminfo = Path("/proc/meminfo").read_text()
    total_kb = int(next(line.split()[1] for line in meminfo.splitlines() if "MemTotal" in line))
    return {
        "cpu": models[0] if models else platform.processor() or "unknown",
        "cores": str(sum(1 for line in cpuinfo.splitlines() if line.startswith("processor"))),
        "ram": f"{total_kb / 1024 / 1024:.1f} GiB",
        "load": Path("/proc/loadavg").read_text().split()[0],
    }


def data_summary() -> str:
    from django.db import connection

    from badges.models import Assertion
    from courses.models import Course
    from learning_platform.models import User
    from progress.models import Enrolment, UnitCompletion
    from quizzes.models import Attempt, AttemptAnswer

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0].split()[0]
    counts = [
        (Course.objects.published().count(), "published courses"),
        (User.objects.count(), "users"),
        (Enrolment.objects.count(), "enrolments"),
        (UnitCompletion.objects.count(), "unit completions"),
        (Attempt.objects.filter(submitted_at__isnull=False).count(), "submitted attempts"),
        (AttemptAnswer.objects.count(), "answers"),
        (Assertion.objects.count(), "badges awarded"),
    ]
    return f"PostgreSQL {version}; " + ", ".join(f"{n:,} {what}" for n, what in counts)


def _ms(microseconds: int) -> str:
    return f"{microseconds / 1000:.1f} ms"


def _errors(f: dict) -> str:
    socket_errors = f["connect_errors"] + f["read_errors"] + f["write_errors"] + f["timeouts"]
    return f"{f['status_errors']}" + (f" (+{socket_errors} socket)" if socket_errors else "")


def verdict(result: Result) -> str:
    """PASS when every budget of the target holds, MISS otherwise, – without one."""
    target, f = result.target, result.figures
    checks = []
    if target.budget:
        checks.append(result.ratio >= target.budget)
    if target.max_median_ms:
        checks.append(f["p50_us"] / 1000 < target.max_median_ms)
    if target.max_cpu_ms:
        checks.append(f["cpu_ms"] < target.max_cpu_ms)
    if target.max_rss_growth_mib:
        checks.append(f["rss_growth"] < target.max_rss_growth_mib)
    if not checks:
        return "–"
    return "PASS" if all(checks) else "MISS"


PAGE_WEIGHT_BUDGET = 60_000  # bytes: a fiche page, HTML + CSS + JS, compressed


def page_weight(bench: Bench) -> dict:
    """What a fiche page weighs on the wire, compressed: its HTML (gzip level
    6, as a front server with gzip on sends it: the app does not compress),
    and the CSS and JS it links (as WhiteNoise serves them to a browser
    accepting brotli and gzip: the precompressed files of collectstatic)."""
    import gzip
    import re

    from courses.models import Course, Unit

    course = Course.objects.published().order_by("id").first()
    fiche = Unit.objects.filter(course=course, kind=Unit.Kind.FICHE).order_by("position").first()
    fiche.course = course
    page = fetch("GET", fiche.get_absolute_url())
    html = page.body
    weight = {"path": fiche.get_absolute_url(), "html": len(gzip.compress(html, 6)), "assets": []}
    links = re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)
    for link in dict.fromkeys(links):
        asset = fetch("GET", link.decode(), {"Accept-Encoding": "br, gzip"})
        encoding = dict((k.lower(), v) for k, v in asset.headers).get("content-encoding", "none")
        weight["assets"].append((link.decode(), len(asset.body), encoding))
    weight["total"] = weight["html"] + sum(size for _l, size, _e in weight["assets"])
    return weight


def report(references: list[Result], results: list[Result], info: dict, data: str) -> str:
    rates = [r.rps for r in references]
    bare_runs = [b for b in info.get("bare", []) if b is not None]
    bare_rps = sum(b.rps for b in bare_runs) / len(bare_runs) if bare_runs else 0
    healthz_cpu = sum(r.figures["cpu_ms"] for r in references) / len(references)
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (bench/run.py); how to read it: bench/README.md.",
        "",
        f"- Date: {info['date']:%Y-%m-%d %H:%M} UTC",
        f"- Machine: {info['cpu']}, {info['cores']} cores, {info['ram']} RAM"
        f" (load average {info['load_before']} before the load, {info['load_after']} after)",
        f"- Server: gunicorn {info['gunicorn']}, {WORKERS} sync workers, Python"
        f" {platform.python_version()}, Django {info['django']}, DEBUG off,"
        " local-memory cache, sessions in the database",
        f"- Load: wrk, {THREADS} threads, {CONNECTIONS} connections, {DURATION} s per run;"
        " /healthz is run before the first page and after each page",
        f"- Data: {data}",
        f"- /healthz: {sum(rates) / len(rates):.1f} req/s on average over {len(rates)} runs"
        f" (from {min(rates):.1f} to {max(rates):.1f}), median"
        f" {_ms(sorted(r.figures['p50_us'] for r in references)[len(references) // 2])},"
        f" non-2xx/3xx {sum(r.figures['status_errors'] for r in references)},"
        f" CPU {healthz_cpu:.2f} ms per request",
    ]
    if bare_runs:
        bare_cpu = sum(b.figures["cpu_ms"] for b in bare_runs) / len(bare_runs)
        lines.append(
            f"- Bare Django view (bench/wsgi.py: the same SELECT 1, no middleware):"
            f" {bare_rps:.1f} req/s over {len(bare_runs)} runs (first and last), CPU"
            f" {bare_cpu:.2f} ms per request; /healthz runs at"
            f" {sum(rates) / len(rates) / bare_rps:.0%} of it: the app's middleware stack costs"
            f" {healthz_cpu - bare_cpu:.2f} ms of CPU per request"
        )
    lines += [
        "",
        "| page | req/s | median | p95 | non-2xx/3xx | /healthz around it | ratio | budget"
        " | verdict | CPU per request | CPU ratio | ratio to bare Django | workers' RSS"
        " before → after |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---:|",
    ]
    for result in results:
        target = result.target
        budget = target.budget_text()
        if not result.figures:
            state = f"skipped: {result.skipped}" if result.skipped else f"FAILED: {result.failed}"
            lines.append(f"| {target.name} | | | | | | | {budget} | {state} | | | | |")
            continue
        f = result.figures
        state = f"INVALID: {result.failed}" if result.failed else verdict(result)
        to_bare = f"{result.rps / bare_rps:.1%}" if bare_rps else "–"
        lines.append(
            f"| {target.name} | {result.rps:.1f} | {_ms(f['p50_us'])} | {_ms(f['p95_us'])}"
            f" | {_errors(f)} | {result.reference_rps:.1f} | {result.ratio:.1%} | {budget}"
            f" | {state} | {f['cpu_ms']:.1f} ms | {result.cpu_ratio:.1%} | {to_bare}"
            f" | {f['rss_before']:.1f} → {f['rss_after']:.1f} MiB |"
        )
    lines += [
        "",
        "Verdicts compare the ratio of requests per second with the budget. CPU per request"
        " is what gunicorn's workers and their PostgreSQL backends spent per request; the"
        " CPU ratio (/healthz's CPU per request over the page's) is what the ratio would"
        " be on a machine doing nothing else: compare the two when the load average is high."
        " RSS: the larger of the two workers' resident memory before and after the page's"
        " run.",
    ]
    weight = info.get("weight")
    if weight:
        assets = ", ".join(
            f"{path.rsplit('/', 1)[-1]} {size / 1000:.1f} kB ({encoding})"
            for path, size, encoding in weight["assets"]
        )
        ok = "PASS" if weight["total"] <= PAGE_WEIGHT_BUDGET else "MISS"
        lines += [
            "",
            f"Page weight, a fiche ({weight['path']}), transferred: HTML"
            f" {weight['html'] / 1000:.1f} kB (gzip), {assets}; total"
            f" {weight['total'] / 1000:.1f} kB, budget ≤ {PAGE_WEIGHT_BUDGET / 1000:.0f} kB: {ok}.",
        ]
    return "\n".join(lines) + "\n"


# Running it all


def port_is_free() -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", PORT)) != 0


def wait_for_server(server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.returncode}")
        try:
            if fetch("GET", "/healthz").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /healthz in time")


def stop(server: subprocess.Popen | None) -> None:
    """Stop gunicorn (its master, which stops its workers), then make sure."""
    if server is None or server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)  # its own process group (start_new_session)
        server.wait()
    log("gunicorn stopped")


def main() -> int:
    # SIGTERM (make interrupted, CI timeout) unwinds like Ctrl+C: gunicorn is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk")
    if not port_is_free():
        sys.exit(f"port {PORT} is in use: set BENCH_PORT to a free port")
    started = datetime.now(UTC)
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    env = app_environment(str(workdir / "static"))
    server = None
    try:
        generate_env = dict(env, DJANGO_SETTINGS_MODULE="learning_platform.settings")
        if os.environ.get("BENCH_SKIP_GENERATE") != "1":
            subprocess.run(
                [sys.executable, str(BENCH / "generate.py")], env=generate_env, check=True
            )
        else:  # the data of a previous run, brought to the code's schema
            log("migrate")
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
                env=generate_env,
                cwd=ROOT,
                check=True,
            )
        log("collectstatic")
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            env=dict(env, DJANGO_SETTINGS_MODULE="bench.settings"),
            cwd=ROOT,
            check=True,
        )
        os.environ.update(env)
        import django

        django.setup()
        info = machine()
        info["load_before"] = info.pop("load")
        info["django"] = django.get_version()
        gunicorn = VENV_BIN / "gunicorn"
        info["gunicorn"] = (
            subprocess.run([str(gunicorn), "--version"], capture_output=True, text=True, check=True)
            .stdout.split()[-1]
            .strip(")")
        )
        data = data_summary()
        log(data)
        server = subprocess.Popen(
            [
                str(gunicorn),
                WSGI_APP,
                f"--bind=127.0.0.1:{PORT}",
                f"--workers={WORKERS}",
                "--worker-class=sync",
                "--timeout=60",
                f"--error-logfile={workdir / 'gunicorn.log'}",
            ],
            cwd=ROOT,
            env=dict(env, DJANGO_SETTINGS_MODULE="bench.settings"),
            start_new_session=True,
        )
        wait_for_server(server)
        log(f"gunicorn serving on 127.0.0.1:{PORT} with {WORKERS} workers")
        bench = Bench(random.Random(6), CpuMeter(server.pid))
        bench.log_in_learners()
        references, results = run_targets(bench, workdir)
        info["bare"] = bench.bare
        info["load_after"] = machine()["load"]
        try:
            info["weight"] = page_weight(bench)
        except Exception as error:  # noqa: BLE001 - reported in the log, not fatal
            log(f"page weight: FAILED: {type(error).__name__}: {error}")
    finally:
        stop(server)
        if server is not None and (workdir / "gunicorn.log").exists():
            errors = (workdir / "gunicorn.log").read_text().strip()
            if "Traceback" in errors:
                log("gunicorn logged errors:\n" + errors[-3000:])
        shutil.rmtree(workdir, ignore_errors=True)
    info["date"] = started
    text = report(references, results, info, data)
    # The soak's section (bench/soak.py) stays: it is another run's.
    previous = RESULTS.read_text() if RESULTS.exists() else ""
    soak = previous.partition("## Soak")[2]
    RESULTS.write_text(text + ("\n## Soak" + soak if soak else ""))
    print("\n" + text)
    log(f"written to {RESULTS.relative_to(ROOT)}")
    # Someone else's page still being built does not fail the benchmark.
    failed = [r for r in references + results if r.failed and not r.target.optional]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
