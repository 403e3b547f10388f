"""The competence framework, courses and their grains (units), and the
commons' governance: proposals to the pedagogical committee, its votes and
the published versions of a course."""

from django.conf import settings
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from learning_platform.models import TimeStampedModel
from learning_platform.validators import (
    CAPTIONS_MAX,
    VIDEO_MAX,
    MaxFileSizeValidator,
    validate_multiline,
    validate_single_line,
)

from .markup import render_markdown
from .video import parse_video_url, validate_video_url


class _BilingualName:
    """Models with ``name_fr`` and ``name_en``: ``name`` follows the active language."""

    @property
    def name(self) -> str:
        if (get_language() or "fr").startswith("en"):
            return self.name_en or self.name_fr
        return self.name_fr or self.name_en


class CompetenceArea(_BilingualName, models.Model):
    """An area of the competence framework (DigComp 2.2: 5 areas). Holds competences."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("competence area")
        verbose_name_plural = _("competence areas")

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class Competence(_BilingualName, models.Model):
    """A competence of the framework, in one area. Courses and questions point here."""

    area = models.ForeignKey(
        CompetenceArea, on_delete=models.PROTECT, related_name="competences", verbose_name=_("area")
    )
    code = models.CharField(_("code"), max_length=10, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("competence")
        verbose_name_plural = _("competences")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CourseQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Course.Status.PUBLISHED)

    def with_totals(self):
        """Annotate ``unit_count`` and ``total_minutes`` (the course's estimated
        duration, derived from its grains)."""
        return self.annotate(
            unit_count=Count("units", distinct=True),
            total_minutes=Sum("units__minutes"),
        )

    def with_latest_version(self):
        """Annotate the course's latest published version, for the line
        "Version N, validated on ... by the committee" (subqueries: no more
        query): ``version_number``, ``version_note`` (what changed) and
        ``version_at`` (None before the first publication),
        ``version_validated`` (members validated it; false for a version
        loaded from the content files)."""
        latest = CourseVersion.objects.filter(course=OuterRef("pk")).order_by("-number")
        return self.annotate(
            version_number=Subquery(latest.values("number")[:1]),
            version_note=Subquery(latest.values("note")[:1]),
            version_at=Subquery(latest.values("validated_at")[:1]),
            version_validated=Subquery(
                latest.annotate(
                    validated=Exists(
                        CourseVersion.validated_by.through.objects.filter(
                            courseversion_id=OuterRef("pk")
                        )
                    )
                ).values("validated")[:1],
                output_field=models.BooleanField(),
            ),
        )

    def visible_to(self, user):
        """Published courses, plus drafts the user may preview (staff, authors)."""
        if user.is_authenticated and user.is_staff:
            return self.all()
        if user.is_authenticated:
            # A subquery, not a join: a join on authors would multiply the sums of with_totals().
            authored = Course.authors.through.objects.filter(user=user).values("course_id")
            return self.filter(Q(status=Course.Status.PUBLISHED) | Q(id__in=authored))
        return self.published()


class Course(TimeStampedModel):
    """A course (parcours): ordered units, competences of the framework, a
    licence and authors. Enrolments (progress) and badge classes point here."""

    class Level(models.TextChoices):
        BEGINNER = "beginner", _("Beginner")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    class Licence(models.TextChoices):
        CC_BY_SA_4 = "CC-BY-SA-4.0", "CC BY-SA 4.0"
        CC_BY_4 = "CC-BY-4.0", "CC BY 4.0"
        CC0 = "CC0-1.0", "CC0 1.0"

    LICENCE_URLS = {
        "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/deed.fr",
        "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/deed.fr",
        "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/deed.fr",
    }

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    summary = models.TextField(_("summary"), help_text=_("One or two sentences for the catalogue."))
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    description_html = models.TextField(editable=False, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, db_index=True)
    competences = models.ManyToManyField(
        Competence, related_name="courses", blank=True, verbose_name=_("competences")
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="fr"
    )
    licence = models.CharField(
        _("licence"), max_length=20, choices=Licence.choices, default=Licence.CC_BY_SA_4
    )
    credits = models.CharField(
        _("authors as credited"),
        max_length=300,
        blank=True,
        help_text=_("Names shown on the course page, separated by commas."),
    )
    organisation = models.CharField(
        _("organisation credited"),
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text=_("The organisation that wrote the course, credited with its authors."),
    )
    source_title = models.CharField(
        _("adapted from"),
        max_length=300,
        blank=True,
        validators=[validate_single_line],
        help_text=_("Title of the work this course adapts, if any."),
    )
    source_url = models.URLField(
        _("address of the source"),
        max_length=500,
        blank=True,
        help_text=_("Where the adapted work can be found (https://...)."),
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="authored_courses",
        blank=True,
        verbose_name=_("author accounts"),
        help_text=_("Accounts that may edit this course while it is a draft."),
    )
    keywords = models.CharField(
        _("keywords"),
        max_length=600,
        blank=True,
        help_text=_(
            "Words and synonyms people may search with, separated by commas "
            "(for example: phishing, arnaque, faux SMS)."
        ),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # A working copy: a draft copy of a published course that its authors
    # edit while learners keep following the published version. Proposed, it
    # becomes a revision of the published course (Proposal.working_copy);
    # once accepted, its snapshot is applied to the published course and the
    # copy is deleted (courses.services.course_publish).
    revision_of = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="working_copies",
        verbose_name=_("revision of"),
        help_text=_("The published course this draft revises."),
    )

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        indexes = [
            # The catalogue: published courses filtered by level.
            models.Index(fields=["status", "level"], name="courses_course_status_level"),
        ]
        constraints = [
            # At most one working copy per published course.
            models.UniqueConstraint(
                fields=["revision_of"],
                name="courses_course_one_working_copy",
                violation_error_message=_("This course already has a revision in progress."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # Derived field, as on djangoproject.com's blog: the HTML is cached
        # beside its Markdown source.
        self.description_html = render_markdown(self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("courses:detail", args=[self.slug])

    @property
    def licence_url(self) -> str:
        return self.LICENCE_URLS.get(self.licence, "")

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_working_copy(self) -> bool:
        return self.revision_of_id is not None

    @property
    def is_editable(self) -> bool:
        """Only a draft's content is edited in place: a course in review is
        what the committee votes on, a published one changes by a revision
        (courses.services.proposal_submit)."""
        return self.status == self.Status.DRAFT


class Unit(TimeStampedModel):
    """A grain of a course, in order: a fiche (Markdown), a video (allow-listed
    URL or uploaded file, captions, transcript) or a quiz (quizzes.Quiz points
    here). Completions (progress) point here."""

    class Kind(models.TextChoices):
        FICHE = "fiche", _("Fiche")
        VIDEO = "video", _("Video")
        QUIZ = "quiz", _("Quiz")

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="units", verbose_name=_("course")
    )
    slug = models.SlugField(_("slug"), max_length=120)
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"), default=5, validators=[MinValueValidator(1)]
    )
    required = models.BooleanField(
        _("required"),
        default=True,
        help_text=_("Required grains count towards completing the course."),
    )
    body = models.TextField(
        _("body"), blank=True, help_text=_("Markdown: the fiche, or the introduction of a quiz.")
    )
    body_html = models.TextField(editable=False, blank=True)
    video_url = models.URLField(
        _("video link"),
        blank=True,
        validators=[validate_video_url],
        help_text=_("YouTube, Vimeo or an allowed PeerTube instance."),
    )
    video_file = models.FileField(
        _("video file"),
        upload_to="videos/",
        blank=True,
        validators=[FileExtensionValidator(["mp4", "webm"]), MaxFileSizeValidator(VIDEO_MAX)],
    )
    captions = models.FileField(
        _("captions (WebVTT)"),
        upload_to="captions/",
        blank=True,
        validators=[FileExtensionValidator(["vtt"]), MaxFileSizeValidator(CAPTIONS_MAX)],
    )
    transcript = models.TextField(_("transcript"), blank=True, help_text=_("Markdown."))
    transcript_html = models.TextField(editable=False, blank=True)
    duration_seconds = models.PositiveIntegerField(
        _("video duration (seconds)"), null=True, blank=True
    )

    class Meta:
        ordering = ["course", "position", "id"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["course", "slug"], name="courses_unit_slug_unique"),
            models.CheckConstraint(
                condition=Q(minutes__gte=1), name="courses_unit_minutes_positive"
            ),
            models.CheckConstraint(
                condition=~Q(kind="video") | ~Q(video_url="") | ~Q(video_file=""),
                name="courses_unit_video_has_source",
                violation_error_message=_("A video grain needs a video link or a video file."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # Derived fields: HTML cached beside its Markdown source.
        self.body_html = render_markdown(self.body)
        # Shown under the page's "Transcript" heading (h2).
        self.transcript_html = render_markdown(self.transcript, top_heading=3)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("courses:unit", args=[self.course.slug, self.slug])

    @property
    def video_source(self):
        return parse_video_url(self.video_url) if self.video_url else None


class SearchTerm(models.Model):
    """One term of a course's search index (``courses.search``): a stem, its
    weight in the course (a title word weighs most), and a word that stands
    for it, for suggestions. Rebuilt by ``courses.services.course_search_index``
    whenever the course or its grains are saved through a service."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="search_terms", verbose_name=_("course")
    )
    term = models.CharField(_("term"), max_length=60)
    word = models.CharField(_("word"), max_length=60)
    weight = models.PositiveIntegerField(_("weight"))

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")
        constraints = [
            models.UniqueConstraint(fields=["course", "term"], name="courses_searchterm_unique"),
        ]
        indexes = [
            # The catalogue's search: the courses having a term (or a prefix of one).
            models.Index(fields=["term", "course"], name="courses_searchterm_term"),
        ]

    def __str__(self) -> str:
        return self.term


