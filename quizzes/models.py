"""Quizzes, their question pool, and learners' attempts."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.markup import render_markdown
from courses.models import Competence, Unit
from learning_platform.models import TimeStampedModel


class Quiz(TimeStampedModel):
    """The quiz of a quiz grain (one per unit): a pool of questions, how many
    are drawn per attempt, the pass mark and the attempts allowed."""

    class Feedback(models.TextChoices):
        AFTER_SUBMIT = "after_submit", _("After each attempt")
        AFTER_PASS = "after_pass", _("Right answers once passed or out of attempts")
        NEVER = "never", _("Never (score only)")

    unit = models.OneToOneField(
        Unit, on_delete=models.CASCADE, related_name="quiz", verbose_name=_("unit")
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=70, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), null=True, blank=True, help_text=_("Empty for unlimited attempts.")
    )
    questions_per_attempt = models.PositiveSmallIntegerField(
        _("questions per attempt"),
        null=True,
        blank=True,
        help_text=_("Empty to draw the whole pool."),
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_choices = models.BooleanField(_("shuffle choices"), default=True)
    feedback = models.CharField(
        _("when feedback is shown"),
        max_length=20,
        choices=Feedback.choices,
        default=Feedback.AFTER_SUBMIT,
    )

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_mark__gte=0) & Q(pass_mark__lte=100),
                name="quizzes_quiz_pass_mark_percent",
            ),
            models.CheckConstraint(
                condition=Q(attempts_allowed__isnull=True) | Q(attempts_allowed__gte=1),
                name="quizzes_quiz_attempts_allowed_positive",
            ),
            models.CheckConstraint(
                condition=Q(questions_per_attempt__isnull=True) | Q(questions_per_attempt__gte=1),
                name="quizzes_quiz_questions_per_attempt_positive",
            ),
        ]

    def __str__(self) -> str:
        return str(self.unit)


class Question(TimeStampedModel):
    """A question of a quiz's pool. Choices belong to single, multiple and
    true/false questions; short text and numeric questions carry their answer."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TRUE_FALSE = "true_false", _("True or false")
        SHORT_TEXT = "short_text", _("Short text")
        NUMERIC = "numeric", _("Number")

    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE, Kind.TRUE_FALSE)

    quiz = models.ForeignKey(
        Quiz, on_delete=models.CASCADE, related_name="questions", verbose_name=_("quiz")
    )
    key = models.SlugField(_("key"), max_length=80, help_text=_("Stable identifier in the quiz."))
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    prompt = models.TextField(_("prompt"), help_text=_("Markdown."))
    prompt_html = models.TextField(editable=False, blank=True)
    explanation = models.TextField(
        _("explanation"), blank=True, help_text=_("Markdown, shown after submission.")
    )
    explanation_html = models.TextField(editable=False, blank=True)
    points = models.PositiveSmallIntegerField(
        _("points"), default=1, validators=[MinValueValidator(1)]
    )
    competence = models.ForeignKey(
        Competence,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("competence"),
    )
    accepted_answers = models.JSONField(
        _("accepted answers"),
        default=list,
        blank=True,
        help_text=_("Short text: the answers accepted."),
    )
    numeric_answer = models.DecimalField(
        _("numeric answer"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    tolerance = models.DecimalField(_("tolerance"), max_digits=14, decimal_places=4, default=0)

    class Meta:
        ordering = ["quiz", "position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["quiz", "key"], name="quizzes_question_key_unique"),
            models.CheckConstraint(
                condition=Q(points__gte=1), name="quizzes_question_points_positive"
            ),
            models.CheckConstraint(
                condition=Q(tolerance__gte=0), name="quizzes_question_tolerance_positive"
            ),
            models.CheckConstraint(
                condition=~Q(kind="numeric") | Q(numeric_answer__isnull=False),
                name="quizzes_question_numeric_has_answer",
                violation_error_message=_("A numeric question needs its answer."),
            ),
        ]

    def __str__(self) -> str:
        return self.key

    def save(self, *args, **kwargs):
        # Derived fields: HTML cached beside its Markdown source.
        self.prompt_html = render_markdown(self.prompt)
        self.explanation_html = render_markdown(self.explanation)
        super().save(*args, **kwargs)

    @property
    def has_choices(self) -> bool:
        return self.kind in self.CHOICE_KINDS


class Choice(models.Model):
    """A choice of a single, multiple or true/false question."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.CharField(_("text"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)
    feedback = models.TextField(
        _("feedback"), blank=True, help_text=_("Why this choice is right or wrong.")
    )
    feedback_html = models.TextField(editable=False, blank=True)

    class Meta:
        ordering = ["question", "position", "id"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return self.text

    def save(self, *args, **kwargs):
        self.feedback_html = render_markdown(self.feedback)
        super().save(*args, **kwargs)


class Attempt(models.Model):
    """A learner's attempt at a quiz: the questions drawn and their order (and
    each question's choice order), then the answers, the score and whether it
    passed. At most one attempt per learner and quiz is open at a time."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="attempts",
        verbose_name=_("learner"),
    )
    quiz = models.ForeignKey(
        Quiz, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("quiz")
    )
    # [{"question": <id>, "choices": [<id>, ...]}, ...] in the order shown.
    drawn = models.JSONField(_("questions drawn"), default=list)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2, null=True, blank=True)
    max_points = models.DecimalField(
        _("maximum points"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    score = models.DecimalField(
        _("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "quiz"],
                condition=Q(submitted_at__isnull=True),
                name="quizzes_attempt_one_open_per_quiz",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=100)),
                name="quizzes_attempt_score_percent",
            ),
        ]
        indexes = [
            # Attempts of a learner at a quiz: attempts left, best score.
            models.Index(fields=["learner", "quiz"], name="quizzes_attempt_learner_quiz"),
        ]

    def __str__(self) -> str:
        return f"{self.learner} – {self.quiz} ({self.started_at:%Y-%m-%d %H:%M})"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def question_ids(self) -> list[int]:
        return [item["question"] for item in self.drawn]


