"""Mutation testing of the core modules with mutmut 3 (`make mutate`).

Each module of TARGETS below runs against its own test subset: the driver
gives every subset a scratch root, .mutation/<subset>/, made of symlinks to
the project plus a pyproject.toml whose [tool.mutmut] section is the
project's with only_mutate and the test selection set for the modules of
that subset (one mutmut run for modules that share a subset). mutmut copies
that root into .mutation/<subset>/mutants/ and runs the subset there
(SQLite, no browser tests), choosing for each mutant only the tests that
call the mutated function.

Results are cached per module: a new run re-tests the mutants of functions
that changed, and every mutant not killed last time if any test file changed
since (so a new test is seen); kills of unchanged functions are kept.
--fresh starts a module over.

    python tools/mutate.py                      # run every module, then report
    python tools/mutate.py quizzes/scoring.py   # one module (report covers all)
    python tools/mutate.py --fresh ...          # forget cached results first
    python tools/mutate.py --report             # only rewrite tests/MUTATION.md

The report, tests/MUTATION.md, lists per module killed/total and every
surviving mutant with its diff and a "Note:" line; notes written there are
kept when the report is regenerated (matched on the function and the
mutation itself, not on mutmut's numbering).
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutation"
REPORT = ROOT / "tests" / "MUTATION.md"
# Each module's verdicts (mutmut's .meta: each mutant's exit code and each
# function's hash), kept in the repository so that a fresh clone re-tests
# only the functions changed since, not the whole scope (hours on 2 cores).
KEPT = ROOT / "tests" / "mutation-cache"


@dataclass
class Target:
    module: str  # path of the file to mutate, from the project root
    tests: list[str]  # pytest paths (the test subset for this module)
    # Only these functions ("name" or "Class.method"); empty means the whole module.
    functions: list[str] = field(default_factory=list)
    why: str = ""


QUIZ_TESTS = ["tests/quizzes", "tests/api/test_quizzes.py"]
PROGRESS_TESTS = ["tests/progress", "tests/quizzes"]
# Two tests of the tutors' folder take 15 to 25 s each (a cohort grown to
# hundreds of learners to count queries; the demo content loaded): run for
# every mutant of the functions they call, they made a subset take hours.
# They are rules of speed and of the demo, not of the tutor's figures: left
# to the whole suite.
SLOW_TUTOR_TESTS = [
    "--deselect",
    "tests/tutors/test_tutor_queries.py::test_cohort_queries_do_not_grow_with_learners_or_courses",
    "--deselect",
    "tests/tutors/test_demo_group.py::test_demo_tutor_follows_the_demo_learner_grain_by_grain",
]
ACCESS_TESTS = ["tests/test_access.py", "tests/tutors", *SLOW_TUTOR_TESTS]
TUTOR_TESTS = ["tests/tutors", "tests/api/test_tutor_api.py", *SLOW_TUTOR_TESTS]

# The modules in scope and the tests each is run against. Edit freely: a
# module that moves only needs its path changed here (and in only_mutate of
# [tool.mutmut] in pyproject.toml, for a bare `mutmut run`).
#
# Scope (issue #16): the functions that embody a rule. Where a module also
# holds code that is no rule (the wording of generated texts, a suggestion,
# an image's layout), `functions` lists the rule functions and `why` says
# what is left out; otherwise the whole module is mutated.
TARGETS = [
    Target("quizzes/scoring.py", ["tests/quizzes"], why="scoring rules"),
    Target("quizzes/services.py", QUIZ_TESTS, why="attempts: start, submit, limits"),
    Target(
        "quizzes/selectors.py",
        QUIZ_TESTS,
        why="answer-key secrecy: reveal_answers, attempt_outcome, attempt_result, "
        "attempt_form_questions; attempt status and locks; the learner's own attempts",
    ),
    Target(
        "quizzes/retry.py",
        QUIZ_TESTS,
        functions=["current_set"],
        why="attempts and locks: sets of attempts, grants, when a used-up set reopens "
        "(retry_moment and retry_message only word the date)",
    ),
    Target(
        "progress/selectors.py",
        PROGRESS_TESTS,
        functions=[
            "CourseProgress.percent",
            "CourseProgress.remaining",
            "course_progress_map",
            "course_progress_for",
            "completed_unit_ids",
            "next_unit",
            "course_action",
            "enrolments_for",
            "LearnerCourses.progress",
            "LearnerCourses.resume",
            "learner_courses",
            "course_state",
            "dashboard_entries",
            "dashboard_for",
            "_assignments",
            "assignments_for",
        ],
        why="progress, course percentage and resume, what the learner's groups assign "
        "and when it is late; not _suggest (which course to suggest next is a "
        "recommendation, no rule)",
    ),
    Target(
        "progress/services.py",
        PROGRESS_TESTS,
        functions=[
            "enrolment_ensure",
            "_enrolment_kept",
            "unit_open",
            "unit_complete",
            "_course_complete_if_done",
            "cohort_course_assign",
            "cohort_course_unassign",
        ],
        why="enrolment, completion and assignments (the weekly digest's claim, "
        "tutor_digest_*, is proven on PostgreSQL and through a real Celery worker: "
        "tests/tutors/test_digest_once.py and test_digest_worker.py, which these SQLite "
        "runs cannot run)",
    ),
    Target(
        "badges/selectors.py",
        ["tests/badges"],
        functions=[
            "required_quizzes",
            "grain_quiz",
            "required_quizzes_with_best",
            "eligibility",
            "public_assertions",
            "assertions_for",
            "assertion_map",
            "steps_from",
            "badge_steps",
            "BadgeMoment.needs_email",
            "badge_moment",
            "earned_award",
        ],
        why="badge eligibility, what is still missing, whose awards are shown; not the "
        "wording of the criteria (criteria_narrative, badge_criteria, moment_for_award) "
        "nor the artwork (artwork_args)",
    ),
    Target(
        "badges/services.py",
        ["tests/badges"],
        functions=[
            "badge_class_ensure",
            "hash_email",
            "award_if_eligible",
            "award_all",
            "assertion_claim",
            "assertion_show_name_set",
            "assertion_revoke",
        ],
        why="awarding, claiming, revoking; not _evidence (the wording of the evidence)",
    ),
    Target("progress/tutor_selectors.py", TUTOR_TESTS, why="tutor flags and figures"),
    Target(
        "progress/tutor_analytics.py",
        TUTOR_TESTS,
        functions=["wrong_answers", "QuestionStat.percent_correct", "question_stats"],
        why="tutor figures: question analytics and a learner's wrong answers, limited to "
        "the cohort's learners and courses (not learner_timeline, a list of events)",
    ),
    Target(
        "badges/tutor_selectors.py",
        TUTOR_TESTS,
        functions=["awarded_pairs", "badge_counts_by_cohort"],
        why="tutor figures: badges of the cohort's consented learners in its courses",
    ),
    Target(
        "progress/tutor_views.py",
        TUTOR_TESTS,
        functions=["_cohort"],
        why="access helper: the tutor's own cohort, which every tutor URL goes through "
        "(the authors-and-staff test of course_quiz_stats sits in a decorated view, "
        "which mutmut 3 does not mutate: tests/tutors/test_tutors.py tries it with a "
        "learner, a tutor, an author and staff)",
    ),
    Target(
        "learning_platform/cohorts.py",
        TUTOR_TESTS,
        functions=["membership_leave", "tutor_remove"],
        why="who leaves or is removed from which cohort",
    ),
    Target(
        "courses/models.py",
        ACCESS_TESTS,
        functions=["CourseQuerySet.visible_to"],
        why="which courses a user may see",
    ),
    Target(
        "learning_platform/models.py",
        ACCESS_TESTS,
        functions=["CohortQuerySet.for_tutor"],
        why="which cohorts a tutor may see",
    ),
]

# Top-level entries never linked into a scratch root.
NOT_LINKED = {".git", ".venv", ".mutation", "mutants", "db.sqlite3", "staticfiles", "media"}

KILLED, TIMEOUT, SURVIVED, NO_TESTS, NOT_CHECKED, OTHER = (
    "killed",
    "timeout",
    "survived",
    "no tests",
    "not checked",
    "other",
)


def status_of(exit_code: int | None) -> str:
    if exit_code is None:
        return NOT_CHECKED
    if exit_code in (1, 3, 37):  # a failing test, pytest's internal error, type check
        return KILLED
    if exit_code in (36, 24, -24, 152, 255):  # ran past its time limit (e.g. an endless loop)
        return TIMEOUT
    if exit_code == 0:
        return SURVIVED
    if exit_code in (5, 33):
        return NO_TESTS
    return OTHER  # suspicious, segfault, interrupted


def test_paths(target: Target) -> list[str]:
    """The subset's test paths, without pytest's options (``--deselect X``)."""
    paths, skip = [], False
    for arg in target.tests:
        if skip or arg.startswith("-"):
            skip = arg == "--deselect"
            continue
        paths.append(arg)
    return paths


def slug(target: Target) -> str:
    """The scratch root's name: modules with the same test subset share one run."""
    return "+".join(sorted(p.removesuffix(".py").replace("/", "_") for p in test_paths(target)))


def tests_cell(target: Target) -> str:
    """The subset as the report's table shows it."""
    deselected = len(target.tests) - len(test_paths(target))
    note = f" (less {deselected // 2} slow tests)" if deselected else ""
    return " ".join(test_paths(target)) + note


def dotted(target: Target) -> str:
    return target.module.removesuffix(".py").replace("/", ".")


def mutant_globs(target: Target) -> list[str]:
    globs = []
    for name in target.functions:
        if "." in name:
            cls, method = name.split(".")
            globs.append(f"{dotted(target)}.xǁ{cls}ǁ{method}__mutmut_*")
        else:
            globs.append(f"{dotted(target)}.x_{name}__mutmut_*")
    return globs


def in_scope(target: Target, mutant_name: str) -> bool:
    import fnmatch

    globs = mutant_globs(target)
    return not globs or any(fnmatch.fnmatch(mutant_name, g) for g in globs)


# --- TOML ---------------------------------------------------------------------------


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML for {value!r}")


def without_section(text: str, header: str) -> str:
    out, skipping = [], False
    for line in text.splitlines(keepends=True):
        if re.match(r"^\s*\[", line):
            skipping = line.strip() == header
        if not skipping:
            out.append(line)
    return "".join(out)


def randomly_installed() -> bool:
    return importlib.util.find_spec("pytest_randomly") is not None


