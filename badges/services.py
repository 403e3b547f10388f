"""Writes and rules of badges: a badge class per published course, who is
eligible, awarding (at most once), claiming with an e-mail, revoking.

Eligibility: the learner's enrolment in the course is complete and, for every
required quiz grain of the course, their best submitted score reaches the
quiz's current pass mark. Progress announces completions (``course_completed``);
this app decides.
"""

import hashlib
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from courses.models import Course
from learning_platform.errors import DomainError
from learning_platform.selectors import email_taken
from progress.models import Enrolment

from .models import Assertion, BadgeClass
from .selectors import eligibility, required_quizzes_with_best


class BadgeError(DomainError):
    """A request the badge rules refuse."""


# Badge classes


def badge_class_ensure(course: Course) -> BadgeClass:
    """The course's badge class, created on first call (idempotent)."""
    existing = BadgeClass.objects.filter(course=course).first()
    if existing:
        return existing
    with override(course.language):
        name = _("%(title)s (%(level)s)") % {
            "title": course.title,
            "level": course.get_level_display(),
        }
        description = course.summary
    try:
        with transaction.atomic():
            return BadgeClass.objects.create(
                course=course,
                name=name[:200],
                description=description,
            )
    except IntegrityError:
        return BadgeClass.objects.get(course=course)


# Awards


def hash_email(email: str, salt: str) -> str:
    """Open Badges 2.0 hashed identity: ``sha256$`` + hex(sha256(email + salt)),
    the e-mail trimmed and lower-cased first."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode("utf-8")).hexdigest()
    return f"sha256${digest}"


def _evidence(*, learner, course: Course) -> str:
    """The narrative of how the badge was earned: each required quiz's best score."""
    quizzes = required_quizzes_with_best(learner=learner, course=course)
    with override(course.language):
        lines = [_("Completed the course “%(title)s”.") % {"title": course.title}]
        for quiz in quizzes:
            lines.append(
                _("%(quiz)s: best score %(score)s %% (pass mark %(mark)s %%).")
                % {
                    "quiz": quiz.unit.title,
                    "score": f"{quiz.best.normalize():f}" if quiz.best is not None else "—",
                    "mark": quiz.pass_mark,
                }
            )
    return "\n".join(lines)


def award_if_eligible(*, learner, course: Course) -> tuple[Assertion | None, bool]:
    """Award the course's badge to the learner if eligible. Returns
    (assertion or None, created). At most one award per learner and badge,
    even when two completions arrive at once (unique constraint)."""
    if not course.is_published or not eligibility(learner=learner, course=course).eligible:
        return None, False
    badge_class = badge_class_ensure(course)
    existing = Assertion.objects.filter(badge_class=badge_class, learner=learner).first()
    if existing:
        return existing, False
    salt = secrets.token_hex(16)
    try:
        with transaction.atomic():
            assertion = Assertion.objects.create(
                badge_class=badge_class,
                learner=learner,
                issued_on=timezone.now(),
                salt=salt,
                recipient_identity=hash_email(learner.email, salt) if learner.email else "",
                evidence=_evidence(learner=learner, course=course),
            )
    except IntegrityError:
        return Assertion.objects.get(badge_class=badge_class, learner=learner), False
    return assertion, True


def award_all() -> int:
    """Re-evaluate every completed enrolment of a published course; award what
    is due. Idempotent. Returns the number of badges awarded now."""
    for course in Course.objects.published().filter(badge_class__isnull=True):
        badge_class_ensure(course)
    awarded_pairs = set(
        Assertion.objects.filter(learner__isnull=False).values_list(
            "learner_id", "badge_class__course_id"
        )
    )
    completed = Enrolment.objects.filter(
        completed_at__isnull=False, course__status=Course.Status.PUBLISHED
    ).select_related("learner", "course")
    awarded = 0
    for enrolment in completed.iterator():
        if (enrolment.learner_id, enrolment.course_id) in awarded_pairs:
            continue
        _assertion, created = award_if_eligible(learner=enrolment.learner, course=enrolment.course)
        awarded += created
    return awarded


def assertion_claim(*, assertion: Assertion, email: str) -> Assertion:
    """Give an unclaimed award its recipient: the e-mail, hashed. The e-mail
    also becomes the account's if it had none."""
    if assertion.is_claimed:
        raise BadgeError(_("This badge has already been claimed."))
    if assertion.is_revoked:
        raise BadgeError(_("This badge has been revoked."))
    assertion.recipient_identity = hash_email(email, assertion.salt)
    assertion.save(update_fields=["recipient_identity"])
    learner = assertion.learner
    # The badge takes any address; the account only one that no other
    # account has (learning_platform_user_email_ci_unique).
    if (
        learner is not None
        and not learner.email
        and not email_taken(email=email, by_other_than=learner)
    ):
        learner.email = email.strip()
        try:
            with transaction.atomic():
                learner.save(update_fields=["email"])
        except IntegrityError:  # taken at the same moment by another account
            learner.email = ""
    return assertion


def assertion_show_name_set(*, assertion: Assertion, show: bool) -> Assertion:
    """The holder's choice: show their display name on the badge's
    verification page, or not. The Open Badges document never carries it."""
    if assertion.show_name != show:
        assertion.show_name = show
        assertion.save(update_fields=["show_name"])
    return assertion


def assertion_revoke(*, assertion: Assertion, reason: str) -> bool:
    """Revoke with a reason. Returns False if it was already revoked."""
    reason = reason.strip()
    if not reason:
        raise BadgeError(_("Give a reason for revoking the badge."))
    updated = Assertion.objects.filter(pk=assertion.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revocation_reason=reason[:300]
    )
    assertion.refresh_from_db()
    return bool(updated)
