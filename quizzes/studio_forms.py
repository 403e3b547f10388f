"""The studio's quiz editor: the quiz's settings, and one question with its
choices. The rules of each kind are ``quizzes.authoring``' (the content
loader applies the same); these forms read what was typed and name the
field that breaks a rule."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from courses.models import Competence
from learning_platform.inputs import IdChoiceField
from learning_platform.validators import typed_text

from .authoring import (
    MAX_CHOICES,
    MAX_POINTS,
    question_rule_errors,
    quiz_settings_errors,
)
from .models import Question, Quiz
from .scoring import parse_number

MAX_PROMPT = 5_000
MAX_EXPLANATION = 10_000
MAX_FEEDBACK = 2_000
MAX_ACCEPTED = 2_000
MAX_NUMBER_CHARS = 40
MAX_ANSWER = 200  # quizzes.services.MAX_SHORT_ANSWER: a longer one could never be typed

# What each feedback policy means for learners, shown beside each option.
FEEDBACK_HELP = {
    Quiz.Feedback.AFTER_SUBMIT: _(
        "As soon as they submit, learners see which answers were right, with the "
        "explanations and feedback."
    ),
    Quiz.Feedback.AFTER_PASS: _(
        "Learners see their score; the right answers only once they pass or have no "
        "attempt left, so that they cannot copy them on the next attempt."
    ),
    Quiz.Feedback.NEVER: _("Learners see their score only, never the right answers."),
}


@typed_text
class QuizSettingsForm(forms.ModelForm):
    """The settings of a quiz grain. ``question_count``: the quiz's pool now."""

    pass_mark = forms.IntegerField(
        label=_("Pass mark (%)"),
        min_value=0,
        max_value=100,
        help_text=_("The score, in percent, a learner needs to pass the quiz."),
    )
    attempts_allowed = forms.IntegerField(
        label=_("Attempts allowed"),
        required=False,
        min_value=1,
        max_value=1000,
        help_text=_("Leave empty for unlimited attempts."),
    )
    questions_per_attempt = forms.IntegerField(
        label=_("Questions drawn per attempt"),
        required=False,
        min_value=1,
        max_value=1000,
        help_text=_("Leave empty to ask every question of the quiz."),
    )
    feedback = forms.ChoiceField(
        label=_("When the right answers are shown"),
        choices=Quiz.Feedback.choices,
        widget=forms.RadioSelect,
        help_text=_("What learners see once they submit an attempt."),
    )

    class Meta:
        model = Quiz
        fields = [
            "pass_mark",
            "attempts_allowed",
            "questions_per_attempt",
            "shuffle_questions",
            "shuffle_choices",
            "feedback",
        ]
        labels = {
            "shuffle_questions": _("Shuffle the questions"),
            "shuffle_choices": _("Shuffle the choices"),
        }

    def __init__(self, *args, question_count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.question_count = question_count

    def clean(self):
        data = super().clean()
        if "pass_mark" in data and "questions_per_attempt" in data:
            errors = quiz_settings_errors(
                pass_mark=data["pass_mark"],
                questions_per_attempt=data["questions_per_attempt"],
                question_count=self.question_count,
            )
            for name, message in errors.items():
                self.add_error(name, message)
        return data


def _number(value: str) -> Decimal:
    """A number as people type it (3,5 or 3.5), through the scoring's reader."""
    try:
        return parse_number(value)
    except ValueError:
        raise forms.ValidationError(_("Enter a number, for example 12 or 3,5.")) from None


@typed_text
class QuestionForm(forms.Form):
    """A question of one kind: the fields of its kind only. Choices come in
    ``ChoiceFormSet`` (single and multiple choice)."""

    prompt = forms.CharField(
        label=_("Question"),
        max_length=MAX_PROMPT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown: **bold**, *italics*, lists, links."),
    )
    explanation = forms.CharField(
        label=pgettext_lazy("quiz editor", "Explanation"),
        required=False,
        max_length=MAX_EXPLANATION,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown. Shown after the answer, when the quiz shows feedback."),
    )
    points = forms.IntegerField(
        label=pgettext_lazy("quiz editor", "Points"), min_value=1, max_value=MAX_POINTS, initial=1
    )
    competence = IdChoiceField(
        label=pgettext_lazy("quiz editor", "Competence"),
        queryset=Competence.objects.order_by("code"),
        required=False,
        empty_label=pgettext_lazy("quiz editor", "None"),
    )
    # True or false
    true_false_answer = forms.TypedChoiceField(
        label=_("The right answer"),
        choices=[
            ("true", pgettext_lazy("quiz editor", "True")),
            ("false", pgettext_lazy("quiz editor", "False")),
        ],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
    )
    feedback_true = forms.CharField(
        label=_("Feedback for “True”"),
        required=False,
        max_length=MAX_FEEDBACK,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Markdown."),
    )
    feedback_false = forms.CharField(
        label=_("Feedback for “False”"),
        required=False,
        max_length=MAX_FEEDBACK,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Markdown."),
    )
    # Short text
    accepted = forms.CharField(
        label=_("Accepted answers"),
        required=False,
        max_length=MAX_ACCEPTED,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One answer per line. Case, accents and extra spaces are ignored when comparing."
        ),
    )
    # Numeric
    numeric_answer = forms.CharField(
        label=_("Right answer (a number)"),
        required=False,
        max_length=MAX_NUMBER_CHARS,
        help_text=_("For example 12 or 3,5."),
    )
    tolerance = forms.CharField(
        label=pgettext_lazy("quiz editor", "Tolerance"),
        required=False,
        max_length=MAX_NUMBER_CHARS,
        initial="0",
        help_text=_("How far from the right answer a learner may be: 0 for the exact number."),
    )

    KIND_FIELDS = {
        Question.Kind.SINGLE: (),
        Question.Kind.MULTIPLE: (),
        Question.Kind.TRUE_FALSE: ("true_false_answer", "feedback_true", "feedback_false"),
        Question.Kind.SHORT_TEXT: ("accepted",),
        Question.Kind.NUMERIC: ("numeric_answer", "tolerance"),
    }

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        others = {name for fields in self.KIND_FIELDS.values() for name in fields}
        for name in others - set(self.KIND_FIELDS[kind]):
            del self.fields[name]
        self.fields["competence"].label_from_instance = lambda c: f"{c.code} {c.name}"

    def clean_prompt(self):
        prompt = self.cleaned_data["prompt"]
        if not prompt.strip():
            raise forms.ValidationError(_("Write the question."))
        return prompt

    def clean_accepted(self):
        lines = [line.strip() for line in self.cleaned_data["accepted"].splitlines()]
        lines = [line for line in lines if line]
        for line in lines:
            if len(line) > MAX_ANSWER:
                raise forms.ValidationError(
                    _("Keep each accepted answer under 200 characters, one per line.")
                )
        return lines

    def clean_numeric_answer(self):
        value = self.cleaned_data["numeric_answer"]
        return _number(value) if value.strip() else None

    def clean_tolerance(self):
        value = self.cleaned_data["tolerance"]
        return _number(value) if value.strip() else Decimal(0)

    def clean(self):
        data = super().clean()
        if self.kind == Question.Kind.SHORT_TEXT and "accepted" in data:
            rule = question_rule_errors(kind=self.kind, accepted=data["accepted"])
        elif self.kind == Question.Kind.NUMERIC and not (
            {"numeric_answer", "tolerance"} & set(self.errors)
        ):
            rule = question_rule_errors(
                kind=self.kind,
                numeric_answer=data.get("numeric_answer"),
                tolerance=data.get("tolerance", Decimal(0)),
            )
        else:
            rule = {}
        fields = {"answer": "numeric_answer"}
        for name, message in rule.items():
            self.add_error(fields.get(name, name), message)
        return data


