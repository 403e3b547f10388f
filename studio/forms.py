"""The studio's forms. Model forms: the models' own validators (the video
allow-list, the captions' extension and size, the one-line texts) run
through ``full_clean``; ``typed_text`` adds the control-character check and
a bound to every text field that has none. Long Markdown fields get their
own bound first (``_bounded``), larger than the default one."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.models import Competence, Course, Unit
from courses.services import NOTE_MAX
from learning_platform.inputs import parse_id
from learning_platform.validators import typed_text

DESCRIPTION_MAX = 20_000
BODY_MAX = 50_000  # a fiche or a transcript: about twenty printed pages


def _https(field, **kwargs):
    """A link typed without its scheme is https (Django 6's default; 5.2 warns)."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


def _bounded(**limits):
    """Class decorator: the text fields named get the maximum length given."""

    def decorate(form_class):
        for name, limit in limits.items():
            field = form_class.base_fields[name] = form_class.base_fields[name].__deepcopy__({})
            field.max_length = limit
            field.validators.append(MaxLengthValidator(limit))
            field.widget.attrs["maxlength"] = str(limit)
        return form_class

    return decorate


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Checkboxes of ids: a value that is not an id ("٣", 2**63, 5,000
    digits) is "not among the choices", never a query."""

    def _check_values(self, value):
        for pk in value:
            if parse_id(pk) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


@typed_text
@_bounded(description=DESCRIPTION_MAX)
class CourseForm(forms.ModelForm):
    """A course's metadata. Its competences are shown grouped by area of the
    framework (the template draws them from ``competence_framework``)."""

    competences = IdMultipleChoiceField(
        label=_("Competences"),
        queryset=Competence.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The digital skills the course builds."),
    )

    class Meta:
        model = Course
        formfield_callback = _https
        fields = [
            "title",
            "summary",
            "description",
            "level",
            "competences",
            "keywords",
            "licence",
            "language",
            "credits",
            "organisation",
            "source_title",
            "source_url",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 10}),
        }

    def selected_competences(self) -> set[str]:
        """The ids ticked (as sent back, or as stored), as text, for the template."""
        value = self["competences"].value() or []
        return {str(getattr(v, "pk", v)) for v in value}


MINUTES_MAX = 600  # a grain is 5-10 minutes; ten hours is a typing slip
DURATION_MAX = 24 * 3600  # a video of a day; beyond, the column of another database may not hold it


class _UnitForm(forms.ModelForm):
    """What every kind of grain has: bounded numbers (a number too large for
    the column would be a server error on PostgreSQL)."""

    minutes = Unit._meta.get_field("minutes").formfield(min_value=1, max_value=MINUTES_MAX)


_UNIT_WIDGETS = {
    "body": forms.Textarea(attrs={"rows": 12}),
    "transcript": forms.Textarea(attrs={"rows": 12}),
    "minutes": forms.NumberInput(attrs={"min": 1, "max": 600}),
}


@typed_text
@_bounded(body=BODY_MAX)
class FicheForm(_UnitForm):
    class Meta:
        model = Unit
        formfield_callback = _https
        fields = ["title", "minutes", "required", "body"]
        widgets = _UNIT_WIDGETS
        labels = {"body": _("Text of the fiche (Markdown)")}
        help_texts = {"body": ""}
        error_messages = {"body": {"required": _("Write the text of the fiche.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].required = True  # a fiche is its text


@typed_text
@_bounded(transcript=BODY_MAX)
class VideoForm(_UnitForm):
    duration_seconds = Unit._meta.get_field("duration_seconds").formfield(
        min_value=1, max_value=DURATION_MAX
    )

    class Meta:
        model = Unit
        formfield_callback = _https
        fields = [
            "title",
            "minutes",
            "required",
            "video_url",
            "duration_seconds",
            "captions",
            "transcript",
        ]
        widgets = {
            **_UNIT_WIDGETS,
            "captions": forms.ClearableFileInput(attrs={"accept": ".vtt,text/vtt"}),
        }
        help_texts = {
            "transcript": _(
                "Everything that is said and shown, for people who cannot hear or "
                "play the video (Markdown)."
            ),
        }

    def clean(self):
        cleaned = super().clean()
        # The model's constraint: a video grain has a link or a file. The
        # studio takes links; a file uploaded by the platform's team stays.
        if (
            not cleaned.get("video_url")
            and not self.instance.video_file
            and not (self.errors.get("video_url"))
        ):
            self.add_error(
                "video_url",
                forms.ValidationError(_("Give the video's link."), code="required"),
            )
        return cleaned


@typed_text
@_bounded(body=BODY_MAX)
class QuizUnitForm(_UnitForm):
    class Meta:
        model = Unit
        formfield_callback = _https
        fields = ["title", "minutes", "required", "body"]
        widgets = {**_UNIT_WIDGETS, "body": forms.Textarea(attrs={"rows": 4})}
        labels = {"body": _("Introduction (optional, Markdown)")}
        help_texts = {"body": ""}


UNIT_FORMS = {
    Unit.Kind.FICHE: FicheForm,
    Unit.Kind.VIDEO: VideoForm,
    Unit.Kind.QUIZ: QuizUnitForm,
}


@typed_text
class RevisionNoteForm(forms.Form):
    """What changed in a revision of a published course: the committee reads
    it beside the changes, learners see it on the course page."""

    note = forms.CharField(
        label=_("What changed"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "For the committee and the learners: what you changed and why, in a few lines."
        ),
        error_messages={"required": _("Say what changed in this revision.")},
    )
