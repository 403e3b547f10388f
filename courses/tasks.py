"""Background work of the courses app, run by the task queue: telling the
authors what the committee decided on their proposal.

Queued once the decision is committed (courses.services.vote_cast). The
proposal's ``notified_at`` is the claim: set before sending, so a task run
twice (a retry, a worker that died after sending) mails nobody twice; put
back when the mail server fails, so the next try sends.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Proposal

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
    if not recipients:
        return "no address"
    claimed = Proposal.objects.filter(pk=proposal.pk, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if not claimed:
        return "already sent"
    subject, body = decision_email(proposal=proposal)
    try:
        send_mail(subject, body, None, recipients)
    except OSError as exc:
        Proposal.objects.filter(pk=proposal.pk).update(notified_at=None)
        if self.request.is_eager or self.request.retries >= MAX_RETRIES:
            logger.error("Decision on proposal %s not mailed: %s", proposal_id, exc)
            return "failed"
        raise self.retry(exc=exc, countdown=RETRY_BACKOFF * 2**self.request.retries) from exc
    return "sent"
