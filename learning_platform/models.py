"""Site-wide models: the user. Every other app's models depend on these."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .validators import validate_single_line


class TimeStampedModel(models.Model):
    """Abstract base: when a row was created and last changed."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class User(AbstractUser):
    """A person using the platform: a learner, and possibly a tutor, an author
    (of the courses that list them in ``Course.authors``) or a member of the
    pedagogical committee, who votes on proposed courses (courses.Vote).
    Enrolments, completions and attempts point here."""

    display_name = models.CharField(
        _("display name"),
        max_length=80,
        blank=True,
        validators=[validate_single_line],
        help_text=_("The name shown to you and to your tutors. Your username if empty."),
    )
    # Made an author by staff (or an organisation's manager): writes courses in
    # the studio and proposes them. Editing a given course also needs being one
    # of its authors (Course.authors).
    is_author = models.BooleanField(
        _("author"),
        default=False,
        help_text=_("Writes courses in the studio and proposes them to the pedagogical committee."),
    )
    # Named by the partners of the commons; staff set it in the admin. A flag,
    # not a group: the rules (courses.services.vote_cast) read one column.
    is_committee_member = models.BooleanField(
        _("member of the pedagogical committee"),
        default=False,
        help_text=_(
            "Reviews the courses authors propose and votes on them: a course is "
            "published by the committee's majority."
        ),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            # One account an address, in any case: the address logs in
            # (learning_platform.backends compares it case-insensitively)
            # and resets the password. Empty for those without one.
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="learning_platform_user_email_ci_unique",
                violation_error_message=_("Another account already uses this e-mail address."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    def get_short_name(self) -> str:
        return self.display_name or self.username

    @property
    def is_tutor(self) -> bool:
        """Tutors a cohort or manages an organisation: sees the tutor space.
        The session's user has it annotated (learning_platform.backends)."""
        if hasattr(self, "tutors_any"):
            return bool(self.tutors_any or self.manages_any)
        if not self.pk:
            return False
        return self.tutored_cohorts.exists() or self.managed_organisations.exists()


def _invite_code() -> str:
    """Eight characters from an alphabet without look-alikes (no 0/O, 1/I/L)."""
    import secrets

    return "".join(secrets.choice("ABCDEFGHJKMNPQRSTUVWXYZ23456789") for _ in range(8))


class Organisation(TimeStampedModel):
    """A small business, a training body or a public digital space. Its
    managers see all its cohorts."""

    class Kind(models.TextChoices):
        BUSINESS = "business", _("Small business")
        TRAINING = "training", _("Training body")
        PUBLIC_SPACE = "public_space", _("Public digital space or third place")

    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    managers = models.ManyToManyField(
        User, related_name="managed_organisations", blank=True, verbose_name=_("managers")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class CohortQuerySet(models.QuerySet):
    def for_tutor(self, user):
        """Cohorts the user tutors, or whose organisation they manage
        (archived ones included: their data is kept and still readable)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(models.Q(tutors=user) | models.Q(organisation__managers=user)).distinct()

    def active(self):
        """Cohorts not archived: on the dashboard, flagged, in the digests."""
        return self.filter(archived_at__isnull=True)


class Cohort(TimeStampedModel):
    """A group of learners followed by tutors, in an organisation. Learners
    join with the invite code and consent to what tutors see; the courses
    assigned to a cohort live in progress (CohortCourse)."""

    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="cohorts",
        verbose_name=_("organisation"),
    )
    tutors = models.ManyToManyField(
        User, related_name="tutored_cohorts", blank=True, verbose_name=_("tutors")
    )
    invite_code = models.CharField(
        _("invite code"), max_length=12, unique=True, default=_invite_code
    )
    archived_at = models.DateTimeField(
        _("archived"),
        null=True,
        blank=True,
        help_text=_(
            "An archived group leaves the tutor's dashboard, its flags and digests; "
            "its data is kept and nobody can join it."
        ),
    )

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class CohortMembership(models.Model):
    """A learner in a cohort. Tutors see the learner's records only once
    ``consented_at`` is set (the learner read what tutors see and agreed). A
    tutor's invitation by username is a membership waiting for consent.
    Leaving deletes the row: the tutors then lose access."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("cohort")
    )
    learner = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="cohort_memberships", verbose_name=_("learner")
    )
    invited_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    consented_at = models.DateTimeField(_("consented"), null=True, blank=True)

    class Meta:
        verbose_name = _("cohort membership")
        verbose_name_plural = _("cohort memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "learner"], name="learning_platform_membership_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["learner", "consented_at"], name="lp_membership_learner"),
        ]

    def __str__(self) -> str:
        return f"{self.learner} – {self.cohort}"


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal API token of a user, created and revoked on their profile
    page (learning_platform.services). Only the SHA-256 of the token is
    stored: the token itself is shown once, when it is created. ``prefix``,
    the token's first characters, tells tokens apart in lists."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        validators=[validate_single_line],
        help_text=_("What the token is for, e.g. “My phone”."),
    )
    key_hash = models.CharField(_("token hash (SHA-256)"), max_length=64, editable=False)
    prefix = models.CharField(_("token prefix"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            # Also the index that authenticating a request looks the hash up in.
            models.UniqueConstraint(
                fields=["key_hash"], name="learning_platform_apitoken_key_hash_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class StartCode(models.Model):
    """A one-time code with which a person logs in for the first time, or
    again after forgetting their password, and chooses a password: for
    people without an e-mail address, whose account a tutor created or
    helps with in person (learning_platform.start_codes). Only a hash of the
    code is stored (Django's password hasher); the code itself is shown once,
    on the sheet the tutor prints. A code works once, until ``expires_at``;
    a newer code of the same user replaces it. The rows are also the
    account's history of codes: who issued one and when."""

    class Reason(models.TextChoices):
        NEW_ACCOUNT = "new_account", _("Account created by a tutor")
        FORGOTTEN_PASSWORD = "forgotten_password", _("Forgotten password")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="start_codes", verbose_name=_("user")
    )
    code_hash = models.CharField(_("code hash"), max_length=128, editable=False)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cohort"),
    )
    issued_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    created_at = models.DateTimeField(_("issued"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    replaced_at = models.DateTimeField(_("replaced"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("start code")
        verbose_name_plural = _("start codes")
        indexes = [models.Index(fields=["user", "used_at"], name="lp_startcode_user_used")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_reason_display()})"
