"""The proposal's page, composed once: the course as proposed (from the
snapshot, never the live course), each grain as a learner would see it,
what changed against the baseline, the comments, who may do what."""

from dataclasses import dataclass, field

from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from courses.diffs import GrainDiff, snapshot_diff
from courses.markup import render_markdown
from courses.models import Course, Proposal, ReviewComment, Unit, Vote
from courses.selectors import (
    Baseline,
    ReviewState,
    proposal_baseline,
    proposal_threads,
    review_state,
)
from courses.video import parse_video_url

CHOICE_LABELS = {
    Vote.Choice.VALIDATE: _("Validate"),
    Vote.Choice.REQUEST_CHANGES: _("Ask for changes"),
    Vote.Choice.REFUSE: _("Refuse"),
}


def _markdown(text: str, *, top_heading: int = 2) -> str:
    """Author Markdown as HTML, safe to put in the page: courses.markup's
    renderer sanitises it (bleach allow-list), the one place that does."""
    return mark_safe(render_markdown(text or "", top_heading=top_heading))  # noqa: S308


def _label(choices, value) -> str:
    try:
        return choices(value).label
    except ValueError:
        return value or ""


@dataclass
class PreviewGrain:
    """A grain of the snapshot rendered as the learner would read it; the
    quiz with its answers marked, for the reviewers."""

    slug: str
    title: str
    kind: str
    kind_label: str
    minutes: int
    required: bool
    body_html: str
    transcript_html: str
    video_url: str
    video_watch_url: str
    video_file: str
    quiz: dict | None


@dataclass
class Section:
    """One part of the page: the course's metadata (``slug`` empty) or a
    grain, with its preview (None for a removed grain), its diff and its
    comment threads."""

    slug: str
    diff: GrainDiff
    preview: PreviewGrain | None
    threads: list[ReviewComment] = field(default_factory=list)


@dataclass
class ProposalPage:
    proposal: Proposal
    course: dict  # the snapshot's metadata, with labels and description_html
    note_html: str
    state: ReviewState
    baseline: Baseline
    sections: list[Section]
    tally: list[tuple[str, int]]  # (label, votes)
    changed_count: int


def _question(question: dict) -> dict:
    return {
        **question,
        "prompt_html": _markdown(question.get("prompt", ""), top_heading=3),
        "explanation_html": _markdown(question.get("explanation", ""), top_heading=3),
        "choices": [
            {**choice, "feedback_html": _markdown(choice.get("feedback", ""), top_heading=3)}
            for choice in question.get("choices") or []
        ],
    }


def _preview(unit: dict) -> PreviewGrain:
    source = parse_video_url(unit["video_url"]) if unit.get("video_url") else None
    quiz = unit.get("quiz")
    return PreviewGrain(
        slug=unit["slug"],
        title=unit.get("title", ""),
        kind=unit.get("kind", ""),
        kind_label=_label(Unit.Kind, unit.get("kind")),
        minutes=unit.get("minutes") or 0,
        required=bool(unit.get("required")),
        # Under the grain's h2 (committee/proposal.html): its headings from h3.
        body_html=_markdown(unit.get("body", ""), top_heading=3),
        transcript_html=_markdown(unit.get("transcript", ""), top_heading=4),
        video_url=unit.get("video_url", ""),
        video_watch_url=source.watch_url if source else "",
        video_file=unit.get("video_file", ""),
        quiz={**quiz, "questions": [_question(q) for q in quiz.get("questions", [])]}
        if quiz
        else None,
    )


def proposal_page(*, proposal: Proposal, user, state: ReviewState | None = None) -> ProposalPage:
    """The page of ``proposal`` for ``user`` (who may read it: see
    ``courses.selectors.review_state``), in a fixed number of queries."""
    state = state or review_state(proposal=proposal, user=user)
    snapshot = proposal.snapshot or {}
    baseline = proposal_baseline(proposal=proposal)
    diffs = snapshot_diff(baseline.snapshot, snapshot)
    threads = proposal_threads(proposal=proposal)
    units = {unit["slug"]: unit for unit in snapshot.get("units", [])}
    sections = [
        Section(
            slug=diff.slug,
            diff=diff,
            preview=_preview(units[diff.slug]) if diff.slug in units else None,
            threads=threads.get(diff.slug, []),
        )
        for diff in diffs
    ]
    meta = snapshot.get("course", {})
    course = {
        **meta,
        "level_label": _label(Course.Level, meta.get("level")),
        "licence_label": _label(Course.Licence, meta.get("licence")),
        "description_html": _markdown(meta.get("description", ""), top_heading=3),
    }
    return ProposalPage(
        proposal=proposal,
        course=course,
        note_html=_markdown(proposal.note, top_heading=3),
        state=state,
        baseline=baseline,
        sections=sections,
        tally=[(CHOICE_LABELS[choice], state.tally.get(choice, 0)) for choice in CHOICE_LABELS],
        changed_count=sum(1 for d in diffs if d.status != "unchanged" or d.moved),
    )
