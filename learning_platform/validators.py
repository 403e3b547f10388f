"""The validators of what people type and upload, shared by every form,
API serializer and model field that takes it.

Text: control characters are refused with a clear message rather than
stored: a tab or a carriage return at the start of a name runs as a formula
in a spreadsheet export, a line break breaks a one-line display, a NUL
breaks PostgreSQL, and the bidirectional overrides (U+202A-U+202E,
U+2066-U+2069) make a name read backwards. A multi-line text (a textarea)
keeps its line breaks and tabs.

Files: each upload is bounded by a validator of its size. Django's
DATA_UPLOAD_MAX_MEMORY_SIZE bounds a request's fields but not its files,
and FILE_UPLOAD_MAX_MEMORY_SIZE only decides when a file goes to disk.
"""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LINE_BREAKS = frozenset("\n\r\t")  # what a textarea may hold


def _is_control(ch: str, *, multiline: bool) -> bool:
    if multiline and ch in _LINE_BREAKS:
        return False
    return (
        unicodedata.category(ch) in ("Cc", "Zl", "Zp")  # C0, DEL, C1; line/paragraph separators
        or ch in _BIDI_CONTROLS
    )


def has_control_characters(value: str, *, multiline: bool = False) -> bool:
    return any(_is_control(ch, multiline=multiline) for ch in value)


def validate_single_line(value: str) -> None:
    """A one-line text: no control character at all, tab and line breaks included."""
    if has_control_characters(value):
        raise ValidationError(
            _(
                "Remove the invisible characters from this text (a tab, a line break "
                "or another control character): they are not allowed here."
            ),
            code="control_characters",
        )


def validate_multiline(value: str) -> None:
    """A multi-line text: line breaks and tabs, but no other control character."""
    if has_control_characters(value, multiline=True):
        raise ValidationError(
            _(
                "Remove the invisible control characters from this text: only line breaks "
                "and tabs are allowed."
            ),
            code="control_characters",
        )


@deconstructible
class MaxFileSizeValidator:
    """An uploaded file of at most ``limit`` bytes."""

    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, file) -> None:
        if file is None or getattr(file, "_committed", False):
            return  # a file stored already was checked when it came in
        if file.size is not None and file.size > self.limit:
            raise ValidationError(
                _("This file is too large (%(size)s): at most %(limit)s.")
                % {"size": filesizeformat(file.size), "limit": filesizeformat(self.limit)},
                code="file_too_large",
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, MaxFileSizeValidator) and other.limit == self.limit


# The uploads there are, all through the admin: a badge's image, a grain's
# video and its captions. The web server in front should bound a request's
# body too (a file is refused here only once it has been received).
BADGE_IMAGE_MAX = 2 * 1024 * 1024
VIDEO_MAX = 500 * 1024 * 1024
CAPTIONS_MAX = 1024 * 1024


# Forms

TEXT_VALIDATORS = (validate_single_line, validate_multiline)
# Bounds for the text fields that set none (Django's password fields): a
# password of a million characters is still hashed, a pasted text shown.
DEFAULT_MAX_LENGTH = 1_000
PASSWORD_MAX_LENGTH = 4_096


def typed_text(form_class):
    """Class decorator of a form: every text field it declares gets the
    control-character validator (multi-line for a textarea, none for a
    password, which is never shown) and a maximum length if it has none.
    Fields are copied first: a field inherited from Django's forms is not
    changed for every other form that uses it. Model fields carry their
    own validators (the model's ``validators=``); tests/bad_input checks
    that every form of the project holds both."""
    for name, field in list(form_class.base_fields.items()):
        if not isinstance(field, forms.CharField):
            continue
        field = form_class.base_fields[name] = field.__deepcopy__({})
        password = isinstance(field.widget, forms.PasswordInput)
        if field.max_length is None:
            field.max_length = PASSWORD_MAX_LENGTH if password else DEFAULT_MAX_LENGTH
            field.validators.append(MaxLengthValidator(field.max_length))
            field.widget.attrs.setdefault("maxlength", str(field.max_length))
        if password or any(v in TEXT_VALIDATORS for v in field.validators):
            continue
        multiline = isinstance(field.widget, forms.Textarea)
        field.validators.append(validate_multiline if multiline else validate_single_line)
    return form_class
