"""Text people type: control characters refused with a clear French
message, sizes bounded on every field and upload, and nothing changed.

Two walks keep the rule on every form and API body of the project, present
and future: each text field of each form class, and each text field of each
request serializer in the API schema, is bounded and carries the validator.
"""

import json

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import get_resolver, reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

from badges.forms import RevokeForm
from badges.models import Assertion, BadgeClass
from courses.models import Unit
from learning_platform.models import ApiToken, Cohort
from learning_platform.validators import (
    MaxFileSizeValidator,
    validate_multiline,
    validate_single_line,
)
from quizzes.models import AttemptAnswer, Question
from tests.bad_input.helpers import signup, users
from tests.factories import make_learner, make_question

pytestmark = pytest.mark.django_db

APPS = ("learning_platform", "courses", "quizzes", "progress", "badges", "studio")
TEXT_VALIDATORS = (validate_single_line, validate_multiline)
SINGLE_LINE_MESSAGE = "Retirez de ce texte les caractères invisibles"
MULTILINE_MESSAGE = "Retirez de ce texte les caractères de contrôle invisibles"

# One of each kind: NUL, a C0 control, tab, line feed, carriage return,
# escape, DEL, a C1 control (NEL), the line separator, a right-to-left
# override and an isolate.
CONTROLS = ["\x00", "\x01", "\t", "\n", "\r", "\x1b", "\x7f", "\x85", "\u2028", "\u202e", "\u2066"]
FINE = ["Zoé Éluard", "Amina K.", "O’Brien", "أمينة", "李小龙", "👩\u200d💻 Léa", "1\u202f000"]


@pytest.mark.parametrize("control", CONTROLS)
def test_a_one_line_text_refuses_every_control_character(control):
    for text in (control, f"Zoé{control}", f"{control}=1"):
        with pytest.raises(ValidationError) as excinfo:
            validate_single_line(text)
        assert excinfo.value.code == "control_characters"


@pytest.mark.parametrize("control", CONTROLS)
def test_a_multi_line_text_keeps_line_breaks_and_tabs_only(control):
    if control in "\t\n\r":
        validate_multiline(f"Ligne une{control}ligne deux")
    else:
        with pytest.raises(ValidationError):
            validate_multiline(f"Ligne une{control}")


@pytest.mark.parametrize("text", FINE)
def test_names_in_any_script_with_joiners_and_no_break_spaces_pass(text):
    validate_single_line(text)
    validate_multiline(text)


# Every form and API body


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _project_forms():
    get_resolver().resolve("/")  # imports every view, hence every form
    return sorted(
        {f for f in _subclasses(forms.BaseForm) if f.__module__.split(".")[0] in APPS},
        key=lambda f: f"{f.__module__}.{f.__name__}",
    )


def test_the_walk_finds_the_forms():
    names = {f.__name__ for f in _project_forms()}
    assert {"SignupForm", "ProfileForm", "LoginForm", "CatalogueFilterForm", "RevokeForm"} <= names
    assert {"AccountsCreateForm", "AddLearnerForm", "ApiTokenForm", "StartCodeForm"} <= names


@pytest.mark.parametrize("form_class", _project_forms(), ids=lambda f: f.__name__)
def test_every_text_field_of_every_form_is_bounded_and_refuses_control_characters(form_class):
    for name, field in form_class.base_fields.items():
        if not isinstance(field, forms.CharField):
            continue
        assert field.max_length, f"{form_class.__name__}.{name} has no maximum length"
        if isinstance(field.widget, forms.PasswordInput):
            continue  # hashed, never shown: any character may be part of it
        expected = validate_multiline if isinstance(field.widget, forms.Textarea) else None
        found = [v for v in field.validators if v in TEXT_VALIDATORS]
        assert found, f"{form_class.__name__}.{name} accepts control characters"
        assert expected is None or found == [expected]


def _request_serializers():
    generator = SchemaGenerator()
    generator.get_schema(request=None, public=True)
    return [
        component.object
        for (name, _kind), component in generator.registry._components.items()
        if name.endswith("Request") and isinstance(component.object, serializers.BaseSerializer)
    ]


def _text_fields(serializer, path=""):
    serializer = getattr(serializer, "child", serializer)
    for name, field in serializer.fields.items():
        field = getattr(field, "child", field)
        if isinstance(field, serializers.BaseSerializer):
            yield from _text_fields(field, f"{path}{name}.")
        elif isinstance(field, serializers.CharField) and not field.read_only:
            yield f"{path}{name}", field


def test_every_text_field_of_every_api_body_is_bounded_and_refuses_control_characters():
    fields = [pair for s in _request_serializers() for pair in _text_fields(s)]
    assert "answers.text" in {name for name, _field in fields}
    for name, field in fields:
        assert field.max_length, name
        assert any(v in TEXT_VALIDATORS for v in field.validators), name


