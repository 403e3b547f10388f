"""Writes of the courses app: the search index of a course, and the
commons' governance: an author proposes a course, the pedagogical committee
votes, and an accepted proposal is published, through ``course_publish``
only. The committee's rule is ``courses.committee.decision``."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from learning_platform.errors import DomainError
from learning_platform.validators import validate_multiline

from .committee import committee_rule, decision
from .models import (
    Course,
    CourseVersion,
    ErrorReport,
    Proposal,
    ReviewComment,
    SearchTerm,
    Unit,
    Vote,
)
from .search import document_terms
from .selectors import error_report_reviewer
from .signals import course_published
from .snapshots import course_snapshot, snapshot_apply
from .tasks import send_error_report, send_proposal_decision, send_review_comment


def course_search_index(*, course: Course) -> int:
    """Rebuild the course's search terms from its title, keywords, summary,
    competences, description and grains (titles, texts, transcripts).
    Returns the number of terms. Call it after saving a course or a grain."""
    units = list(course.units.values_list("title", "body", "transcript"))
    competences = list(course.competences.values_list("name_fr", "name_en"))
    fields = {
        "title": [course.title],
        "keywords": [course.keywords],
        "summary": [course.summary],
        "competences": [name for pair in competences for name in pair],
        "grain_titles": [title for title, _body, _transcript in units],
        "text": [course.description]
        + [body for _title, body, _t in units]
        + [transcript for _title, _body, transcript in units],
    }
    terms = document_terms(fields)
    with transaction.atomic():
        SearchTerm.objects.filter(course=course).delete()
        SearchTerm.objects.bulk_create(
            SearchTerm(course=course, term=term, weight=weight, word=word)
            for term, (weight, word) in terms.items()
        )
    return len(terms)


def search_index_all() -> int:
    """Rebuild every course's index (after a migration or an import)."""
    return sum(course_search_index(course=course) for course in Course.objects.all())


# Governance: proposals, votes, publication

NOTE_MAX = 5_000  # characters of a revision's note or a vote's comment


class GovernanceError(DomainError):
    """A proposal, a vote or a publication the commons' rules refuse."""


class NotAnAuthor(GovernanceError):
    pass


class AlreadyPending(GovernanceError):
    pass


class NotACommitteeMember(GovernanceError):
    pass


class OwnProposal(GovernanceError):
    pass


class AlreadyVoted(GovernanceError):
    pass


class ProposalClosed(GovernanceError):
    pass


class ProposalOutdated(GovernanceError):
    pass


def _clean_text(text: str, *, required: bool, missing: str) -> str:
    """A note or a comment: trimmed, bounded, no control characters; refused
    with ``missing`` when required and empty."""
    text = (text or "").strip()
    if required and not text:
        raise GovernanceError(missing)
    if len(text) > NOTE_MAX:
        raise GovernanceError(
            _("This text is too long: at most %(max)s characters.") % {"max": NOTE_MAX}
        )
    try:
        validate_multiline(text)
    except ValidationError as exc:
        raise GovernanceError(exc.messages[0]) from exc
    return text


def proposal_submit(*, author, course: Course, note: str = "") -> Proposal:
    """Put ``course`` to the pedagogical committee, frozen as it stands now
    (``Proposal.snapshot``). Only an author of the course may; a course
    waiting for the committee cannot be proposed again. A published course's
    proposal is a revision and needs ``note`` (what changed); the course
    stays published meanwhile. A draft goes to "in review" until decided.

    A working copy (``Course.revision_of``) is proposed as a revision of its
    published course: the proposal is the published course's (one pending
    at a time), its snapshot is the copy's under the published course's
    slug (so the committee compares content only), and the copy goes to "in
    review", frozen, until the committee decides."""
    if course.revision_of_id is not None:
        return _revision_submit(author=author, working_copy=course, note=note)
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        if not course.authors.filter(pk=author.pk).exists():
            raise NotAnAuthor(_("Only an author of this course may propose it."))
        if course.status == Course.Status.ARCHIVED:
            raise GovernanceError(_("An archived course cannot be proposed."))
        if course.proposals.filter(status=Proposal.Status.PENDING).exists():
            raise AlreadyPending(_("This course is already waiting for the committee."))
        is_revision = course.status == Course.Status.PUBLISHED
        note = _clean_text(
            note, required=is_revision, missing=_("Say what changed in this revision.")
        )
        proposal = Proposal.objects.create(
            course=course,
            author=author,
            is_revision=is_revision,
            note=note,
            snapshot=course_snapshot(course=course),
        )
        if not is_revision:
            course.status = Course.Status.IN_REVIEW
            course.save(update_fields=["status", "description_html", "updated_at"])
    return proposal