@typed_text
class ChoiceForm(forms.Form):
    """One choice of a single or multiple choice question."""

    text = forms.CharField(label=_("Text of the choice"), max_length=500)
    is_correct = forms.BooleanField(label=pgettext_lazy("quiz editor", "Correct"), required=False)
    feedback = forms.CharField(
        label=pgettext_lazy("quiz editor", "Feedback"),
        required=False,
        max_length=MAX_FEEDBACK,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Markdown. Why this choice is right or wrong."),
    )

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write the text of the choice."))
        return text


class BaseChoiceFormSet(forms.BaseFormSet):
    """The choices of a question, kept in order, blank and deleted rows
    dropped; the kind's rule (how many are right) checked on the whole."""

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind

    def choices(self) -> list[dict]:
        """The choices kept, in order (after ``is_valid()``)."""
        kept = []
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            if form.cleaned_data.get("text"):
                kept.append(form.cleaned_data)
        return kept

    def clean(self):
        if any(self.errors):
            return
        choices = self.choices()
        rule = question_rule_errors(
            kind=self.kind, choices=[(c["text"], c["is_correct"]) for c in choices]
        )
        if "choices" in rule:
            raise forms.ValidationError(rule["choices"])


ChoiceFormSet = forms.formset_factory(
    ChoiceForm,
    formset=BaseChoiceFormSet,
    extra=3,
    can_delete=True,
    max_num=MAX_CHOICES,
    validate_max=True,
    absolute_max=MAX_CHOICES,
)
