from django import forms
from django.utils.translation import gettext_lazy as _

from learning_platform.validators import typed_text

from .models import CompetenceArea, Course


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
