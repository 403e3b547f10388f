from django import forms
from django.utils.translation import gettext_lazy as _

from learning_platform.validators import typed_text


@typed_text
class ClaimForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_(
            "Your badge is tied to this address (stored hashed in the badge): give one "
            "that an employer can ask you about."
        ),
    )


class ShowNameForm(forms.Form):
    show_name = forms.BooleanField(required=False)


@typed_text
class RecipientCheckForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address given by the holder"), max_length=254)


@typed_text
class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )
