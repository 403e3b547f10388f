from django import forms
from django.utils.translation import gettext_lazy as _

from learning_platform.inputs import IdChoiceField
from learning_platform.validators import typed_text

from .models import CompetenceArea, Course, ErrorReport, Unit


@typed_text
class CatalogueFilterForm(forms.Form):
    """The catalogue's filters. Every field is optional; a bad value is
    reported and ignored, never an error page."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *Course.Level.choices]
    )
    area = forms.ChoiceField(label=_("Competence area"), required=False)

    def __init__(self, *args, areas: list[CompetenceArea], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("All areas"))] + [(a.code, a.name) for a in areas]

    def filters(self) -> dict:
        """The valid filters only."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}


@typed_text
class ErrorReportForm(forms.Form):
    """A learner's report of an error: the place (a grain of a published
    course, and a question of its quiz when on one) and what is wrong. The
    place's checks that need the quiz are the service's
    (courses.services.error_report_create)."""

    unit = IdChoiceField(
        queryset=Unit.objects.filter(course__status=Course.Status.PUBLISHED).select_related(
            "course"
        ),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Say which grain the error is in."),
            "invalid_choice": _("This grain does not exist or is not published."),
        },
    )
    question = IdChoiceField(
        queryset=None,
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This question does not exist.")},
    )
    text = forms.CharField(
        label=_("What is wrong?"),
        max_length=ErrorReport.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "A mistake, an outdated step, a broken link, a wrong answer: say what you saw "
            "(at most 2,000 characters). The authors of the course will read it."
        ),
        error_messages={"required": _("Say what is wrong.")},
    )

    def __init__(self, *args, questions, **kwargs):
        """``questions``: the quiz questions a report may point at (a
        quizzes.Question queryset, given by the view: courses never imports
        quizzes)."""
        super().__init__(*args, **kwargs)
        self.fields["question"].queryset = questions


@typed_text
class ErrorReportAnswerForm(forms.Form):
    """An author's or a committee member's answer to a report."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=ErrorReport.Status.choices,
        error_messages={"invalid_choice": _("Choose one of the statuses offered.")},
    )
    answer = forms.CharField(
        label=_("Answer to the learner"),
        required=False,
        max_length=ErrorReport.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The learner reads it on their reports page. Required to dismiss a report."),
    )