def _revision_submit(*, author, working_copy: Course, note: str) -> Proposal:
    note = _clean_text(note, required=True, missing=_("Say what changed in this revision."))
    with transaction.atomic():
        # The published course first, then its copy: the order revision_start
        # and course_publish lock them in too.
        original = Course.objects.select_for_update().get(pk=working_copy.revision_of_id)
        copy = Course.objects.select_for_update().get(pk=working_copy.pk)
        for course in (copy, original):
            if not course.authors.filter(pk=author.pk).exists():
                raise NotAnAuthor(_("Only an author of this course may propose it."))
        if original.status != Course.Status.PUBLISHED:
            raise GovernanceError(_("Only a published course is revised."))
        if copy.status != Course.Status.DRAFT:
            raise AlreadyPending(_("This revision is already waiting for the committee."))
        if original.proposals.filter(status=Proposal.Status.PENDING).exists():
            raise AlreadyPending(_("This course is already waiting for the committee."))
        snapshot = course_snapshot(course=copy)
        snapshot["course"]["slug"] = original.slug
        proposal = Proposal.objects.create(
            course=original,
            working_copy=copy,
            author=author,
            is_revision=True,
            note=note,
            snapshot=snapshot,
        )
        copy.status = Course.Status.IN_REVIEW
        copy.save(update_fields=["status", "description_html", "updated_at"])
    return proposal


def vote_cast(*, member, proposal: Proposal, choice: str, comment: str = "") -> Vote:
    """A committee member's vote on a pending proposal, then the committee's
    rule (``courses.committee``, settings ``COMMITTEE``): once at least
    ``quorum`` votes are cast, a choice held by the majority of the votes
    cast (simple: strictly more than half) decides. Validate publishes the
    course (``course_publish``); refuse refuses the proposal; request
    changes sends it back to its authors with the comments kept. A tie, or
    no majority yet, waits for the next vote. A draft whose proposal is
    refused or sent back returns to draft; a published course's revision
    leaves the published version as it is.

    A member votes once per proposal and never on a course they author;
    requesting changes or refusing needs a comment. Votes arriving together
    are counted one after the other (the proposal's row is locked), so a
    proposal is decided once; a vote after the decision is refused. The
    authors are e-mailed the decision once it is committed."""
    if choice not in Vote.Choice.values:
        raise GovernanceError(_("Choose validate, request changes or refuse."))
    comment = _clean_text(
        comment,
        required=choice != Vote.Choice.VALIDATE,
        missing=_("Say which changes you ask for, or why you refuse the course."),
    )
    quorum, majority = committee_rule()
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().select_related("course").get(pk=proposal.pk)
        if not member.is_committee_member:
            raise NotACommitteeMember(_("Only members of the pedagogical committee vote."))
        if proposal.author_id == member.pk or proposal.course.authors.filter(pk=member.pk).exists():
            raise OwnProposal(_("You cannot vote on a course you author."))
        if not proposal.is_pending:
            raise ProposalClosed(_("The committee has already decided on this proposal."))
        if proposal.votes.filter(member=member).exists():
            raise AlreadyVoted(_("You have already voted on this proposal."))
        vote = Vote.objects.create(proposal=proposal, member=member, choice=choice, comment=comment)
        decided = decision(
            list(proposal.votes.values_list("choice", flat=True)),
            quorum=quorum,
            majority=majority,
        )
        if decided is not None:
            _proposal_decide(proposal=proposal, choice=decided)
    return vote


_OUTCOMES = {
    Vote.Choice.VALIDATE: Proposal.Status.ACCEPTED,
    Vote.Choice.REQUEST_CHANGES: Proposal.Status.CHANGES_REQUESTED,
    Vote.Choice.REFUSE: Proposal.Status.REFUSED,
}