def scratch_root(targets: list[Target]) -> Path:
    """Make .mutation/<subset>/: symlinks to the project, and these modules' config."""
    target = targets[0]
    root = WORK / slug(target)
    root.mkdir(parents=True, exist_ok=True)
    for entry in ROOT.iterdir():
        if entry.name in NOT_LINKED or entry.name == "pyproject.toml":
            continue
        link = root / entry.name
        if not link.is_symlink():
            if link.exists():
                shutil.rmtree(link) if link.is_dir() else link.unlink()
            link.symlink_to(entry)
    for link in root.iterdir():  # entries removed from the project
        if link.is_symlink() and not link.exists():
            link.unlink()

    text = (ROOT / "pyproject.toml").read_text()
    config = dict(tomllib.loads(text)["tool"]["mutmut"])
    config["only_mutate"] = [t.module for t in targets]
    config["pytest_add_cli_args_test_selection"] = list(target.tests)
    args = list(config.get("pytest_add_cli_args", []))
    if randomly_installed() and "no:randomly" not in args:
        args += ["-p", "no:randomly"]
    config["pytest_add_cli_args"] = args
    section = "".join(f"{k} = {toml_value(v)}\n" for k, v in config.items())
    generated = (
        without_section(text, "[tool.mutmut]").rstrip()
        + "\n\n# Written by tools/mutate.py for "
        + ", ".join(t.module for t in targets)
        + ".\n[tool.mutmut]\n"
        + section
    )
    pyproject = root / "pyproject.toml"
    if not pyproject.exists() or pyproject.read_text() != generated:
        pyproject.write_text(generated)
    return root


# --- results ------------------------------------------------------------------------


def load_results(target: Target) -> dict[str, int | None]:
    meta = WORK / slug(target) / "mutants" / (target.module + ".meta")
    if not meta.exists():
        return {}
    codes = json.loads(meta.read_text())["exit_code_by_key"]
    return {name: code for name, code in codes.items() if in_scope(target, name)}


def forget_unkilled(target: Target) -> int:
    """Set every cached verdict but a kill back to 'not checked', so it is re-tested."""
    meta = WORK / slug(target) / "mutants" / (target.module + ".meta")
    if not meta.exists():
        return 0
    data = json.loads(meta.read_text())
    count = 0
    for name, code in data["exit_code_by_key"].items():
        if code is not None and status_of(code) not in (KILLED, TIMEOUT):
            data["exit_code_by_key"][name] = None
            count += 1
    meta.write_text(json.dumps(data, indent=4))
    return count


