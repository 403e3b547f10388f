"""What changed between two snapshots of a course (courses.snapshots), for
the committee: a pure function, no query.

``snapshot_diff(old, new)`` gives one ``GrainDiff`` for the course's
metadata (``slug`` empty, first) then one per grain, matched by slug: a
grain is ``added``, ``removed``, ``changed`` or ``unchanged``, and
``moved`` when its place among the grains both snapshots hold changed.
Each changed field carries a line-based diff (difflib) of its text: the
Markdown body, the transcript, the video, each question (prompt, choices
with the right ones marked, accepted answers, explanation). ``old`` None
(a first proposal): everything is added.
"""

import difflib
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ADDED, REMOVED, CHANGED, UNCHANGED = "added", "removed", "changed", "unchanged"
# Line operations of a FieldDiff
SAME, INSERT, DELETE, GAP = "same", "insert", "delete", "gap"
CONTEXT_LINES = 3  # unchanged lines kept around a change in a long text

COURSE_FIELDS = {
    "title": gettext_lazy("Title"),
    "summary": gettext_lazy("Summary"),
    "description": gettext_lazy("Description"),
    "level": gettext_lazy("Level"),
    "language": gettext_lazy("Language"),
    "licence": gettext_lazy("Licence"),
    "credits": gettext_lazy("Credits"),
    "organisation": gettext_lazy("Organisation"),
    "source_title": gettext_lazy("Adapted from (title)"),
    "source_url": gettext_lazy("Adapted from (address)"),
    "keywords": gettext_lazy("Keywords"),
    "competences": gettext_lazy("Competences"),
}
UNIT_FIELDS = {
    "title": gettext_lazy("Title"),
    "kind": gettext_lazy("Kind"),
    "minutes": gettext_lazy("Minutes"),
    "required": gettext_lazy("Required"),
    "body": gettext_lazy("Text (Markdown)"),
    "video_url": gettext_lazy("Video address"),
    "video_file": gettext_lazy("Video file"),
    "captions": gettext_lazy("Captions"),
    "transcript": gettext_lazy("Transcript"),
    "duration_seconds": gettext_lazy("Duration (seconds)"),
}
QUIZ_FIELDS = (
    "pass_mark",
    "attempts_allowed",
    "questions_per_attempt",
    "shuffle_questions",
    "shuffle_choices",
    "feedback",
)


@dataclass(frozen=True)
class DiffLine:
    op: str  # SAME, INSERT, DELETE, or GAP (unchanged lines left out)
    text: str


@dataclass(frozen=True)
class FieldDiff:
    key: str  # "body", "video_url", "question:q3", "quiz"...
    label: str
    lines: list[DiffLine]


@dataclass(frozen=True)
class GrainDiff:
    slug: str  # empty: the course's metadata
    title: str
    status: str  # ADDED, REMOVED, CHANGED, UNCHANGED
    moved: bool = False
    old_position: int | None = None  # 1-based place among the grains
    new_position: int | None = None
    fields: list[FieldDiff] = field(default_factory=list)

    @property
    def is_course(self) -> bool:
        return not self.slug


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    return str(value)


