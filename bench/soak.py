"""Soak run (`make soak`): the bench data, gunicorn with 2 workers, and for
SOAK_SECONDS (600) SOAK_CONNECTIONS (50) connections on the main pages and
the quiz submission at once; then the requests, the errors, and each
worker's memory (RSS) at the start and at the end, in bench/RESULTS.md's
"Soak" section. See bench/README.md.

Two wrk processes run side by side: one cycles over the main pages (the
catalogue, a course page, a fiche, "Mes parcours", anonymous and logged in)
with all but two of the connections; the other submits quiz attempts with
the last two, in rounds of a minute, each round with a fresh pool of open
attempts (an attempt is submitted once). Nothing else of bench/run.py's
measuring applies: no reference, no CPU meter.
"""

import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import run  # noqa: E402

SECONDS = int(os.environ.get("SOAK_SECONDS", "600"))
CONNECTIONS = int(os.environ.get("SOAK_CONNECTIONS", "50"))
QUIZ_CONNECTIONS = 2
ROUND = 60  # seconds of quiz submissions per pool of open attempts
WARM_UP = 60  # seconds of load before the memory baseline


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def worker_pids(master: int) -> list[int]:
    return sorted(
        int(p.name)
        for p in Path("/proc").iterdir()
        if p.name.isdigit() and _parent(int(p.name)) == master
    )


def _parent(pid: int) -> int | None:
    try:
        return int(run._stat(pid)[1])
    except (OSError, IndexError, ValueError):
        return None


def wrk(requests: list, *, connections: int, seconds: int, once: bool, workdir: Path, name: str):
    """Start wrk over ``requests`` in the background; returns the process and
    the path of its requests file."""
    path = workdir / f"{name}.tsv"
    path.write_text("".join(r.line() + "\n" for r in requests))
    threads = min(run.THREADS, connections)
    env = dict(
        os.environ,
        BENCH_REQUESTS=str(path),
        BENCH_ONCE="1" if once else "0",
        BENCH_THREADS=str(threads),
    )
    command = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s",
        "-s", str(run.BENCH / "wrk.lua"), f"http://127.0.0.1:{run.PORT}",
    ]  # fmt: skip
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)


def result(process) -> dict:
    output, _ = process.communicate()
    line = next(line for line in output.splitlines() if line.startswith("BENCH_RESULT "))
    return run.json.loads(line.removeprefix("BENCH_RESULT "))


def errors(f: dict) -> int:
    """Non-2xx/3xx answers and socket errors; requests a quiz round sent after
    its pool ran dry (to a path that answers 404) are counted apart."""
    return (
        f["status_errors"] - f["exhausted"]
        + f["connect_errors"] + f["read_errors"] + f["write_errors"] + f["timeouts"]
    )  # fmt: skip


def soak(bench: "run.Bench", master: int, workdir: Path) -> dict:
    pages = (
        run.catalogue(bench)
        + run.catalogue_logged_in(bench)
        + run.course_page(bench)
        + run.course_page_logged_in(bench)
        + run.unit_page(bench)
        + run.dashboard(bench)
    )
    bench.rng.shuffle(pages)
    for request in pages[:20]:
        response = run.fetch(request.method, request.path, request.headers(), request.body)
        if response.status != 200:
            raise RuntimeError(f"{request.method} {request.path}: HTTP {response.status}")
    workers = worker_pids(master)
    rss_first = {pid: rss_kib(pid) for pid in workers}
    run.log(f"soak: {SECONDS} s, {CONNECTIONS} connections; workers' RSS {rss_first} KiB")
    # The baseline: after a minute of load (a tenth of a short run), once each
    # worker has loaded every template and module the pages use.
    rss_start: dict[int, int] = {}
    warm_up = threading.Timer(
        min(WARM_UP, SECONDS / 10), lambda: rss_start.update({p: rss_kib(p) for p in workers})
    )
    warm_up.start()
    started = time.monotonic()
    page_load = wrk(
        pages,
        connections=CONNECTIONS - QUIZ_CONNECTIONS,
        seconds=SECONDS,
        once=False,
        workdir=workdir,
        name="pages",
    )
    rounds, pool_rate = [], 15.0  # submissions per second the first pool is sized for
    while SECONDS - (time.monotonic() - started) > 15:
        bench.fastest_page_rps = pool_rate / 1.5 * ROUND / run.DURATION
        submissions = run.quiz_submission(bench)
        seconds = int(min(ROUND, SECONDS - (time.monotonic() - started)))
        if seconds < 5:
            break
        rounds.append(
            result(
                wrk(
                    submissions,
                    connections=QUIZ_CONNECTIONS,
                    seconds=seconds,
                    once=True,
                    workdir=workdir,
                    name="quiz",
                )
            )
        )
        served = rounds[-1]["requests"] - rounds[-1]["exhausted"]
        pool_rate = max(pool_rate, served / seconds * 1.3)
        failed = errors(rounds[-1])
        run.log(f"soak: quiz round {len(rounds)}: {served} submissions, {failed} errors")
    pages_result = result(page_load)
    warm_up.join()
    rss_end = {pid: rss_kib(pid) for pid in workers if Path(f"/proc/{pid}").exists()}
    return {
        "seconds": round(time.monotonic() - started),
        "pages": pages_result,
        "quiz": {
            "requests": sum(r["requests"] - r["exhausted"] for r in rounds),
            "errors": sum(errors(r) for r in rounds),
            "dry": sum(r["exhausted"] for r in rounds),
            "rounds": len(rounds),
            "p95_us": max((r["p95_us"] for r in rounds), default=0),
        },
        "rss_first": rss_first,
        "rss_start": rss_start,
        "rss_end": rss_end,
        "workers_replaced": sorted(set(worker_pids(master)) - set(workers)),
    }


