"""The committee's forms: a vote, a comment. They read what was typed;
the rules (a comment required to refuse, who may vote...) are the
services' (courses.services.vote_cast, review_comment_add)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import ReviewComment, Vote
from courses.services import NOTE_MAX
from learning_platform.inputs import IdChoiceField
from learning_platform.validators import typed_text

VOTE_CHOICES = [
    (Vote.Choice.VALIDATE, _("Validate")),
    (Vote.Choice.REQUEST_CHANGES, _("Ask for changes")),
    (Vote.Choice.REFUSE, _("Refuse")),
]


@typed_text
class VoteForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Your vote"),
        choices=VOTE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one: validate, ask for changes or refuse.")},
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required to request changes (which ones) or to refuse (why)."),
    )


@typed_text
class CommentForm(forms.Form):
    """A comment on the whole course (no grain), on a grain (``unit_slug``)
    or a reply (``parent``: a comment of this proposal)."""

    body = forms.CharField(
        label=_("Your comment"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write your comment.")},
    )
    unit_slug = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    parent = IdChoiceField(
        queryset=ReviewComment.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = ReviewComment.objects.filter(proposal=proposal)
        self.fields["parent"].error_messages["invalid_choice"] = _(
            "The comment you answer does not exist on this proposal."
        )