class Proposal(TimeStampedModel):
    """A course an author puts to the pedagogical committee: the whole course
    frozen as it stood (``snapshot``: metadata, grains, quizzes), so that
    what members vote on never moves under them. A proposal of a published
    course is a revision and says what changed (``note``). Members vote
    (Vote); the committee's rule (courses.committee) decides, and only an
    accepted proposal is published (courses.services.course_publish)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("course")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="course_proposals",
        verbose_name=_("proposed by"),
    )
    is_revision = models.BooleanField(
        _("revision"), default=False, help_text=_("A change to a published course.")
    )
    note = models.TextField(
        _("what changed"),
        blank=True,
        validators=[validate_multiline],
        help_text=_("Required for a revision of a published course."),
    )
    snapshot = models.JSONField(_("course as proposed"), default=dict, editable=False)
    # A revision written in a working copy (Course.revision_of): ``course`` is
    # the published course, the copy is what the authors edited.
    working_copy = models.ForeignKey(
        Course,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("working copy"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # Set when the authors were told the decision (courses.tasks): at most once.
    notified_at = models.DateTimeField(_("authors notified"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["course"],
                condition=Q(status="pending"),
                name="courses_proposal_one_pending",
                violation_error_message=_("This course is already waiting for the committee."),
            ),
            models.CheckConstraint(
                condition=Q(is_revision=False) | ~Q(note=""),
                name="courses_proposal_revision_has_note",
                violation_error_message=_("Say what changed in this revision."),
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="courses_proposal_decided_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class Vote(models.Model):
    """A committee member's vote on a proposal: validate, request changes
    (the comment says which) or refuse (the comment says why). One vote per
    member and proposal; never on a proposal of one's own course."""

    class Choice(models.TextChoices):
        VALIDATE = "validate", _("Validate")
        REQUEST_CHANGES = "request_changes", _("Request changes")
        REFUSE = "refuse", _("Refuse")

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="votes", verbose_name=_("proposal")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="committee_votes",
        verbose_name=_("committee member"),
    )
    choice = models.CharField(_("vote"), max_length=20, choices=Choice.choices)
    comment = models.TextField(
        _("comment"),
        blank=True,
        validators=[validate_multiline],
        help_text=_("Required to request changes (which ones) or to refuse (why)."),
    )
    created_at = models.DateTimeField(_("cast"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "member"],
                name="courses_vote_one_per_member",
                violation_error_message=_("You have already voted on this proposal."),
            ),
            models.CheckConstraint(
                condition=Q(choice="validate") | ~Q(comment=""),
                name="courses_vote_comment_unless_validate",
                violation_error_message=_(
                    "Say which changes you ask for, or why you refuse the course."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.get_choice_display()}"


class CourseVersion(models.Model):
    """A publication of a course: its number (1, 2, ...), when and by whom it
    was validated, and the proposal the committee accepted; no proposal for
    a version loaded from the content files (the platform's trusted seed).
    Written only by courses.services.course_publish."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="versions", verbose_name=_("course")
    )
    number = models.PositiveIntegerField(_("version"))
    proposal = models.OneToOneField(
        Proposal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="version",
        verbose_name=_("proposal"),
    )
    note = models.TextField(_("what changed"), blank=True)
    # The course as published (courses.snapshots.course_snapshot), so the next
    # revision is compared with what learners had. Empty for versions made
    # before it was recorded: their accepted proposal's snapshot stands in.
    snapshot = models.JSONField(_("course as published"), default=dict, editable=False)
    validated_at = models.DateTimeField(_("validated"))
    validated_by = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="validated_versions",
        blank=True,
        verbose_name=_("validated by"),
    )

    class Meta:
        ordering = ["course", "-number"]
        verbose_name = _("course version")
        verbose_name_plural = _("course versions")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "number"], name="courses_courseversion_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="courses_courseversion_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} v{self.number}"


class ReviewComment(models.Model):
    """A comment on a proposal, by a committee member or an author of the
    course: on the whole course (``unit_slug`` empty) or on one grain of the
    snapshot (its slug), or a reply to another comment (``parent``, always a
    comment that is not itself a reply: threads are one level deep). Written
    by courses.services.review_comment_add, which e-mails the other side."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="comments", verbose_name=_("proposal")
    )
    unit_slug = models.SlugField(
        _("grain"), max_length=200, blank=True, help_text=_("Empty: about the whole course.")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="review_comments",
        verbose_name=_("author"),
    )
    body = models.TextField(_("comment"), validators=[validate_multiline])
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    # Set when the other participants were e-mailed (courses.tasks): at most once.
    notified_at = models.DateTimeField(_("participants notified"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        constraints = [
            models.CheckConstraint(
                condition=~Q(body=""),
                name="courses_reviewcomment_body_not_empty",
                violation_error_message=_("Write your comment."),
            ),
        ]
        indexes = [
            # The proposal page: a proposal's comments in order.
            models.Index(fields=["proposal", "created_at"], name="courses_reviewcomment_list"),
        ]

    def __str__(self) -> str:
        return f"{self.author} – {self.proposal}"


class ErrorReport(TimeStampedModel):
    """A learner's report of an error in a grain (a fiche, a video, a quiz
    or one of its questions), for the course's authors and the committee.
    Written by courses.services.error_report_create; answered (a status and
    a word back) by error_report_answer. ``question_id`` is a quizzes.Question
    of the grain's quiz: an id, not a key, as courses never depends on
    quizzes (checked by the service against the grain)."""

    TEXT_MAX = 2_000

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        FIXED = "fixed", _("Fixed")
        DISMISSED = "dismissed", _("Dismissed")

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="error_reports", verbose_name=_("course")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="error_reports", verbose_name=_("grain")
    )
    question_id = models.PositiveIntegerField(_("question"), null=True, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="error_reports",
        verbose_name=_("reported by"),
    )
    text = models.TextField(
        _("what is wrong"), max_length=TEXT_MAX, validators=[validate_multiline]
    )
    # The text's digest, trimmed: the same report filed twice on the same
    # place is refused by the constraints below (the text itself is too long
    # for an index on every database).
    text_digest = models.CharField(max_length=64, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    answer = models.TextField(
        _("answer"), blank=True, max_length=TEXT_MAX, validators=[validate_multiline]
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # Set when the authors were told of the report (courses.tasks): at most once.
    notified_at = models.DateTimeField(_("authors notified"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("error report")
        verbose_name_plural = _("error reports")
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "unit", "text_digest"],
                condition=Q(question_id__isnull=True),
                name="courses_errorreport_once_per_unit",
                violation_error_message=_("You have already reported this error here."),
            ),
            models.UniqueConstraint(
                fields=["reporter", "unit", "question_id", "text_digest"],
                condition=Q(question_id__isnull=False),
                name="courses_errorreport_once_per_question",
                violation_error_message=_("You have already reported this error here."),
            ),
        ]
        indexes = [
            # The reports of a course, newest first (the authors' and committee's page).
            models.Index(fields=["course", "-created_at"], name="courses_errorreport_course"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.get_status_display()}"