def _proposal_decide(*, proposal: Proposal, choice: str) -> None:
    """Close the proposal as the committee decided; inside vote_cast's transaction."""
    proposal.status = _OUTCOMES[choice]
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_at", "updated_at"])
    course = proposal.course
    if proposal.status == Proposal.Status.ACCEPTED:
        course_publish(course=course, proposal=proposal)
    elif not proposal.is_revision and course.status == Course.Status.IN_REVIEW:
        course.status = Course.Status.DRAFT
        course.save(update_fields=["status", "description_html", "updated_at"])
    elif proposal.working_copy_id is not None:
        # The authors edit their copy again; the published course stays as it is.
        Course.objects.filter(pk=proposal.working_copy_id, status=Course.Status.IN_REVIEW).update(
            status=Course.Status.DRAFT, updated_at=timezone.now()
        )
    transaction.on_commit(lambda: send_proposal_decision.delay(proposal.pk))


def course_publish(*, course: Course, proposal: Proposal | None = None) -> CourseVersion:
    """The one way a course becomes published. ``proposal``: the accepted
    proposal whose snapshot the committee validated (the course must still
    be that snapshot); None only for the platform's trusted seed, the content
    files (``manage.py load_content``). Sets the status, ``published_at`` at
    the first publication, records the next version (number, when, the
    members who validated), and announces ``course_published`` once the
    transaction commits (badges create the badge class on it).

    An accepted revision (``proposal.is_revision``) is applied to the
    published course first (``snapshots.snapshot_apply``: grains updated in
    place, matched by slug, so learners keep their progress), then its
    working copy, if any, is deleted."""
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        validators = []
        if proposal is not None:
            if proposal.course_id != course.pk or proposal.status != Proposal.Status.ACCEPTED:
                raise GovernanceError(_("Only a proposal the committee accepted is published."))
            if proposal.is_revision and proposal.snapshot:
                snapshot_apply(course=course, snapshot=proposal.snapshot)
                course_search_index(course=course)
            if course_snapshot(course=course) != proposal.snapshot:
                raise ProposalOutdated(
                    _(
                        "The course changed after it was proposed: it cannot be published "
                        "as the committee saw it. Request changes instead."
                    )
                )
            validators = list(
                proposal.votes.filter(
                    choice=Vote.Choice.VALIDATE, member__isnull=False
                ).values_list("member", flat=True)
            )
        now = timezone.now()
        course.status = Course.Status.PUBLISHED
        if course.published_at is None:
            course.published_at = now
        course.save(update_fields=["status", "published_at", "description_html", "updated_at"])
        last = course.versions.aggregate(last=Max("number"))["last"] or 0
        version = CourseVersion.objects.create(
            course=course,
            number=last + 1,
            proposal=proposal,
            note=proposal.note if proposal is not None else "",
            # What learners get from now on, for the next revision's diff.
            snapshot=proposal.snapshot if proposal is not None else course_snapshot(course=course),
            validated_at=now,
        )
        version.validated_by.set(validators)
        if proposal is not None and proposal.working_copy_id is not None:
            Course.objects.filter(pk=proposal.working_copy_id).delete()
        transaction.on_commit(
            lambda: course_published.send(sender=Course, course=course, version=version)
        )
    return version


# Review comments: the committee and the course's authors talk on a proposal

# A proposal the committee is reviewing, or has sent back: its authors answer there.
COMMENTABLE = (Proposal.Status.PENDING, Proposal.Status.CHANGES_REQUESTED)


def review_comment_add(
    *,
    author,
    proposal: Proposal,
    body: str,
    unit_slug: str = "",
    parent: ReviewComment | None = None,
) -> ReviewComment:
    """A comment on ``proposal`` by a committee member or an author of the
    course: on the whole course (``unit_slug`` empty), on one grain of the
    proposed snapshot, or a reply to ``parent`` (a comment of the same
    proposal; a reply to a reply joins its thread, and a reply is about the
    grain of its thread). Only while the proposal is pending or sent back
    for changes. The other side is e-mailed once the comment is committed:
    the course's authors when a member writes, the members who took part
    (voted or commented) when an author writes."""
    body = _clean_text(body, required=True, missing=_("Write your comment."))
    with transaction.atomic():
        proposal = Proposal.objects.select_related("course").get(pk=proposal.pk)
        is_course_author = proposal.course.authors.filter(pk=author.pk).exists()
        if not (is_course_author or author.is_committee_member):
            raise GovernanceError(
                _("Only committee members and the course's authors comment on a proposal.")
            )
        if proposal.status not in COMMENTABLE:
            raise ProposalClosed(
                _("The committee has decided on this proposal: comments are closed.")
            )
        if parent is not None:
            if parent.proposal_id != proposal.pk:
                raise GovernanceError(_("The comment you answer is not on this proposal."))
            if parent.parent_id is not None:
                parent = ReviewComment.objects.get(pk=parent.parent_id)
            unit_slug = parent.unit_slug
        else:
            unit_slug = unit_slug or ""
            slugs = {unit.get("slug") for unit in proposal.snapshot.get("units", [])}
            if unit_slug and unit_slug not in slugs:
                raise GovernanceError(_("This grain is not in the proposed course."))
        comment = ReviewComment.objects.create(
            proposal=proposal, unit_slug=unit_slug, parent=parent, author=author, body=body
        )
        transaction.on_commit(lambda: send_review_comment.delay(comment.pk))
    return comment