def tests_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted((ROOT / "tests").rglob("*.py")):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def mutmut_command() -> list[str]:
    exe = Path(sys.executable).parent / "mutmut"
    return [str(exe)] if exe.exists() else ["mutmut"]


def run_group(targets: list[Target], *, fresh: bool, max_children: int | None) -> float:
    """One mutmut run for modules that share a test subset."""
    root = scratch_root(targets)
    if fresh and (root / "mutants").exists():
        shutil.rmtree(root / "mutants")
    for t in targets:
        # mutmut takes a copy newer than its source for already mutated: a module first
        # copied as it is (not in scope then) must be copied again to be mutated.
        copy = root / "mutants" / t.module
        if copy.exists() and not Path(str(copy) + ".meta").exists():
            copy.unlink()
    for t in targets:
        restore_kept(t, root)
    # Test databases kept between mutants (tools/mutmut_sqlite.py): rebuilt once per run.
    shutil.rmtree(root / "mutants" / ".mutate-db", ignore_errors=True)
    # Which tests call which function: collected afresh every run (mutmut would keep
    # it, and then see no test for a new function or a newly added module).
    (root / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
    # Survivors are re-tested when the tests changed since their verdict.
    stamp = root / "tests.sha"
    tests_now = tests_fingerprint()
    if not stamp.exists() or stamp.read_text() != tests_now:
        again = sum(forget_unkilled(t) for t in targets)
        if again:
            print(f"   the tests changed: re-testing {again} mutants not killed last time")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MUTANT_UNDER_TEST")}
    env.pop("REDIS_URL", None)
    cmd = mutmut_command() + ["run"]
    if max_children:
        cmd += ["--max-children", str(max_children)]
    if any(t.functions for t in targets):
        # Naming mutants re-tests them all, so only when some functions are chosen.
        for t in targets:
            cmd += mutant_globs(t) or [f"{dotted(t)}.x*__mutmut_*"]
    log = root / "mutmut.log"
    modules = ", ".join(t.module for t in targets)
    print(f"== {modules}: {' '.join(targets[0].tests)}", flush=True)
    print(f"   log: {log.relative_to(ROOT)}", flush=True)
    start = time.monotonic()
    try:
        with open(log, "w") as out:
            proc = subprocess.run(cmd, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)
    finally:  # a run stopped half-way keeps what it checked
        for t in targets:
            keep(t, root)
    elapsed = time.monotonic() - start
    for target in targets:
        codes = load_results(target)
        counts = count(codes)
        print(
            f"   {target.module}: {counts[KILLED] + counts[TIMEOUT]}/{len(codes)} killed, "
            f"{counts[SURVIVED]} survived, {counts[NO_TESTS]} without tests, "
            f"{counts[NOT_CHECKED] + counts[OTHER]} not checked or suspicious",
            flush=True,
        )
    print(f"   in {elapsed:.0f}s", flush=True)
    if proc.returncode != 0:
        tail = log.read_text().replace("\r", "\n").splitlines()[-25:]
        print("\n".join("   | " + line for line in tail))
        raise SystemExit(f"mutmut failed on {modules} (exit {proc.returncode}); see {log}")
    stamp.write_text(tests_now)
    timings = WORK / "timings.json"
    data = json.loads(timings.read_text()) if timings.exists() else {}
    for target in targets:
        unchecked = count(load_results(target))[NOT_CHECKED]
        data[target.module] = [round(elapsed), len(targets), unchecked > 0]
    timings.write_text(json.dumps(data, indent=2))
    return elapsed


def kept_meta(target: Target) -> Path:
    return KEPT / slug(target) / (target.module + ".meta")


def restore_kept(target: Target, root: Path) -> None:
    """A fresh scratch root starts from the verdicts kept in the repository:
    mutmut keeps those of the functions whose hash did not change."""
    meta = root / "mutants" / (target.module + ".meta")
    if not meta.exists() and kept_meta(target).exists():
        meta.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(kept_meta(target), meta)


def keep(target: Target, root: Path) -> None:
    """Copy the module's verdicts into the repository (KEPT)."""
    meta = root / "mutants" / (target.module + ".meta")
    if meta.exists():
        kept_meta(target).parent.mkdir(parents=True, exist_ok=True)
        data = json.loads(meta.read_text())
        for key in ("durations_by_key", "estimated_durations_by_key"):  # seconds: 0.01 is enough
            data[key] = {
                name: round(value, 2) if isinstance(value, float) else value
                for name, value in data.get(key, {}).items()
            }
        kept_meta(target).write_text(json.dumps(data, indent=0, sort_keys=True) + "\n")


def count(codes: dict[str, int | None]) -> dict[str, int]:
    counts = dict.fromkeys((KILLED, TIMEOUT, SURVIVED, NO_TESTS, NOT_CHECKED, OTHER), 0)
    for code in codes.values():
        counts[status_of(code)] += 1
    return counts


# --- report -------------------------------------------------------------------------


class Diffs:
    """The diff of each mutant of a module, as `mutmut show NAME` prints it; the
    mutated file is read once (mutmut's own helper re-reads it for every mutant)."""

    def __init__(self, target: Target):
        self.target = target
        mutants = WORK / slug(target) / "mutants"
        self.spans = json.loads((mutants / (target.module + ".spans")).read_text())["spans"]
        self.lines = (mutants / target.module).read_text().splitlines(keepends=True)

    def _function(self, generated: str, name: str, is_method: bool):
        import libcst as cst
        from mutmut.mutation.diff_apply import parse_generated_function

        start, end = self.spans[generated]
        function = parse_generated_function(
            "".join(self.lines[start - 1 : end]), name=generated, is_method=is_method
        )
        return cst.Module([function.with_changes(name=cst.Name(name))]).code.strip()

    def __call__(self, name: str) -> str:
        from difflib import unified_diff

        from mutmut.mutation.diff_apply import generated_function_names
        from mutmut.utils.format_utils import orig_function_and_class_names_from_key

        orig_generated, mutant_generated = generated_function_names(name)
        function, cls = orig_function_and_class_names_from_key(name)
        function = function.rpartition(".")[2]
        orig, mutant = (
            self._function(g, function, cls is not None) for g in (orig_generated, mutant_generated)
        )
        path = self.target.module
        return "\n".join(
            unified_diff(
                orig.split("\n"), mutant.split("\n"), fromfile=path, tofile=path, lineterm=""
            )
        )


def function_span(source: str, qualname: str) -> tuple[int, int] | None:
    tree = ast.parse(source)
    parts = qualname.split(".")
    body = tree.body
    for i, part in enumerate(parts):
        for node in body:
            if getattr(node, "name", None) == part:
                if i == len(parts) - 1:
                    start = min(
                        [node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]
                    )
                    return start, node.end_lineno
                body = node.body
                break
        else:
            return None
    return None


def qualname_of(name: str) -> str:
    """'quizzes.scoring.x_parse_number__mutmut_3' -> 'parse_number';
    'courses.models.xǁCourseQuerySetǁvisible_to__mutmut_1' -> 'CourseQuerySet.visible_to'."""
    key = name.rpartition(".")[2].rpartition("__mutmut_")[0]
    if key.startswith("xǁ"):
        _, cls, method = key.split("ǁ")
        return f"{cls}.{method}"
    return key.removeprefix("x_")


def changed_lines(diff: str) -> list[str]:
    return [
        line
        for line in diff.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def line_of(source: str, qualname: str, diff: str) -> int | None:
    """Line in the original file of the first line the mutant changes."""
    span = function_span(source, qualname)
    if not span:
        return None
    lines = source.splitlines()
    offset, seen = None, 0
    for line in diff.splitlines():
        m = re.match(r"^@@ -(\d+)", line)
        if m:
            seen = int(m.group(1)) - 1
            continue
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("-"):
            offset = seen
            removed = line[1:].strip()
            break
        if line.startswith("+"):
            offset, removed = seen, None
            break
        seen += 1
    if offset is None:
        return None
    first = span[0]
    # The diffed function starts with the comments just above it; find its def line.
    guess = (
        first
        + offset
        - next(
            (
                i
                for i, line in enumerate(diff_original(diff))
                if line.lstrip().startswith(("def ", "@", "async def"))
            ),
            0,
        )
    )
    if removed is None:
        return guess
    candidates = [n for n in range(span[0], span[1] + 1) if lines[n - 1].strip() == removed]
    if not candidates:
        return guess
    return min(candidates, key=lambda n: abs(n - guess))


def diff_original(diff: str) -> list[str]:
    return [
        line[1:] for line in diff.splitlines() if line[:1] in " -" and not line.startswith("---")
    ]


def note_key(name: str, diff: str) -> str:
    digest = hashlib.sha1("\n".join(changed_lines(diff)).encode()).hexdigest()[:10]
    return f"{qualname_of(name)}:{digest}"


NOTE_PLACEHOLDER = "TODO: equivalent (why) or the test that now kills it"


def old_blocks(text: str) -> dict[str, tuple[str, str]]:
    """key -> (note, block text) from a previous report."""
    blocks = {}
    for chunk in re.split(r"(?m)^(?=#### )", text):
        key = re.search(r"<!-- key: (\S+) -->", chunk)
        note = re.search(r"(?m)^Note: (.*)$", chunk)
        if key and note:
            body = re.split(r"(?m)^(?=## )", chunk)[0].rstrip() + "\n"
            blocks[key.group(1)] = (note.group(1).strip(), body)
    return blocks


def write_report() -> None:
    previous = old_blocks(REPORT.read_text()) if REPORT.exists() else {}
    timings_path = WORK / "timings.json"
    timings = json.loads(timings_path.read_text()) if timings_path.exists() else {}
    rows, sections, used = [], [], set()
    totals = dict.fromkeys((KILLED, SURVIVED, NO_TESTS, NOT_CHECKED, OTHER), 0)
    total_all = 0
    for target in TARGETS:
        codes = load_results(target)
        counts = count(codes)
        killed = counts[KILLED] + counts[TIMEOUT]
        total = len(codes)
        scope = target.module + (f" ({', '.join(target.functions)})" if target.functions else "")
        if not total:
            rows.append(f"| {scope} | not run | | | | | {tests_cell(target)} | |")
            continue
        checked = total - counts[NOT_CHECKED]
        pct = f"{100 * killed / checked:.0f}%" if checked else "-"
        timing = timings.get(target.module)
        if isinstance(timing, list):
            secs, shared, stopped = (timing + [False])[:3]
            timing = (
                f"{secs}s"
                + (f" (run of {shared} modules)" if shared > 1 else "")
                + (", stopped" if stopped else "")
            )
        rows.append(
            f"| {scope} | {killed} / {total} | {pct} | {counts[SURVIVED]} | {counts[NO_TESTS]} "
            f"| {counts[NOT_CHECKED]} | {tests_cell(target)} "
            f"| {timing or ''} |"
        )
        totals[KILLED] += killed
        totals[SURVIVED] += counts[SURVIVED]
        totals[NO_TESTS] += counts[NO_TESTS]
        totals[NOT_CHECKED] += counts[NOT_CHECKED]
        total_all += total

        source = (ROOT / target.module).read_text()
        listed = sorted(
            (n for n, c in codes.items() if status_of(c) in (SURVIVED, NO_TESTS, OTHER)),
            key=lambda n: (qualname_of(n), int(n.rpartition("__mutmut_")[2])),
        )
        lines = [f"### {target.module}", ""]
        if target.why:
            lines += [f"Scope: {target.why}.", ""]
        if not listed:
            lines += ["Every mutant is killed.", ""]
        if counts[NOT_CHECKED]:
            lines += [
                f"{counts[NOT_CHECKED]} mutants not checked yet (the run was stopped): "
                f"`make mutate MODULES={target.module}` goes on with them.",
                "",
            ]
        here = set()
        diffs = Diffs(target) if listed else None
        for name in listed:
            try:
                diff = diffs(name)
            except Exception as exc:  # the module changed since the run
                diff = f"(no diff: {exc}; re-run `make mutate MODULES={target.module}`)"
            key = note_key(name, diff)
            here.add(key)
            line = line_of(source, qualname_of(name), diff)
            where = f"{target.module}:{line}" if line else target.module
            status = status_of(codes[name])
            note = previous.get(key, (NOTE_PLACEHOLDER, ""))[0]
            lines += [
                f"#### `{name}` — {where}" + ("" if status == SURVIVED else f" ({status})"),
                f"<!-- key: {key} -->",
                "",
                "```diff",
                *[d for d in diff.splitlines() if not d.startswith(("---", "+++"))],
                "```",
                "",
                f"Note: {note}",
                "",
            ]
        used |= here
        gone = [
            (k, v)
            for k, v in previous.items()
            if k.split(":")[0] in {qualname_of(n) for n in codes}
            and k not in here
            and v[0] != NOTE_PLACEHOLDER
        ]
        if gone:
            lines += [
                "#### No longer surviving (killed now, or the code changed)",
                "",
            ]
            for k, (_, block) in gone:
                used.add(k)
                lines += [block.replace("#### ", "##### ", 1)]
        sections.append("\n".join(lines))

    orphans = [
        block for k, (note, block) in previous.items() if k not in used and note != NOTE_PLACEHOLDER
    ]
    checked_all = total_all - totals[NOT_CHECKED]
    pct_all = f"{100 * totals[KILLED] / checked_all:.0f}%" if checked_all else "-"
    out = [
        "# Mutation testing",
        "",
        "Generated by `make mutate` (tools/mutate.py, mutmut 3) on "
        f"{date.today().isoformat()}; do not edit by hand except the `Note:` lines,",
        "which are kept when the file is regenerated. Each module runs against its own",
        "test subset (SQLite, no browser tests); mutmut runs, for each mutant, only the",
        "tests of that subset that call the mutated function, stopping at the first failure.",
        "",
        "Scope (issue #16): the functions that embody the core rules: scoring and",
        "submission, answer-key secrecy, attempts and their sets (locks, grants), progress",
        "and resume, badge eligibility, awarding, claiming and revoking, the tutor's flags",
        "and figures, and the access helpers (whose courses, cohorts, attempts, awards).",
        "Where a module also holds code that is no rule (wording of generated texts, the",
        "next-course suggestion, badge artwork), only its rule functions are listed; each",
        "module's Scope line below says what is in and what is left out.",
        "",
        'Re-run: `make mutate` (all), `make mutate MODULES="quizzes/scoring.py"` (one),',
        "`make mutate FRESH=1` (forget cached results). Killed mutants of unchanged",
        "functions are kept from the last run; the others are re-tested once a test file changes.",
        "The verdicts are kept in the repository (tests/mutation-cache/, mutmut's .meta of each",
        "module): a fresh clone re-tests only the functions changed since; commit them with the",
        "report. A run stopped half-way (Ctrl+C) keeps what it checked; the next run goes on.",
        "One mutant by hand, in the scratch root of its test subset:",
        "`cd .mutation/<subset> && ../../.venv/bin/mutmut show NAME` (`apply NAME` there",
        "writes it into that copy; `MUTANT_UNDER_TEST=NAME python -m pytest ...` in",
        "`.mutation/<subset>/mutants/` runs the tests against it).",
        "",
        "| module | killed / total | score (of checked) | survived | no tests | not checked "
        "| tests | run time |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        *rows,
        f"| **all** | **{totals[KILLED]} / {total_all}** | **{pct_all}** | {totals[SURVIVED]} "
        f"| {totals[NO_TESTS]} | {totals[NOT_CHECKED]} | | |",
        "",
        "Killed counts include timeouts (a mutant that loops forever is caught). "
        "*No tests*: no test of the subset reaches the mutated function.",
        "",
        "## Surviving mutants",
        "",
        "Each: the mutant's name, where it is, its diff, and a note to fill: why it is",
        "equivalent (no test can tell it from the original), or which test now kills it.",
        "",
        *sections,
    ]
    if orphans:
        out += ["## Notes on functions no longer in scope", "", *orphans]
    REPORT.write_text("\n".join(out).rstrip() + "\n")
    print(f"wrote {REPORT.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="module paths from TARGETS (default: all)")
    parser.add_argument("--fresh", action="store_true", help="forget cached results first")
    parser.add_argument("--report", action="store_true", help="only rewrite the report")
    parser.add_argument("--max-children", type=int, help="parallel mutants (default: CPUs)")
    parser.add_argument("--list", action="store_true", help="list the targets and exit")
    args = parser.parse_args()

    if args.list:
        for t in TARGETS:
            extra = f" [{', '.join(t.functions)}]" if t.functions else ""
            print(f"{t.module}{extra}: {' '.join(t.tests)}")
        return
    by_module = {t.module: t for t in TARGETS}
    unknown = [m for m in args.modules if m not in by_module]
    if unknown:
        raise SystemExit(f"not in TARGETS of tools/mutate.py: {', '.join(unknown)}")
    if not args.report:
        chosen = [by_module[m] for m in args.modules] or TARGETS
        groups: dict[str, list[Target]] = {}
        for target in chosen:
            groups.setdefault(slug(target), []).append(target)
        start = time.monotonic()
        for group in groups.values():
            run_group(group, fresh=args.fresh, max_children=args.max_children)
        print(f"all done in {time.monotonic() - start:.0f}s")
    write_report()


if __name__ == "__main__":
    main()
