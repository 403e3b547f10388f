"""Reads of the courses app."""

import difflib
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce
from django.utils import timezone

from .committee import committee_rule, deadlocked
from .models import (
    Competence,
    CompetenceArea,
    Course,
    CourseVersion,
    ErrorReport,
    Proposal,
    ReviewComment,
    SearchTerm,
    Unit,
    Vote,
)
from .search import PARTIAL_WORD, prefix_of, query_terms


def level_rank(level: str) -> int:
    """The one order of levels, gentlest first: that of ``Course.Level``."""
    return Course.Level.values.index(level)


# The same order in SQL, to sort a queryset.
LEVEL_RANK = Case(
    *(When(level=level, then=Value(level_rank(level))) for level in Course.Level.values),
    output_field=IntegerField(),
)


def competence_areas() -> list[CompetenceArea]:
    return list(CompetenceArea.objects.order_by("code"))


def competence_framework() -> list[CompetenceArea]:
    """The areas with their competences, in code order (two queries)."""
    return list(
        CompetenceArea.objects.order_by("code").prefetch_related(
            Prefetch("competences", queryset=Competence.objects.order_by("code"))
        )
    )


def _term_match(term: str, word: str) -> Q:
    """The index terms a query word finds: its stem; for a long stem, the
    terms sharing its first letters; for a word of four letters or more,
    the terms it begins (a word typed in part: "tabl" finds "tableur")."""
    match = Q(term=term)
    if prefix := prefix_of(term):
        match |= Q(term__startswith=prefix)
    if len(word) >= PARTIAL_WORD:
        match |= Q(term__startswith=word)
    return match


def _term_score(term: str, word: str):
    """The course's weight for a query word (0 when it lacks it): a subquery."""
    weights = (
        SearchTerm.objects.filter(_term_match(term, word), course=OuterRef("pk"))
        .values("course")
        .annotate(total=Sum("weight"))
        .values("total")
    )
    return Coalesce(Subquery(weights), 0)


def catalogue_courses(*, q: str = "", level: str = "", area: str = ""):
    """Published courses with their totals and competences. Without a search,
    gentlest first; with one, the courses having every word of it (see
    courses.search), best match first."""
    courses = Course.objects.published()
    if level:
        courses = courses.filter(level=level)
    if area:
        courses = courses.filter(competences__area__code=area)
    ids = courses.values("id")
    result = (
        Course.objects.filter(id__in=ids)
        .with_totals()
        .annotate(level_rank=LEVEL_RANK)
        .prefetch_related(Prefetch("competences", queryset=Competence.objects.order_by("code")))
    )
    terms = query_terms(q)
    if not terms:
        return result.order_by("level_rank", "title", "id")
    scores = {f"score_{i}": _term_score(term, word) for i, (term, word) in enumerate(terms)}
    result = result.annotate(**scores).filter(**{f"{name}__gt": 0 for name in scores})
    rank = sum((F(name) for name in scores), Value(0))
    return result.annotate(rank=rank).order_by("-rank", "level_rank", "title", "id")


@dataclass(frozen=True)
class SearchHelp:
    """What a search that found nothing offers instead."""

    query: str
    suggestion: str  # the query with its unknown words replaced by close ones; "" if none
    nearest: list[Course]  # courses with some of the words, best first
    beginner: list[Course]  # courses to start with