def report(figures: dict, info: dict) -> tuple[str, bool]:
    pages, quiz = figures["pages"], figures["quiz"]
    page_errors = errors(pages)
    lines = [
        "## Soak",
        "",
        f"`make soak`, {info['date']:%Y-%m-%d %H:%M} UTC, on {info['cpu']}: the bench data,"
        f" gunicorn with {run.WORKERS} sync workers (never recycled), {figures['seconds']} s"
        f" with {CONNECTIONS} connections ({CONNECTIONS - QUIZ_CONNECTIONS} on the main pages,"
        f" {QUIZ_CONNECTIONS} submitting quiz attempts).",
        "",
        "| load | requests | errors | p95 |",
        "|---|---:|---:|---:|",
        f"| main pages | {pages['requests']:,} | {page_errors} | {pages['p95_us'] / 1000:.0f} ms |",
        f"| quiz submissions ({quiz['rounds']} rounds) | {quiz['requests']:,} | {quiz['errors']}"
        f" | {quiz['p95_us'] / 1000:.0f} ms |",
        "",
        "Each worker's resident memory: at the first requests, after the warm-up"
        f" ({min(WARM_UP, SECONDS / 10):.0f} s of load: every template and module loaded),"
        " and at the end; the growth is from the warm-up to the end.",
        "",
        "| worker | RSS at first requests | after warm-up | at end | growth |",
        "|---|---:|---:|---:|---:|",
    ]
    flat = True
    for pid, first in figures["rss_first"].items():
        start, end = figures["rss_start"].get(pid), figures["rss_end"].get(pid)
        if not start or end is None:
            lines.append(f"| {pid} | {first / 1024:.1f} MiB | | (gone) | |")
            flat = False
            continue
        growth = (end - start) / start * 100
        flat = flat and growth < 10
        lines.append(
            f"| {pid} | {first / 1024:.1f} MiB | {start / 1024:.1f} MiB | {end / 1024:.1f} MiB"
            f" | {growth:+.1f} % |"
        )
    ok = flat and page_errors == 0 and quiz["errors"] == 0 and not figures["workers_replaced"]
    lines += [
        "",
        f"Result: {'passed' if ok else 'FAILED'} (0 errors and every worker's RSS growth under"
        " 10 % are required)."
        + (f" {quiz['dry']} quiz requests were sent after a round's pool ran dry (not errors)."
           if quiz["dry"] else ""),
        "",
    ]  # fmt: skip
    return "\n".join(lines), ok


def write_section(section: str) -> None:
    """Replace the "## Soak" section of bench/RESULTS.md (or add it)."""
    text = run.RESULTS.read_text() if run.RESULTS.exists() else "# Benchmarks\n\n"
    head, _, rest = text.partition("## Soak")
    tail = rest.partition("\n## ")[2] if rest else ""
    text = head.rstrip() + "\n\n" + section + ("\n## " + tail if tail else "")
    run.RESULTS.write_text(text)


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    workdir = Path(tempfile.mkdtemp(prefix="soak-"))
    env = run.app_environment(str(workdir / "static"))
    server = None
    started = datetime.now(UTC)
    try:
        if os.environ.get("BENCH_SKIP_GENERATE") != "1":
            generate_env = dict(env, DJANGO_SETTINGS_MODULE="learning_platform.settings")
            subprocess.run(
                [sys.executable, str(run.BENCH / "generate.py")], env=generate_env, check=True
            )
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            env=dict(env, DJANGO_SETTINGS_MODULE="bench.settings"),
            cwd=run.ROOT,
            check=True,
        )
        os.environ.update(env)
        import django

        django.setup()
        server = subprocess.Popen(
            [
                str(run.VENV_BIN / "gunicorn"), run.WSGI_APP, f"--bind=127.0.0.1:{run.PORT}",
                f"--workers={run.WORKERS}", "--worker-class=sync", "--timeout=60",
                f"--error-logfile={workdir / 'gunicorn.log'}",
            ],
            cwd=run.ROOT,
            env=dict(env, DJANGO_SETTINGS_MODULE="bench.settings"),
            start_new_session=True,
        )  # fmt: skip
        run.wait_for_server(server)
        bench = run.Bench(random.Random(7), run.CpuMeter(server.pid))
        bench.log_in_learners()
        figures = soak(bench, server.pid, workdir)
    finally:
        run.stop(server)
    info = {"date": started, "cpu": run.machine()["cpu"]}
    section, ok = report(figures, info)
    write_section(section)
    print("\n" + section)
    run.log(f"written to {run.RESULTS.relative_to(run.ROOT)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
