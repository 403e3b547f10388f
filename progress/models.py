"""Enrolments and unit completions: where each learner stands in each course."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.models import Course, Unit


class Enrolment(models.Model):
    """A learner in a course, from the first grain they open. Holds the last
    grain seen (resume) and when the course was completed. One per pair."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("learner"),
    )
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("course")
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    last_activity_at = models.DateTimeField(_("last activity"), auto_now=True)
    last_unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last grain seen"),
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        ordering = ["-last_activity_at"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["learner", "course"], name="progress_enrolment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.learner} – {self.course}"


class UnitCompletion(models.Model):
    """A grain a learner has completed. At most one row per learner and unit."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="completions",
        verbose_name=_("learner"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="completions", verbose_name=_("unit")
    )
    completed_at = models.DateTimeField(_("completed"), auto_now_add=True)

    class Meta:
        ordering = ["completed_at"]
        verbose_name = _("unit completion")
        verbose_name_plural = _("unit completions")
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "unit"], name="progress_unitcompletion_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner} – {self.unit}"


class CohortCourse(models.Model):
    """A course assigned to a cohort, with an optional due date. Lives here
    because progress knows both cohorts and courses."""

    cohort = models.ForeignKey(
        "learning_platform.Cohort",
        on_delete=models.CASCADE,
        related_name="assigned_courses",
        verbose_name=_("cohort"),
    )
    course = models.ForeignKey(
        Course,
        on_delete=models.CASCADE,
        related_name="cohort_assignments",
        verbose_name=_("course"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("assigned course")
        verbose_name_plural = _("assigned courses")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "course"], name="progress_cohortcourse_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cohort} – {self.course}"


class TutorDigest(models.Model):
    """A tutor's weekly digest e-mail: one row per tutor and ISO week, and the
    claim on sending it. The task that creates the row (or takes back a
    failed one) is the only one that sends, so two schedulers, two workers or
    a re-run of the command never mail a tutor twice in a week
    (progress.tasks)."""

    class Status(models.TextChoices):
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("tutor"),
    )
    week = models.CharField(_("ISO week"), max_length=8)  # e.g. 2026-W48
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.SENDING
    )
    attempts = models.PositiveSmallIntegerField(
        _("attempts"), default=0, help_text=_("Times the mail server was asked to send it.")
    )
    last_error = models.TextField(
        _("last error"), blank=True, help_text=_("What the mail server answered, if it refused.")
    )
    claimed_at = models.DateTimeField(_("claimed"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("tutor digest")
        verbose_name_plural = _("tutor digests")
        constraints = [
            models.UniqueConstraint(fields=["tutor", "week"], name="progress_tutordigest_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.tutor} {self.week}"