def search_help(*, q: str, limit: int = 3, beginner_limit: int = 6) -> SearchHelp:
    """For a search without results: a close spelling of the unknown words,
    the courses with at least one of the words, and beginner courses."""
    terms = query_terms(q)
    published = SearchTerm.objects.filter(course__status=Course.Status.PUBLISHED)
    vocabulary = dict(published.values_list("term", "word").distinct())
    words_known = sorted(set(vocabulary.values()))
    replaced, changed = [], False
    for term, word in terms:
        starts = [p for p in (prefix_of(term), word if len(word) >= PARTIAL_WORD else None) if p]
        if term in vocabulary or any(t.startswith(tuple(starts)) for t in vocabulary if starts):
            replaced.append(word)
            continue
        close = difflib.get_close_matches(word, words_known, n=1, cutoff=0.75)
        replaced.append(close[0] if close else word)
        changed |= bool(close)
    nearest_ids = []
    if terms:
        match = Q()
        for term, word in terms:
            match |= _term_match(term, word)
        nearest_ids = list(
            published.filter(match)
            .values("course")
            .annotate(total=Sum("weight"))
            .order_by("-total", "course")
            .values_list("course", flat=True)[:limit]
        )
    nearest = sorted(
        Course.objects.filter(id__in=nearest_ids), key=lambda c: nearest_ids.index(c.id)
    )
    beginner = list(
        Course.objects.published()
        .filter(level=Course.Level.BEGINNER)
        .exclude(id__in=nearest_ids)
        .order_by("title")[:beginner_limit]
    )
    return SearchHelp(q, " ".join(replaced) if changed else "", nearest, beginner)


def course_for_page(*, slug: str, user) -> Course:
    """The course with its totals, its latest version (``with_latest_version``:
    the version line, and ``version_news``) and competences, if the user may
    see it. Raises Course.DoesNotExist otherwise."""
    return (
        Course.objects.visible_to(user)
        .with_totals()
        .with_latest_version()
        .prefetch_related(
            Prefetch("competences", queryset=Competence.objects.select_related("area"))
        )
        .get(slug=slug)
    )


# How long the course page tells what is new in its latest version.
VERSION_NEWS_DAYS = 30


@dataclass(frozen=True)
class VersionNews:
    number: int
    note: str


def version_news(*, course: Course, now=None) -> VersionNews | None:
    """What the course page says is new: the note of the latest version when
    it is a revision (version 2 or later) validated less than
    VERSION_NEWS_DAYS ago. The same for everyone (no learner's data): the
    page may keep it in its shared cache. ``course`` from course_for_page."""
    number = getattr(course, "version_number", None)
    note = getattr(course, "version_note", "") or ""
    at = getattr(course, "version_at", None)
    now = now or timezone.now()
    if number is None or number < 2 or not note.strip() or at is None:
        return None
    if at < now - timedelta(days=VERSION_NEWS_DAYS):
        return None
    return VersionNews(number=number, note=note)


def course_units(*, course: Course) -> list[Unit]:
    return list(course.units.order_by("position", "id"))


@dataclass(frozen=True)
class UnitInCourse:
    """A grain with its place in the course: for the unit page and the API."""

    unit: Unit
    units: list[Unit]
    previous: Unit | None
    next: Unit | None


def unit_for_page(
    *, course: Course, unit_slug: str, units: list[Unit] | None = None
) -> UnitInCourse:
    """The grain of a course the user may see (see ``course_for_page``), with
    its neighbours; ``units``: the course's grains when already read. Raises
    Unit.DoesNotExist when the course has no such grain."""
    units = course_units(course=course) if units is None else list(units)
    index = next((i for i, u in enumerate(units) if u.slug == unit_slug), None)
    if index is None:
        raise Unit.DoesNotExist
    unit = units[index]
    unit.course = course  # the course already fetched, with its totals
    return UnitInCourse(
        unit=unit,
        units=units,
        previous=units[index - 1] if index > 0 else None,
        next=units[index + 1] if index + 1 < len(units) else None,
    )


def published_unit(*, unit_id: int, kinds) -> Unit:
    """A grain of one of ``kinds`` in a published course, with its course.
    Raises Unit.DoesNotExist otherwise."""
    return Unit.objects.select_related("course").get(
        pk=unit_id, course__status=Course.Status.PUBLISHED, kind__in=kinds
    )


# The committee's review: the queue, who may do what on a proposal, what it
# is compared with, its comments.


@dataclass(frozen=True)
class QueueItem:
    """A pending proposal in the committee's queue, as a member sees it."""

    proposal: Proposal
    title: str  # as proposed (the snapshot's)
    level: str  # as proposed, displayed
    votes_cast: int
    own_vote: Vote | None
    deadlocked: bool  # courses.committee.deadlocked: every member who may vote did, no majority


