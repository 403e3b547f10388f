"""The one way to read an integer that a request carries: in a URL, a form
field, a query string or an API payload.

Only ASCII digits, within the range of the column the number is looked up
in; anything else is "no number". ``str.isdigit()`` is no test: it is True
for "²" (which ``int()`` refuses) and for "٣" (which ``int()`` reads as 3),
and ``int()`` refuses text of more than 4,300 digits; a number past the
column's range reaches the ORM and the database driver raises. Callers turn
"no number" into the answer that fits: a 404 for a path (``IdConverter``),
a form or API field error with a French message (``IdChoiceField``,
``ApiIdField``), or "ignored" for a query-string option.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

# The largest value of a signed 64-bit column (BigAutoField, BigIntegerField):
# every id of the platform fits in it; PositiveIntegerField and the smaller
# ones pass their own maximum.
ID_MAX = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")  # not \d, which matches "٣"


def parse_int(value, *, minimum: int = 0, maximum: int = ID_MAX) -> int | None:
    """``value`` (text of ASCII digits, surrounding spaces allowed, or an int)
    as an int within [minimum, maximum], else None. Never raises."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if minimum <= number <= maximum else None


def parse_id(value) -> int | None:
    """A primary key (1 to 2**63 - 1) from ``value``, else None."""
    return parse_int(value, minimum=1)


def page_number(value) -> int:
    """A page number from a query string: 1 unless ``value`` reads as one
    (a page past the end is for the paginator: ``get_page`` shows the last)."""
    return parse_int(value, minimum=1) or 1


class IdConverter:
    """The path converter ``<id:name>``, registered in
    ``LearningPlatformConfig.ready``: a primary key, or the pattern does not
    match (a 404, before any query)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(value)  # Django's cue that the path does not match
        return number

    def to_url(self, value) -> str:
        return str(value)


INVALID_CHOICE = _("Choose one of the options offered: this one is not among them.")


class IdChoiceField(forms.ModelChoiceField):
    """A ``ModelChoiceField`` whose value is read by ``parse_id`` before the
    query: "٣", "²", 2**63 or 5,000 digits are "not among the choices"."""

    default_error_messages = {"invalid_choice": INVALID_CHOICE}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not isinstance(value, self.queryset.model) and parse_id(value) is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class ApiIdField(serializers.IntegerField):
    """An id in an API payload: a JSON integer, or text of ASCII digits,
    from 1 to 2**63 - 1; anything else (a float, true, "٣") is invalid."""

    default_error_messages = {"invalid": _("Give an id: a whole number from 1 upwards.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not (isinstance(data, int) or parse_int(data) is not None):
            self.fail("invalid")
        return super().to_internal_value(data)  # then min_value and max_value
