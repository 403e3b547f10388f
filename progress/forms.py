"""Forms of the tutor's cohort page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import Course
from learning_platform.inputs import IdChoiceField
from learning_platform.validators import typed_text


@typed_text
class AddLearnerForm(forms.Form):
    """Invite an existing account to the cohort by its username."""

    username = forms.CharField(label=_("Username"), max_length=150)


class AssignCourseForm(forms.Form):
    """Assign a published course to the cohort, with an optional due date."""

    course = IdChoiceField(label=_("Course"), queryset=Course.objects.published().order_by("title"))
    due_date = forms.DateField(
        label=_("Due date (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