def _committee_member_ids() -> set[int]:
    return set(
        get_user_model().objects.filter(is_committee_member=True).values_list("pk", flat=True)
    )


def _eligible_voters(*, member_ids: set[int], proposal: Proposal, author_ids) -> int:
    """How many members may vote on ``proposal``: every member but the
    course's authors and whoever proposed it (courses.services.vote_cast)."""
    return len(member_ids - set(author_ids) - {proposal.author_id})


def _level_display(level: str) -> str:
    try:
        return Course.Level(level).label
    except ValueError:
        return level


def _proposals_listed():
    """Proposals with their course and proposer, and the proposed title and
    level read from the snapshot in SQL (the snapshot itself left out)."""
    return (
        Proposal.objects.select_related("course", "author")
        .defer("snapshot", "course__description", "course__description_html")
        .annotate(proposed_title=KT("snapshot__course__title"))
        .annotate(proposed_level=KT("snapshot__course__level"))
    )


def committee_queue(*, member) -> list[QueueItem]:
    """The pending proposals, oldest first, each with the votes cast so far,
    ``member``'s own vote if cast and whether it is deadlocked (four
    queries, whatever their number)."""
    quorum, majority = committee_rule()
    member_ids = _committee_member_ids()
    proposals = (
        _proposals_listed()
        .filter(status=Proposal.Status.PENDING)
        .prefetch_related(
            Prefetch("votes", queryset=Vote.objects.order_by("created_at", "id")),
            Prefetch("course__authors", queryset=get_user_model().objects.only("pk")),
        )
        .order_by("created_at", "id")
    )
    items = []
    for proposal in proposals:
        votes = list(proposal.votes.all())
        choices = [vote.choice for vote in votes]
        eligible = _eligible_voters(
            member_ids=member_ids,
            proposal=proposal,
            author_ids=[a.pk for a in proposal.course.authors.all()],
        )
        items.append(
            QueueItem(
                proposal=proposal,
                title=proposal.proposed_title or proposal.course.title,
                level=_level_display(proposal.proposed_level or proposal.course.level),
                votes_cast=len(votes),
                own_vote=next((v for v in votes if v.member_id == member.pk), None),
                deadlocked=deadlocked(choices, eligible=eligible, quorum=quorum, majority=majority),
            )
        )
    return items


def proposals_recently_decided(*, limit: int = 10) -> list[Proposal]:
    """The proposals the committee decided last, newest first (one query)."""
    return list(
        _proposals_listed()
        .exclude(status=Proposal.Status.PENDING)
        .order_by("-decided_at", "-id")[:limit]
    )


@dataclass(frozen=True)
class ReviewState:
    """Who ``user`` is on a proposal and what they may do there, with the
    votes so far. Nobody publishes from here: a course is published by the
    committee's majority (courses.services.vote_cast)."""

    is_member: bool
    is_course_author: bool
    may_read: bool  # members, and the course's authors (read and answer)
    may_comment: bool
    may_vote: bool  # a member, not an author of the course, not voted, pending
    own_vote: Vote | None
    votes: list[Vote]
    tally: dict[str, int]  # choice -> votes
    quorum: int
    majority: str
    eligible: int  # members who may vote on it
    deadlocked: bool