def _line_diff(old: str, new: str) -> list[DiffLine]:
    """The lines of ``new`` against ``old``: removed, added and, around each
    change, up to CONTEXT_LINES unchanged ones (GAP for those left out)."""
    a, b = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    lines: list[DiffLine] = []
    groups = list(matcher.get_grouped_opcodes(CONTEXT_LINES))
    for index, group in enumerate(groups):
        if index or group[0][1] > 0 or group[0][3] > 0:
            lines.append(DiffLine(GAP, ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [DiffLine(SAME, text) for text in a[i1:i2]]
                continue
            lines += [DiffLine(DELETE, text) for text in a[i1:i2]]
            lines += [DiffLine(INSERT, text) for text in b[j1:j2]]
    if groups and (groups[-1][-1][2] < len(a) or groups[-1][-1][4] < len(b)):
        lines.append(DiffLine(GAP, ""))
    return lines


def _field(key: str, label, old: str, new: str) -> FieldDiff | None:
    if old == new:
        return None
    lines = _line_diff(old, new)
    if not lines:  # differs only in trailing line breaks
        lines = [DiffLine(DELETE, old), DiffLine(INSERT, new)]
    return FieldDiff(key=key, label=str(label), lines=lines)


def question_text(question: dict) -> str:
    """A question of a snapshot as lines of text, for a line diff: prompt,
    choices (right ones marked), accepted answers, number, explanation."""
    prompt, kind, points = _("Prompt"), _("Kind"), _("Points")
    right, wrong, feedback = _("[right]"), _("[wrong]"), _("feedback")
    lines = [f"{prompt}: {question.get('prompt', '')}"]
    lines.append(f"{kind}: {question.get('kind', '')} · {points}: {question.get('points')}")
    for choice in question.get("choices") or []:
        line = f"{right if choice.get('is_correct') else wrong} {choice.get('text', '')}"
        if choice.get("feedback"):
            line += f" — {feedback}: {choice['feedback']}"
        lines.append(line)
    if question.get("accepted_answers"):
        answers = " | ".join(str(a) for a in question["accepted_answers"])
        accepted = _("Accepted answers")
        lines.append(f"{accepted}: {answers}")
    if question.get("numeric_answer") is not None:
        expected = _("Expected answer")
        lines.append(f"{expected}: {question['numeric_answer']} ± {question.get('tolerance', '0')}")
    if question.get("explanation"):
        explanation = _("Explanation")
        lines.append(f"{explanation}: {question['explanation']}")
    return "\n".join(lines)


def _quiz_settings(quiz: dict | None) -> str:
    if not quiz:
        return ""
    return "\n".join(f"{key}: {_text(quiz.get(key))}" for key in QUIZ_FIELDS)


def _unit_fields(old: dict | None, new: dict | None) -> list[FieldDiff]:
    old, new = old or {}, new or {}
    diffs = [
        _field(key, label, _text(old.get(key)), _text(new.get(key)))
        for key, label in UNIT_FIELDS.items()
    ]
    old_quiz, new_quiz = old.get("quiz"), new.get("quiz")
    diffs.append(
        _field(
            "quiz",
            gettext_lazy("Quiz settings"),
            _quiz_settings(old_quiz),
            _quiz_settings(new_quiz),
        )
    )
    old_questions = {q.get("key"): q for q in (old_quiz or {}).get("questions", [])}
    new_questions = [q for q in (new_quiz or {}).get("questions", [])]
    new_keys = {q.get("key") for q in new_questions}
    for number, question in enumerate(new_questions, start=1):
        previous = old_questions.get(question.get("key"))
        label = _("Question %(number)s") % {"number": number}
        diffs.append(
            _field(
                f"question:{question.get('key')}",
                label,
                question_text(previous) if previous else "",
                question_text(question),
            )
        )
    for key, question in old_questions.items():
        if key not in new_keys:
            diffs.append(
                _field(
                    f"question:{key}",
                    _("Question removed"),
                    question_text(question),
                    "",
                )
            )
    return [diff for diff in diffs if diff is not None]


def _course_diff(old: dict | None, new: dict) -> GrainDiff:
    old_course, new_course = (old or {}).get("course", {}), new.get("course", {})
    fields = [
        _field(key, label, _text(old_course.get(key)), _text(new_course.get(key)))
        for key, label in COURSE_FIELDS.items()
    ]
    fields = [diff for diff in fields if diff is not None]
    if old is None:
        status = ADDED
    else:
        status = CHANGED if fields else UNCHANGED
    return GrainDiff(slug="", title=new_course.get("title", ""), status=status, fields=fields)


def _moved(old_order: list[str], new_order: list[str]) -> set[str]:
    """The slugs, among those both orders hold, out of their longest common
    order: the grains that moved (the others only shifted)."""
    common = set(old_order) & set(new_order)
    a = [slug for slug in old_order if slug in common]
    b = [slug for slug in new_order if slug in common]
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    kept = {
        slug
        for block in matcher.get_matching_blocks()
        for slug in b[block.b : block.b + block.size]
    }
    return common - kept


def snapshot_diff(old: dict | None, new: dict) -> list[GrainDiff]:
    """The course's metadata, then the grains in the new order with each
    removed grain after the grain it followed; see the module's docstring."""
    old_units = (old or {}).get("units", [])
    new_units = new.get("units", [])
    old_by_slug = {unit["slug"]: unit for unit in old_units}
    new_by_slug = {unit["slug"]: unit for unit in new_units}
    old_order = [unit["slug"] for unit in old_units]
    new_order = [unit["slug"] for unit in new_units]
    old_place = {slug: place for place, slug in enumerate(old_order, start=1)}
    moved = _moved(old_order, new_order)

    def removed_diff(slug: str) -> GrainDiff:
        unit = old_by_slug[slug]
        return GrainDiff(
            slug=slug,
            title=unit.get("title", ""),
            status=REMOVED,
            old_position=old_place[slug],
            fields=_unit_fields(unit, None),
        )

    # Each removed grain goes after the nearest grain before it that is still there.
    removed_after: dict[str | None, list[str]] = {}
    previous_kept = None
    for slug in old_order:
        if slug in new_by_slug:
            previous_kept = slug
        else:
            removed_after.setdefault(previous_kept, []).append(slug)

    diffs = [_course_diff(old, new)]
    diffs += [removed_diff(slug) for slug in removed_after.get(None, [])]
    for position, unit in enumerate(new_units, start=1):
        slug = unit["slug"]
        previous = old_by_slug.get(slug)
        if old is None or previous is None:
            diffs.append(
                GrainDiff(
                    slug=slug,
                    title=unit.get("title", ""),
                    status=ADDED,
                    new_position=position,
                    fields=_unit_fields(None, unit),
                )
            )
        else:
            fields = _unit_fields(previous, unit)
            diffs.append(
                GrainDiff(
                    slug=slug,
                    title=unit.get("title", ""),
                    status=CHANGED if fields else UNCHANGED,
                    moved=slug in moved,
                    old_position=old_place[slug],
                    new_position=position,
                    fields=fields,
                )
            )
        diffs += [removed_diff(removed) for removed in removed_after.get(slug, [])]
    return diffs