# The pages: a clear message, and nothing changes


@pytest.mark.parametrize("control", ["\t", "\x1b", "\u202e", "\x85"])
def test_a_display_name_with_a_control_character_is_refused_at_signup(client, control):
    before = users()
    response = signup(client, display_name=f"Léa{control}=1")
    assert response.status_code == 200
    assert SINGLE_LINE_MESSAGE in response.content.decode()
    assert users() == before


def test_a_display_name_with_a_control_character_is_refused_on_the_profile(client, learner):
    client.force_login(learner)
    before = users()
    response = client.post(reverse("profile"), {"display_name": "\u202eevil", "email": ""})
    assert SINGLE_LINE_MESSAGE in response.content.decode()
    assert users() == before


def test_a_token_name_with_a_control_character_is_refused(client, learner):
    client.force_login(learner)
    response = client.post(reverse("api_token_create"), {"token-name": "Télé\r\nphone"})
    assert SINGLE_LINE_MESSAGE in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_group_name_with_a_control_character_is_refused(client, tutor):
    cohort = tutor.tutored_cohorts.get()
    client.force_login(tutor)
    response = client.post(
        reverse("tutor:cohort_settings", args=[cohort.pk]), {"name": "Mardi\t=1"}
    )
    assert SINGLE_LINE_MESSAGE in response.content.decode()
    assert Cohort.objects.get(pk=cohort.pk).name == cohort.name


def test_a_search_with_a_control_character_is_reported_and_ignored(client):
    response = client.get(reverse("courses:catalogue"), {"q": "mot\x1bde passe"})
    assert response.status_code == 200
    assert SINGLE_LINE_MESSAGE in response.content.decode()


def test_a_revocation_reason_keeps_its_lines_and_refuses_other_controls():
    assert RevokeForm({"reason": "Fraude.\r\nVoir le dossier."}).is_valid()
    form = RevokeForm({"reason": "Fraude\x1b"})
    assert not form.is_valid()
    assert MULTILINE_MESSAGE in str(form.errors)


@pytest.mark.parametrize("control", ["\x07", "\u2028", "\t"])
def test_a_short_answer_with_a_control_character_is_refused_and_changes_nothing(
    client, world, control
):
    question = make_question(world.quiz, kind=Question.Kind.SHORT_TEXT, accepted_answers=["x"])
    attempt = world.attempt
    attempt.drawn = [*attempt.drawn, {"question": question.pk, "choices": []}]
    attempt.save(update_fields=["drawn"])
    client.force_login(world.learner)
    page = client.post(
        reverse("quizzes:submit", args=[attempt.pk]), {f"q-{question.pk}": f"x{control}y"}
    )
    assert page.status_code == 422
    assert SINGLE_LINE_MESSAGE in page.content.decode()
    api = client.post(
        reverse("api:attempt-submit", args=[attempt.pk]),
        json.dumps({"answers": [{"question": question.pk, "text": f"x{control}y"}]}),
        content_type="application/json",
    )
    assert api.status_code == 400
    assert SINGLE_LINE_MESSAGE in api.json()["errors"]["answers.0.text"][0]
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and not AttemptAnswer.objects.exists()


# Uploads


def test_an_upload_at_the_limit_passes_and_one_byte_more_is_refused():
    validator = MaxFileSizeValidator(10)
    validator(SimpleUploadedFile("a.png", b"x" * 10))
    with pytest.raises(ValidationError) as excinfo:
        validator(SimpleUploadedFile("a.png", b"x" * 11))
    assert "trop lourd" in excinfo.value.messages[0]


@pytest.mark.parametrize(
    ("model", "field"),
    [(BadgeClass, "image"), (Unit, "video_file"), (Unit, "captions")],
)
def test_every_upload_field_is_bounded(model, field):
    validators = model._meta.get_field(field).validators
    assert any(isinstance(v, MaxFileSizeValidator) for v in validators)


def test_every_file_field_of_the_project_is_in_the_list_above():
    found = {
        (m.__name__, f.name)
        for m in apps.get_models()
        if m._meta.app_label in APPS
        for f in m._meta.get_fields()
        if isinstance(f, models.FileField)
    }
    assert found == {("BadgeClass", "image"), ("Unit", "video_file"), ("Unit", "captions")}


def test_an_assertion_revocation_reason_is_bounded_and_checked():
    field = Assertion._meta.get_field("revocation_reason")
    assert field.max_length and validate_multiline in field.validators


def test_make_learner_is_still_usable_with_any_display_name():
    """Models refuse nothing on save: rows written before the rule stay readable."""
    assert make_learner(display_name="=old\tname").display_name == "=old\tname"