def review_state(*, proposal: Proposal, user) -> ReviewState:
    """The state of the review of ``proposal`` for ``user`` (three queries)."""
    quorum, majority = committee_rule()
    author_ids = set(proposal.course.authors.values_list("pk", flat=True))
    member_ids = _committee_member_ids()
    votes = list(proposal.votes.select_related("member").order_by("created_at", "id"))
    is_member = bool(user.is_authenticated and user.is_committee_member)
    is_course_author = user.pk in author_ids
    own_vote = next((v for v in votes if v.member_id == user.pk), None)
    choices = [vote.choice for vote in votes]
    eligible = _eligible_voters(member_ids=member_ids, proposal=proposal, author_ids=author_ids)
    commentable = proposal.status in (Proposal.Status.PENDING, Proposal.Status.CHANGES_REQUESTED)
    return ReviewState(
        is_member=is_member,
        is_course_author=is_course_author,
        may_read=is_member or is_course_author,
        may_comment=(is_member or is_course_author) and commentable,
        may_vote=(
            is_member
            and not is_course_author
            and proposal.author_id != user.pk
            and own_vote is None
            and proposal.is_pending
        ),
        own_vote=own_vote,
        votes=votes,
        tally={choice: choices.count(choice) for choice in Vote.Choice.values},
        quorum=quorum,
        majority=majority,
        eligible=eligible,
        deadlocked=proposal.is_pending
        and deadlocked(choices, eligible=eligible, quorum=quorum, majority=majority),
    )


@dataclass(frozen=True)
class Baseline:
    """What a proposal is compared with: the published version before it (a
    revision) or the course's previous proposal; None for a first proposal."""

    snapshot: dict | None
    version: CourseVersion | None = None
    proposal: Proposal | None = None


def proposal_baseline(*, proposal: Proposal) -> Baseline:
    """A revision is compared with the last version published before it was
    proposed (its recorded snapshot, or for an older version its accepted
    proposal's); any other proposal with the course's previous proposal (the
    one sent back for changes, say). One or two queries."""
    if proposal.is_revision:
        version = (
            CourseVersion.objects.filter(
                course_id=proposal.course_id, validated_at__lte=proposal.created_at
            )
            .exclude(proposal_id=proposal.pk)
            .select_related("proposal")
            .order_by("-number")
            .first()
        )
        if version is not None:
            snapshot = version.snapshot or (version.proposal.snapshot if version.proposal else None)
            return Baseline(snapshot=snapshot or None, version=version)
        return Baseline(snapshot=None)
    previous = (
        Proposal.objects.filter(course_id=proposal.course_id)
        .filter(
            Q(created_at__lt=proposal.created_at)
            | Q(created_at=proposal.created_at, pk__lt=proposal.pk)
        )
        .order_by("-created_at", "-id")
        .first()
    )
    return Baseline(snapshot=previous.snapshot if previous else None, proposal=previous)


def proposal_threads(*, proposal: Proposal) -> dict[str, list[ReviewComment]]:
    """The proposal's comments by grain slug ("" for the whole course), each
    a thread: a comment in order of writing, its replies in ``thread`` (one
    query)."""
    comments = list(proposal.comments.select_related("author").order_by("created_at", "id"))
    by_id = {comment.pk: comment for comment in comments}
    threads: dict[str, list[ReviewComment]] = {}
    for comment in comments:
        comment.thread = []
    for comment in comments:
        parent = by_id.get(comment.parent_id)
        if parent is not None:
            parent.thread.append(comment)
        else:
            threads.setdefault(comment.unit_slug, []).append(comment)
    return threads


def newest_courses(*, limit: int = 3) -> list[Course]:
    """The latest published courses, with their totals (one query)."""
    return list(Course.objects.published().with_totals().order_by("-published_at", "-id")[:limit])


def catalogue_version() -> str:
    """What changes whenever a published course or one of its grains does
    (an edit, a publication, an archiving): a cache key part (one query).
    Every write goes through ``save()`` (services, content loading, admin),
    which moves ``updated_at``; a course leaving the catalogue changes the
    count."""
    row = Course.objects.published().aggregate(
        n=Count("id", distinct=True), course=Max("updated_at"), unit=Max("units__updated_at")
    )
    return _version(row["n"], row["course"], row["unit"])