class AttemptAnswer(models.Model):
    """What the learner answered to one drawn question of an attempt, and
    what it earned. ``response`` holds choice ids or the text typed."""

    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="answers", verbose_name=_("attempt")
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    response = models.JSONField(_("response"), default=dict)
    is_correct = models.BooleanField(_("correct"), default=False)
    points_awarded = models.DecimalField(
        _("points awarded"), max_digits=8, decimal_places=2, default=0
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="quizzes_attemptanswer_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.question_id}"


class AttemptGrant(models.Model):
    """Extra attempts at a quiz given to a learner by a tutor of one of their
    cohorts (or by staff), on top of the current set of attempts (see
    ``quizzes.retry``). A record of who gave what, and when."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="attempt_grants",
        verbose_name=_("learner"),
    )
    quiz = models.ForeignKey(
        Quiz, on_delete=models.CASCADE, related_name="attempt_grants", verbose_name=_("quiz")
    )
    # Kept when the giver's account is deleted: the learner's record stands.
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attempt_grants_given",
        verbose_name=_("granted by"),
    )
    extra = models.PositiveSmallIntegerField(
        _("extra attempts"), default=1, validators=[MinValueValidator(1)]
    )
    created_at = models.DateTimeField(_("granted on"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("attempt grant")
        verbose_name_plural = _("attempt grants")
        constraints = [
            models.CheckConstraint(
                condition=Q(extra__gte=1), name="quizzes_attemptgrant_extra_positive"
            ),
        ]
        indexes = [
            # The grants of a learner at a quiz: the attempts left (quiz_status_for).
            models.Index(fields=["learner", "quiz"], name="quizzes_grant_learner_quiz"),
        ]

    def __str__(self) -> str:
        return f"{self.learner} – {self.quiz} (+{self.extra})"
