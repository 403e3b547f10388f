from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import login_limits
from .models import User


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        help_text=_("Only to reset your password if you forget it."),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "display_name", "email")


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("display_name", "email")


class _LimitedLoginMixin:
    """Refuses the attempt, unchecked, once the account or the address has
    failed too often (learning_platform.login_limits); counts each failure."""

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username or not password:
            return super().clean()
        address = login_limits.client_address(self.request)
        if login_limits.login_refused(username=username, address=address):
            minutes = login_limits.window_minutes()
            raise ValidationError(
                ngettext(
                    "Too many failed attempts to log in. For your security, logging in is"
                    " paused for %(minutes)d minute. Try again later, or reset your password.",
                    "Too many failed attempts to log in. For your security, logging in is"
                    " paused for %(minutes)d minutes. Try again later, or reset your password.",
                    minutes,
                ),
                code="too_many_attempts",
                params={"minutes": minutes},
            )
        try:
            cleaned_data = super().clean()
        except ValidationError as error:
            if error.code == "invalid_login":
                login_limits.login_failure_record(username=username, address=address)
            raise
        login_limits.login_failures_clear(username=username)
        return cleaned_data


class LoginForm(_LimitedLoginMixin, AuthenticationForm):
    """The site's login form."""


class AdminLoginForm(_LimitedLoginMixin, AdminAuthenticationForm):
    """The admin's login form: the same limits, so the admin is no way around them."""


class ApiTokenForm(forms.Form):
    """Name a new personal API token (profile page)."""

    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What it is for, for example “My phone” or “Spreadsheet export”."),
    )


class CohortCodeForm(forms.Form):
    """The code a tutor gave, typed by a learner to join their group."""

    code = forms.CharField(label=_("Group code"), max_length=20)


class CohortConsentForm(forms.Form):
    """The learner agrees to what the group's tutors will see."""

    consent = forms.BooleanField(
        label=_("I have read what my tutors will see, and I agree."),
        error_messages={"required": _("Tick the box to join the group.")},
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and my progress will be deleted for good."),
        error_messages={"required": _("Tick the box to confirm.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This password is not right."))
        return password
