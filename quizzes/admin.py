from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from courses.models import Course, Unit

from . import services
from .models import Attempt, AttemptAnswer, AttemptGrant, Choice, Question, Quiz


class DraftOnly:
    """A quiz's content is edited while its course is a draft, as the
    course's own (courses.admin): in review or published, it is read-only.
    ``course_of(obj)`` names the course of the page's object."""

    @staticmethod
    def course_of(obj):
        raise NotImplementedError

    def _editable(self, obj) -> bool:
        return obj is None or self.course_of(obj).is_editable

    def has_add_permission(self, request, obj=None):
        # Inlines are asked with the page's object; model admins without one.
        if isinstance(self, admin.options.InlineModelAdmin):
            return self._editable(obj) and super().has_add_permission(request, obj)
        return super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


def _quiz_course(quiz: Quiz) -> Course:
    return quiz.unit.course


def _question_course(question: Question) -> Course:
    return question.quiz.unit.course


class QuestionInline(DraftOnly, admin.StackedInline):
    course_of = staticmethod(_quiz_course)  # the page's object is the quiz
    model = Question
    extra = 0
    ordering = ["position", "id"]
    # Django's admin has no nested inlines: a question's choices are edited
    # inline on the question's own page, one click away.
    show_change_link = True
    fields = [
        ("position", "key", "kind", "points"),
        "prompt",
        "explanation",
        "competence",
        "accepted_answers",
        ("numeric_answer", "tolerance"),
    ]


class ChoiceInline(DraftOnly, admin.TabularInline):
    course_of = staticmethod(_question_course)  # the page's object is the question
    model = Choice
    extra = 0
    ordering = ["position", "id"]
    fields = ["position", "text", "is_correct", "feedback"]


@admin.register(Quiz)
class QuizAdmin(DraftOnly, admin.ModelAdmin):
    course_of = staticmethod(_quiz_course)
    list_display = ["unit", "pass_mark", "attempts_allowed", "questions_per_attempt", "feedback"]
    list_filter = ["unit__course__level", "unit__course__status", "feedback"]
    search_fields = ["unit__title", "unit__course__title"]
    list_select_related = ["unit__course"]
    inlines = [QuestionInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":  # a quiz is added to a draft's quiz grain only
            kwargs["queryset"] = Unit.objects.filter(
                kind=Unit.Kind.QUIZ, course__status=Course.Status.DRAFT
            ).select_related("course")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Question)
class QuestionAdmin(DraftOnly, admin.ModelAdmin):
    course_of = staticmethod(_question_course)
    list_display = ["key", "quiz", "kind", "points", "position"]
    list_filter = ["kind", "quiz__unit__course"]
    search_fields = ["key", "prompt"]
    list_select_related = ["quiz__unit"]
    inlines = [ChoiceInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "quiz":  # a question is added to a draft's quiz only
            kwargs["queryset"] = Quiz.objects.filter(
                unit__course__status=Course.Status.DRAFT
            ).select_related("unit")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AttemptAnswerInline(admin.TabularInline):
    model = AttemptAnswer
    extra = 0
    can_delete = False
    readonly_fields = ["question", "response", "is_correct", "points_awarded"]


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["learner", "quiz", "started_at", "submitted_at", "score", "passed"]
    list_filter = ["passed"]
    search_fields = ["learner__username", "quiz__unit__title"]
    list_select_related = ["learner", "quiz__unit"]
    readonly_fields = [
        "learner",
        "quiz",
        "drawn",
        "started_at",
        "submitted_at",
        "points",
        "max_points",
        "score",
        "passed",
    ]
    inlines = [AttemptAnswerInline]

    def has_add_permission(self, request):
        return False


class AttemptGrantForm(forms.ModelForm):
    class Meta:
        model = AttemptGrant
        fields = ["learner", "quiz", "extra"]

    def clean(self):
        data = super().clean()
        quiz = data.get("quiz")
        if quiz is not None and quiz.attempts_allowed is None:
            raise ValidationError(_("This quiz has unlimited attempts already."))
        return data


@admin.register(AttemptGrant)
class AttemptGrantAdmin(admin.ModelAdmin):
    """Staff give extra attempts here, through the same service as tutors; a
    grant is a record, never changed afterwards."""

    form = AttemptGrantForm
    list_display = ["learner", "quiz", "extra", "granted_by", "created_at"]
    list_select_related = ["learner", "quiz__unit", "granted_by"]
    search_fields = ["learner__username", "quiz__unit__title"]
    raw_id_fields = ["learner", "quiz"]
    readonly_fields = ["granted_by", "created_at"]

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        grant = services.attempt_grant(
            learner=obj.learner, quiz=obj.quiz, granted_by=request.user, extra=obj.extra
        )
        obj.pk, obj.granted_by, obj.created_at = grant.pk, grant.granted_by, grant.created_at
