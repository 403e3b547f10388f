import re

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import login_limits
from .inputs import IdChoiceField
from .models import User
from .selectors import email_taken
from .validators import typed_text


class _OneAccountPerAddressMixin:
    """An address another account has, in any case, is refused: it logs in
    and resets a password (the database holds the rule too)."""

    def clean_email(self):
        email = self.cleaned_data.get("email", "")
        if email_taken(email=email, by_other_than=self.instance):
            raise ValidationError(
                _("Another account already uses this e-mail address."), code="email_taken"
            )
        return email


@typed_text
class SignupForm(_OneAccountPerAddressMixin, UserCreationForm):
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        help_text=_("Only to reset your password if you forget it."),
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "display_name", "email")


@typed_text
class ProfileForm(_OneAccountPerAddressMixin, forms.ModelForm):
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


@typed_text
class LoginForm(_LimitedLoginMixin, AuthenticationForm):
    """The site's login form: a username or an e-mail address
    (learning_platform.backends)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.label = _("Username or e-mail")
        field.max_length = 254
        field.widget.attrs["maxlength"] = 254


@typed_text
class AdminLoginForm(_LimitedLoginMixin, AdminAuthenticationForm):
    """The admin's login form: the same limits, so the admin is no way around them."""


@typed_text
class ApiTokenForm(forms.Form):
    """Name a new personal API token (profile page)."""

    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What it is for, for example “My phone” or “Spreadsheet export”."),
    )


@typed_text
class CohortCodeForm(forms.Form):
    """The code a tutor gave, typed by a learner to join their group."""

    code = forms.CharField(label=_("Group code"), max_length=20)


class CohortConsentForm(forms.Form):
    """The learner agrees to what the group's tutors will see."""

    consent = forms.BooleanField(
        label=_("I have read what my tutors will see, and I agree."),
        error_messages={"required": _("Tick the box to join the group.")},
    )


@typed_text
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


# The tutor's workshop


NAME_MAX_LENGTH = 60
# Letters (any alphabet), digits, spaces, and the marks of names: - ' ’ .
_NAME = re.compile(r"^[^\W_](?:[^\W_]|[ .'’-])*$")


@typed_text
class CohortNameForm(forms.Form):
    name = forms.CharField(label=_("Name of the group"), max_length=200)

    def clean_name(self):
        # Control characters are refused by the field (typed_text).
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError(_("Give the group a name, without special characters."))
        return name


@typed_text
class CohortCreateForm(CohortNameForm):
    organisation = IdChoiceField(label=_("Organisation"), queryset=None, empty_label=None)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


@typed_text
class TutorAddForm(forms.Form):
    identifier = forms.CharField(label=_("Username or e-mail of the tutor"), max_length=254)


@typed_text
class AccountsCreateForm(forms.Form):
    """First names, one per line: one account each (learning_platform.start_codes)."""

    names = forms.CharField(
        label=_("First names, one per line"),
        help_text=_(
            "Add the first letter of the surname to tell two people apart, for example "
            "“Amina K.”. At most 30 names at once."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
        # Room for a pasted list longer than allowed, to say how long it is.
        max_length=10_000,
    )

    def clean_names(self):
        from .start_codes import MAX_ACCOUNTS_AT_ONCE

        names = [" ".join(line.split()) for line in self.cleaned_data["names"].splitlines()]
        names = [name for name in names if name]
        if not names:
            raise ValidationError(_("Enter at least one first name, one per line."))
        if len(names) > MAX_ACCOUNTS_AT_ONCE:
            raise ValidationError(
                _("At most %(max)d accounts at once: you entered %(count)d names.")
                % {"max": MAX_ACCOUNTS_AT_ONCE, "count": len(names)}
            )
        seen = set()
        for name in names:
            if len(name) > NAME_MAX_LENGTH or not _NAME.match(name):
                raise ValidationError(
                    _(
                        "“%(name)s” is not a name this form accepts: letters, spaces, "
                        "hyphens and apostrophes only, %(max)d characters at most."
                    )
                    % {"name": name[:NAME_MAX_LENGTH], "max": NAME_MAX_LENGTH}
                )
            if name.casefold() in seen:
                raise ValidationError(
                    _(
                        "“%(name)s” appears twice: add a letter of the surname to tell "
                        "them apart (for example “%(name)s K.”)."
                    )
                    % {"name": name}
                )
            seen.add(name.casefold())
        return names


@typed_text
class StartCodeForm(forms.Form):
    """First log-in (or a forgotten password) with the start code a tutor
    gave: the person chooses their password."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    code = forms.CharField(
        label=_("Start code"),
        max_length=20,
        help_text=_("On the card your tutor gave you, for example K7PM-Q3XA."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}
        ),
    )
    new_password1 = forms.CharField(
        label=_("Choose your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not too common."),
    )
    new_password2 = forms.CharField(
        label=_("Type it again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = None
        self.cohort = None

    def clean(self):
        from django.contrib.auth import password_validation

        from .start_codes import StartCodeError, start_code_redeem

        data = super().clean()
        username, code = data.get("username"), data.get("code")
        one, two = data.get("new_password1"), data.get("new_password2")
        if not (username and code and one and two):
            return data
        if one != two:
            self.add_error("new_password2", _("The two passwords are not the same."))
            return data
        try:
            password_validation.validate_password(one)
        except ValidationError as error:
            self.add_error("new_password1", error)
            return data
        address = login_limits.client_address(self.request)
        if login_limits.login_refused(username=username, address=address):
            minutes = login_limits.window_minutes()
            raise ValidationError(
                ngettext(
                    "Too many failed attempts. For your security, this is paused for"
                    " %(minutes)d minute. Try again later.",
                    "Too many failed attempts. For your security, this is paused for"
                    " %(minutes)d minutes. Try again later.",
                    minutes,
                ),
                code="too_many_attempts",
                params={"minutes": minutes},
            )
        try:
            self.user, self.cohort = start_code_redeem(username=username, code=code, password=one)
        except StartCodeError as error:
            login_limits.login_failure_record(username=username, address=address)
            raise ValidationError(error.message, code="invalid_code") from error
        login_limits.login_failures_clear(username=username)
        return data
