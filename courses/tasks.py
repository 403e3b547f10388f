"""Background work of the courses app, run by the task queue: telling the
authors what the committee decided on their proposal, telling the other
side of a review that someone commented, and telling authors of the errors
learners report in their courses.

Queued once the decision is committed (courses.services.vote_cast). The
proposal's ``notified_at`` is the claim: set before sending, so a task run
twice (a retry, a worker that died after sending) mails nobody twice; put
back when the mail server fails, so the next try sends.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import ErrorReport, Proposal, ReviewComment

logger = logging.getLogger(__name__)

MAX_RETRIES = 5
RETRY_BACKOFF = 60


def decision_email(*, proposal: Proposal) -> tuple[str, str]:
    """(subject, body) telling the authors the committee's decision, with the
    comments of the votes (without their authors' names), in the site's
    language (accounts have no language of their own)."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "proposal": proposal,
            "course": proposal.course,
            "comments": [v for v in proposal.votes.all() if v.comment],
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("courses/email/decision_subject.txt", context).strip()
        return subject, render_to_string("courses/email/decision.txt", context)


def _mail_once(task, *, row, recipients: list[str], message, what: str) -> str:
    """Send ``message()`` (subject, body) to ``recipients`` at most once for
    ``row``: its ``notified_at`` is claimed first, and released when the mail
    server fails, for the task's next try (with a growing delay) or the next
    run: ``sent``, ``no address``, ``already sent`` or ``failed``."""
    if not recipients:
        return "no address"
    model = type(row)
    claimed = model.objects.filter(pk=row.pk, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if not claimed:
        return "already sent"
    subject, body = message()
    try:
        send_mail(subject, body, None, recipients)
    except OSError as exc:
        model.objects.filter(pk=row.pk).update(notified_at=None)
        if task.request.is_eager or task.request.retries >= MAX_RETRIES:
            logger.error("%s not mailed: %s", what, exc)
            return "failed"
        raise task.retry(exc=exc, countdown=RETRY_BACKOFF * 2**task.request.retries) from exc
    return "sent"


@shared_task(bind=True, max_retries=MAX_RETRIES)
def send_proposal_decision(self, proposal_id: int) -> str:
    """E-mail the course's authors (those with an address) the decision on
    the proposal, at most once: ``sent``, ``no address``, ``already sent``,
    ``pending`` (nothing decided) or ``failed``."""
    proposal = Proposal.objects.select_related("course").filter(pk=proposal_id).first()
    if proposal is None or proposal.is_pending:
        return "pending"
    recipients = sorted(
        set(proposal.course.authors.exclude(email="").values_list("email", flat=True))
    )
    return _mail_once(
        self,
        row=proposal,
        recipients=recipients,
        message=lambda: decision_email(proposal=proposal),
        what=f"Decision on proposal {proposal_id}",
    )


def review_comment_recipients(*, comment: ReviewComment) -> list[str]:
    """The addresses to tell of ``comment``: the course's authors when a
    committee member wrote it; the members who took part in the review
    (voted or commented) when an author of the course wrote it. Never the
    writer; only accounts with an address."""
    proposal = comment.proposal
    authors = proposal.course.authors.all()
    if authors.filter(pk=comment.author_id).exists():
        voters = proposal.votes.values_list("member", flat=True)
        writers = proposal.comments.values_list("author", flat=True)
        people = (
            get_user_model()
            .objects.filter(is_committee_member=True)
            .filter(Q(pk__in=voters) | Q(pk__in=writers))
            .exclude(pk__in=authors.values("pk"))
        )
    else:
        people = authors
    return sorted(
        set(people.exclude(pk=comment.author_id).exclude(email="").values_list("email", flat=True))
    )


def review_comment_email(*, comment: ReviewComment) -> tuple[str, str]:
    """(subject, body) of the mail telling of a comment, with its text and
    the proposal's address, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "comment": comment,
            "course": comment.proposal.course,
            "site_url": settings.SITE_URL,
            "path": reverse("committee:proposal", args=[comment.proposal_id]),
        }
        subject = render_to_string("courses/email/comment_subject.txt", context).strip()
        return subject, render_to_string("courses/email/comment.txt", context)


@shared_task(bind=True, max_retries=MAX_RETRIES)
def send_review_comment(self, comment_id: int) -> str:
    """E-mail the other side of the review a new comment, at most once:
    ``sent``, ``no address``, ``already sent``, ``gone`` or ``failed``."""
    comment = (
        ReviewComment.objects.select_related("proposal__course", "author")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        return "gone"
    recipients = review_comment_recipients(comment=comment)
    return _mail_once(
        self,
        row=comment,
        recipients=recipients,
        message=lambda: review_comment_email(comment=comment),
        what=f"Review comment {comment_id}",
    )


def error_report_email(*, report: ErrorReport) -> tuple[str, str]:
    """(subject, body) telling the authors of a report, in the site's
    language, without the reporter's name."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "report": report,
            "course": report.course,
            "unit": report.unit,
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("courses/email/error_report_subject.txt", context).strip()
        return subject, render_to_string("courses/email/error_report.txt", context)


@shared_task(bind=True, max_retries=MAX_RETRIES)
def send_error_report(self, report_id: int) -> str:
    """E-mail the course's authors (those with an address) a new error
    report, at most once: ``sent``, ``no address``, ``already sent``,
    ``gone`` (the report was deleted) or ``failed``. The report's
    ``notified_at`` is the claim, as for decisions."""
    report = ErrorReport.objects.select_related("course", "unit").filter(pk=report_id).first()
    if report is None:
        return "gone"
    recipients = sorted(
        set(
            report.course.authors.filter(is_author=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    return _mail_once(
        self,
        row=report,
        recipients=recipients,
        message=lambda: error_report_email(report=report),
        what=f"Error report {report_id}",
    )
