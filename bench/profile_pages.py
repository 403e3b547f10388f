"""Profile the main pages on the bench data, in one process, without a server.

For each page: the SQL it runs (count and database time, with the slowest
statements), the Python time outside the database, and the functions that
take it (cProfile, cumulative; pyinstrument's tree with --tree if it is
importable). CPU-independent figures (query counts, call counts) are the
steady ones on a busy machine; the times are indicative.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench \
    .venv/bin/python bench/profile_pages.py [--repeat 20] [--page catalogue] [--tree]

It uses the Django test client (all the middleware, DEBUG off, the
local-memory cache) and writes nothing but one open quiz attempt per quiz
submission profiled, as the bench does.
"""

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
# The static files collected once (the manifest the pages' {% static %} reads).
os.environ.setdefault("BENCH_STATIC_ROOT", "/tmp/bench-profile-static")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "profile-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# The cache and sessions as the bench serves them: Redis when BENCH_REDIS_URL
# is set (as `make bench` does when Redis answers), local memory otherwise.
os.environ.pop("REDIS_URL", None)
if os.environ.get("BENCH_REDIS_URL"):
    os.environ["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]

import django  # noqa: E402

django.setup()

if not Path(os.environ["BENCH_STATIC_ROOT"], "staticfiles.json").exists():
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.generate import TUTOR_USERNAME  # noqa: E402


def _learner():
    from learning_platform.models import User

    return (
        User.objects.filter(username__startswith="bench", enrolments__isnull=False)
        .exclude(username=TUTOR_USERNAME)
        .order_by("id")
        .first()
    )


def pages():
    """name -> (user or None, method, maker of (path, body)[, the client's headers])."""
    from bench.run import _answers
    from courses.models import Course, Unit
    from learning_platform.models import Cohort, User
    from quizzes.models import Question, Quiz
    from quizzes.services import attempt_start

    rng = random.Random(14)
    learner = _learner()
    tutor = User.objects.get(username=TUTOR_USERNAME)
    course = Course.objects.published().order_by("id").last()
    mine = Course.objects.published().filter(enrolments__learner=learner).order_by("id").first()
    fiche = Unit.objects.filter(course=mine, kind=Unit.Kind.FICHE).select_related("course")[1]
    cohort = Cohort.objects.filter(tutors=tutor).order_by("id").first()
    quiz = Quiz.objects.filter(attempts_allowed__isnull=True).order_by("id").first()

    def submission():
        attempt = attempt_start(learner=learner, quiz=quiz, rng=rng)
        questions = Question.objects.filter(id__in=attempt.question_ids).prefetch_related("choices")
        answers = _answers(attempt, {q.id: q for q in questions}, rng)
        return f"/quiz/attempts/{attempt.id}/submit/", answers

    from badges.models import Assertion

    assertion = Assertion.objects.filter(revoked_at__isnull=True).order_by("id").first()
    badge = assertion.get_absolute_url()
    return {
        "home": (None, "get", lambda: ("/", None)),
        "search": (None, "get", lambda: ("/courses/?q=tableur", None)),
        "badge page": (None, "get", lambda: (badge, None), {"HTTP_ACCEPT": "text/html"}),
        "badge json": (None, "get", lambda: (badge, None), {"HTTP_ACCEPT": "application/ld+json"}),
        "catalogue": (None, "get", lambda: ("/courses/", None)),
        "course page": (None, "get", lambda: (course.get_absolute_url(), None)),
        "catalogue, logged in": (learner, "get", lambda: ("/courses/", None)),
        "course page, logged in": (learner, "get", lambda: (course.get_absolute_url(), None)),
        "unit page (fiche)": (learner, "get", lambda: (fiche.get_absolute_url(), None)),
        "quiz submission": (learner, "post", submission),
        "mes parcours": (learner, "get", lambda: ("/me/courses/", None)),
        "tutor cohort": (tutor, "get", lambda: (f"/tutor/cohorts/{cohort.pk}/", None)),
        "tutor csv": (tutor, "get", lambda: (f"/tutor/cohorts/{cohort.pk}/export.csv", None)),
    }


def request(client, method, prepared):
    """One request; ``prepared``: the (path, body) that ``make`` returned,
    made beforehand so that its own queries (opening an attempt) are not
    counted in the page's."""
    path, body = prepared
    headers = {"HTTP_HX_REQUEST": "true"} if method == "post" else {}
    response = getattr(client, method)(path, body, **headers) if body else client.get(path)
    if response.streaming:
        b"".join(response.streaming_content)
    assert response.status_code == 200, (path, response.status_code)
    return response


def profile(name, user, method, make, repeat, tree, headers=None):
    client = Client(**(headers or {}))
    if user is not None:
        client.force_login(user)
    request(client, method, make())  # warm: templates, translations, the cache
    queries = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((time.perf_counter() - started, sql))

    prepared = make()
    with connection.execute_wrapper(timed):
        request(client, method, prepared)
    sql_ms = sum(t for t, _ in queries) * 1000
    slowest = sorted(queries, reverse=True)[:4]
    # Unprofiled first: the profiler itself doubles or triples Python's time.
    cpu_times = []
    for _ in range(repeat):
        prepared = make()
        cpu = time.process_time()
        request(client, method, prepared)
        cpu_times.append((time.process_time() - cpu) * 1000)
    profiler = cProfile.Profile()
    for _ in range(repeat):
        prepared = make()
        profiler.enable()
        request(client, method, prepared)
        profiler.disable()
    calls = pstats.Stats(profiler).total_calls // repeat
    print(
        f"\n=== {name}: {len(queries)} queries, {sql_ms:.1f} ms in SQL (one request); "
        f"{statistics.median(cpu_times):.1f} ms CPU in this process per request "
        f"(median of {repeat}, the client's share included); {calls:,} Python calls"
    )
    for seconds, sql in slowest:
        print(f"  {seconds * 1000:7.1f} ms  {sql[:400]}")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(
        r"(learning_platform|courses|quizzes|progress|badges|template|db/models/sql/compiler|render)",
        25,
    )
    print("\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip()))
    if tree:
        try:
            sys.path.insert(0, "/tmp/pyinst")
            from pyinstrument import Profiler
        except ImportError:
            return
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(repeat):
            request(client, method, make())
        profiler.stop()
        print(profiler.output_text(unicode=False, color=False, show_all=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--page", action="append", help="only these pages (by name)")
    parser.add_argument("--tree", action="store_true", help="also pyinstrument's call tree")
    args = parser.parse_args()
    for name, (user, method, make, *headers) in pages().items():
        if args.page and name not in args.page:
            continue
        profile(name, user, method, make, args.repeat, args.tree, *headers)


if __name__ == "__main__":
    main()
