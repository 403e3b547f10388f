"""Badge classes (one per course) and their awards, served as Open Badges 2.0.

Public URLs use a random ``uuid``, never the row id, so awards cannot be
enumerated. Every document is built by ``badges.openbadges``.
"""

import uuid

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from courses.models import Course
from learning_platform.validators import BADGE_IMAGE_MAX, MaxFileSizeValidator, validate_multiline


class BadgeClass(models.Model):
    """What a learner earns by completing a course: created when the course is
    published, editable in the admin. Criteria: the course complete and every
    required quiz passed at its pass mark; the narrative is generated from
    the course unless an editor writes one (``selectors.badge_criteria``)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    course = models.OneToOneField(
        Course, on_delete=models.PROTECT, related_name="badge_class", verbose_name=_("course")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"))
    criteria = models.TextField(
        _("criteria"),
        blank=True,
        help_text=_(
            "Leave empty to use the text generated from the course (its grains and the "
            "pass mark of each quiz), kept up to date as the course changes."
        ),
    )
    image = models.FileField(
        _("image"),
        upload_to="badges/",
        blank=True,
        validators=[FileExtensionValidator(["png", "svg"]), MaxFileSizeValidator(BADGE_IMAGE_MAX)],
        help_text=_("A square PNG or SVG. Leave empty for a generated image."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("badges:class", args=[self.uuid])


class Assertion(models.Model):
    """A badge awarded to a learner: at most one per learner and badge class.

    The recipient is the learner's e-mail, hashed with a salt of its own. A
    learner without an e-mail still earns the award; it becomes a verifiable
    assertion once they give an e-mail to claim it (``recipient_identity``
    stays empty until then, and the public URL answers 404). The holder's
    name shows on the verification page only if they chose so (``show_name``)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    badge_class = models.ForeignKey(
        BadgeClass, on_delete=models.PROTECT, related_name="assertions", verbose_name=_("badge")
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="badge_assertions",
        verbose_name=_("learner"),
    )
    issued_on = models.DateTimeField(_("issued on"))
    recipient_identity = models.CharField(_("recipient (hashed)"), max_length=80, blank=True)
    salt = models.CharField(_("salt"), max_length=64)
    evidence = models.TextField(_("evidence"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revocation_reason = models.CharField(
        _("reason for revoking"), max_length=300, blank=True, validators=[validate_multiline]
    )
    show_name = models.BooleanField(
        _("show the holder's name"),
        default=False,
        help_text=_(
            "The holder's choice: their display name on the verification page. "
            "Never in the Open Badges document."
        ),
    )

    class Meta:
        verbose_name = _("awarded badge")
        verbose_name_plural = _("awarded badges")
        ordering = ["-issued_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["badge_class", "learner"], name="badges_assertion_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.badge_class} – {self.learner}"

    def get_absolute_url(self) -> str:
        return reverse("badges:assertion", args=[self.uuid])

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_claimed(self) -> bool:
        return bool(self.recipient_identity)
