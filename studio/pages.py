"""The studio's pages, each built in a fixed number of queries whatever the
number of courses or grains."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Max, OuterRef, Prefetch, Subquery
from django.urls import reverse

from courses.models import Course, CourseVersion, Proposal, Unit, Vote
from courses.selectors import studio_courses


@dataclass
class StudioCourse:
    """A course on "My studio", with what its state needs said."""

    course: Course
    proposal: Proposal | None  # the latest one
    comments: list[Vote] = field(default_factory=list)  # the committee's, when sent back
    version: int | None = None
    working_copy: Course | None = None  # a published course's revision in progress

    @property
    def sent_back(self) -> bool:
        return self.proposal is not None and self.proposal.status in (
            Proposal.Status.CHANGES_REQUESTED,
            Proposal.Status.REFUSED,
        )

    @property
    def proposed_at(self) -> datetime | None:
        return self.proposal.created_at if self.proposal else None

    @property
    def revision_pending(self) -> bool:
        return (
            self.course.status == Course.Status.PUBLISHED
            and self.proposal is not None
            and self.proposal.is_pending
        )


@dataclass
class StudioHome:
    drafts: list[StudioCourse]
    in_review: list[StudioCourse]
    published: list[StudioCourse]
    archived: list[StudioCourse]

    @property
    def empty(self) -> bool:
        return not (self.drafts or self.in_review or self.published or self.archived)


def studio_home(*, user) -> StudioHome:
    """The author's courses by state (four queries): drafts, with the
    committee's comments when it sent one back; in review, with the date
    proposed; published, with their version number and their revision in
    progress (a working copy is listed under its published course, not as a
    course of its own); archived."""
    last_version = (
        CourseVersion.objects.filter(course=OuterRef("pk"))
        .values("course")
        .annotate(last=Max("number"))
        .values("last")
    )
    courses = studio_courses(user=user).annotate(version_number=Subquery(last_version))
    courses = courses.prefetch_related(
        Prefetch(
            "proposals",
            queryset=Proposal.objects.order_by("-created_at", "-id").prefetch_related(
                Prefetch(
                    "votes",
                    queryset=Vote.objects.exclude(comment="").order_by("created_at", "id"),
                )
            ),
        )
    )
    home = StudioHome(drafts=[], in_review=[], published=[], archived=[])
    groups = {
        Course.Status.DRAFT: home.drafts,
        Course.Status.IN_REVIEW: home.in_review,
        Course.Status.PUBLISHED: home.published,
        Course.Status.ARCHIVED: home.archived,
    }
    copies = {}
    for course in courses:
        if course.revision_of_id is not None:
            copies[course.revision_of_id] = course
            continue
        proposals = list(course.proposals.all())
        latest = proposals[0] if proposals else None
        entry = StudioCourse(course=course, proposal=latest, version=course.version_number)
        if entry.sent_back:
            entry.comments = list(latest.votes.all())
        groups[course.status].append(entry)
    for entry in home.published:
        entry.working_copy = copies.pop(entry.course.pk, None)
    # A copy whose published course the user no longer authors (or that was
    # archived meanwhile) is still theirs to see: listed with the drafts.
    for course in copies.values():
        groups.get(course.status, home.drafts).append(StudioCourse(course=course, proposal=None))
    return home


@dataclass
class StudioUnit:
    unit: Unit
    quiz_url: str | None  # the quiz's question editor, where the quizzes app has one


@dataclass
class StudioCoursePage:
    course: Course
    units: list[StudioUnit]
    editable: bool
    total_minutes: int


def quiz_editor_url(unit: Unit) -> str:
    """The question editor of a quiz grain (``quizzes:studio_quiz``)."""
    return reverse("quizzes:studio_quiz", args=[unit.pk])


def studio_course_page(*, course: Course, editable: bool) -> StudioCoursePage:
    """A course in the studio: its grains in order (one query)."""
    units = list(course.units.order_by("position", "id"))
    return StudioCoursePage(
        course=course,
        units=[
            StudioUnit(unit, quiz_editor_url(unit) if unit.kind == Unit.Kind.QUIZ else None)
            for unit in units
        ],
        editable=editable,
        total_minutes=sum(unit.minutes for unit in units),
    )