# Error reports: a learner tells the course's authors of an error in a grain


class ErrorReportError(DomainError):
    """A report, or an answer to one, that cannot be recorded as given."""


def _report_text(text: str, *, required: bool, missing: str) -> str:
    """A report or an answer: trimmed, at most ErrorReport.TEXT_MAX
    characters, no control characters but line breaks and tabs."""
    text = (text or "").strip()
    if required and not text:
        raise ErrorReportError(missing)
    if len(text) > ErrorReport.TEXT_MAX:
        raise ErrorReportError(
            _("This text is too long: at most %(max)s characters.") % {"max": ErrorReport.TEXT_MAX}
        )
    try:
        validate_multiline(text)
    except ValidationError as exc:
        raise ErrorReportError(exc.messages[0]) from exc
    return text


def _digest(text: str) -> str:
    # Case and spacing apart, the same words are the same report.
    return hashlib.sha256(" ".join(text.casefold().split()).encode()).hexdigest()


def error_report_create(*, reporter, unit: Unit, text: str, question=None) -> ErrorReport:
    """Record ``reporter``'s report of an error in ``unit`` (a grain of a
    published course), or in ``question`` (a quizzes.Question of the grain's
    quiz), and e-mail the course's authors once it is committed. The same
    reporter cannot file the same text twice on the same place."""
    if not reporter.is_authenticated:
        raise ErrorReportError(_("Log in to report an error."))
    text = _report_text(text, required=True, missing=_("Say what is wrong."))
    course = unit.course
    if course.status != Course.Status.PUBLISHED:
        raise ErrorReportError(_("Errors are reported on published courses only."))
    question_id = None
    if question is not None:
        if question.quiz.unit_id != unit.pk:
            raise ErrorReportError(_("This question is not part of this grain."))
        question_id = question.pk
    digest = _digest(text)
    duplicate = ErrorReport.objects.filter(
        reporter=reporter, unit=unit, question_id=question_id, text_digest=digest
    )
    already = _("You have already reported this error here: see “My reports”.")
    if duplicate.exists():
        raise ErrorReportError(already)
    try:
        with transaction.atomic():
            report = ErrorReport.objects.create(
                course=course,
                unit=unit,
                question_id=question_id,
                reporter=reporter,
                text=text,
                text_digest=digest,
            )
    except IntegrityError as exc:  # the same report sent twice at once
        raise ErrorReportError(already) from exc
    transaction.on_commit(lambda: send_error_report.delay(report.pk))
    return report


def error_report_answer(
    *, reviewer, report: ErrorReport, status: str, answer: str = ""
) -> ErrorReport:
    """A reviewer of the course (``selectors.error_report_reviewer``: an
    author of it, a committee member or staff) sets the report's status,
    with an answer the reporter reads on "My reports" (required to dismiss
    a report: say why)."""
    if status not in ErrorReport.Status.values:
        raise ErrorReportError(_("Choose one of the statuses offered."))
    answer = _report_text(
        answer,
        required=status == ErrorReport.Status.DISMISSED,
        missing=_("Say why this is not an error."),
    )
    with transaction.atomic():
        report = ErrorReport.objects.select_for_update().select_related("course").get(pk=report.pk)
        if not error_report_reviewer(user=reviewer, course=report.course):
            raise ErrorReportError(_("Only the course's authors and the committee answer reports."))
        report.status = status
        report.answer = answer
        report.answered_at = timezone.now()
        report.save(update_fields=["status", "answer", "answered_at", "updated_at"])
    return report
