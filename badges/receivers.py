"""Subscriptions: a published course gets its badge class; a completed
course may earn its badge. Progress and courses never import badges."""

from django.conf import settings
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from courses.attribution import attribution
from courses.signals import course_published
from learning_platform.signals import account_deleting, personal_data_export
from progress.signals import course_completed

from . import services
from .models import Assertion
from .openbadges import assertion_url


@receiver(course_published, dispatch_uid="badges.course_published")
def course_was_published(sender, course, **kwargs):
    """A course published (courses.services.course_publish, the one path:
    the committee's decision or the content files) gets its badge class;
    saving a course does not."""
    services.badge_class_ensure(course)


@receiver(course_completed, dispatch_uid="badges.course_completed")
def course_was_completed(sender, learner, course, **kwargs):
    services.award_if_eligible(learner=learner, course=course)


@receiver(personal_data_export, dispatch_uid="badges.export")
def export_badges(sender, *, user, **kwargs) -> dict:
    return {
        "badges": [
            {
                "badge": a.badge_class.name,
                "issued_on": a.issued_on.isoformat(),
                "assertion_url": assertion_url(a),
                "recipient_hashed_email": a.recipient_identity,
                "salt": a.salt,
                "evidence": a.evidence,
                "revoked_at": a.revoked_at.isoformat() if a.revoked_at else None,
                "revocation_reason": a.revocation_reason,
                "course_attribution": attribution(a.badge_class.course).text,
            }
            for a in Assertion.objects.filter(learner=user)
            .select_related("badge_class__course")
            .prefetch_related("badge_class__course__authors")
        ]
    }


@receiver(account_deleting, dispatch_uid="badges.account_deleting")
def revoke_on_deletion(sender, *, user, **kwargs):
    """The awards stay addressable, answering 410 with a reason; nothing in
    them points to the person any more."""
    with override(settings.LANGUAGE_CODE):
        reason = _("The holder deleted their account.")
    Assertion.objects.filter(learner=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revocation_reason=reason
    )
    Assertion.objects.filter(learner=user).update(learner=None, recipient_identity="", evidence="")