def course_version(*, slug: str) -> tuple[int, str] | None:
    """The published course's id and what changes whenever it, one of its
    grains or its list of author accounts does (one query); None when no
    published course has this slug (a draft is previewed uncached)."""
    # The author accounts: the attribution line names them when the course
    # credits nobody by name (courses.attribution); adding or removing one
    # changes their count or last link.
    authors = (
        Course.authors.through.objects.filter(course=OuterRef("pk"))
        .order_by()
        .values("course")
        .annotate(n=Count("id"), last=Max("id"))
    )
    row = (
        Course.objects.published()
        .filter(slug=slug)
        .values("id", "updated_at")
        .annotate(
            unit=Max("units__updated_at"),
            authors_n=Subquery(authors.values("n")),
            authors_last=Subquery(authors.values("last")),
        )
        .first()
    )
    if row is None:
        return None
    parts = (row["updated_at"], row["unit"], row["authors_n"], row["authors_last"])
    return row["id"], _version(row["id"], *parts)


def _version(*parts) -> str:
    return "-".join(f"{p.timestamp():.6f}" if hasattr(p, "timestamp") else str(p) for p in parts)


# Every published course in brief, for choices made in Python over the whole
# catalogue (the next course suggested on "Mes parcours"): a few fields, kept
# in the configured cache per catalogue version.
BRIEFS_CACHE_SECONDS = 3600


@dataclass(frozen=True, slots=True)
class CourseBrief:
    id: int
    slug: str
    title: str
    level: str
    summary: str
    areas: frozenset[int]  # the competence areas of its competences


def published_briefs(*, version: str | None = None) -> list[CourseBrief]:
    """Every published course in brief, by title, from the cache per
    ``version`` (``catalogue_version()``, read here when not given: one
    query); two more queries when the cache misses."""
    key = f"course-briefs:{version or catalogue_version()}"
    briefs = cache.get(key)
    if briefs is None:
        courses = Course.objects.published().only("id", "slug", "title", "level", "summary")
        areas: dict[int, set[int]] = {}
        for course_id, area_id in Course.competences.through.objects.filter(
            course__status=Course.Status.PUBLISHED
        ).values_list("course_id", "competence__area_id"):
            areas.setdefault(course_id, set()).add(area_id)
        briefs = [
            CourseBrief(c.id, c.slug, c.title, c.level, c.summary, frozenset(areas.get(c.id, ())))
            for c in courses.order_by("title", "id")
        ]
        cache.set(key, briefs, BRIEFS_CACHE_SECONDS)
    return briefs


def course_editable_by(*, user, course: Course) -> bool:
    """Whether ``user`` may change ``course`` in the studio: an author (the
    ``is_author`` role) listed among the course's authors, while the course is
    a draft. A course in review is frozen (its proposal is what the committee
    reads) and a published one changes only through a revision."""
    return bool(
        user.is_authenticated
        and user.is_author
        and course.status == Course.Status.DRAFT
        and course.authors.filter(pk=user.pk).exists()
    )


def studio_courses(*, user):
    """The courses ``user`` authors, newest change first, with their grain
    count and minutes (``with_totals``): the studio's list."""
    if not (user.is_authenticated and user.is_author):
        return Course.objects.none()
    return Course.objects.filter(authors=user).with_totals().order_by("-updated_at", "-id")


# Error reports


def error_report_reviewer(*, user, course: Course) -> bool:
    """Whether ``user`` reads and answers the error reports of ``course``:
    one of its authors (with the author role), a committee member, or staff
    (one query for an author, none otherwise)."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_committee_member:
        return True
    return bool(user.is_author and course.authors.filter(pk=user.pk).exists())


def error_reports_reviewable(*, user):
    """The reports ``user`` reads and answers, newest first, with their
    course, grain and reporter: every course's for a committee member or
    staff, those of the courses they author for an author, none otherwise."""
    reports = ErrorReport.objects.select_related("course", "unit__course", "reporter").order_by(
        "-created_at", "-id"
    )
    if not user.is_authenticated:
        return reports.none()
    if user.is_staff or user.is_committee_member:
        return reports
    if user.is_author:
        authored = Course.authors.through.objects.filter(user=user).values("course_id")
        return reports.filter(course_id__in=authored)
    return reports.none()


def error_reports_of(*, reporter):
    """The reports ``reporter`` filed, newest first, with their course and grain."""
    return (
        ErrorReport.objects.filter(reporter=reporter)
        .select_related("course", "unit__course")
        .order_by("-created_at", "-id")
    )
