"""What templates may print unescaped, and what the Content Security Policy
would block (issue #6). Read from the template files themselves, so a new
template is checked the day it is written."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from courses.markup import render_markdown
from courses.models import Unit
from tests.factories import make_course, make_question, make_quiz, make_unit

BASE_DIR = Path(settings.BASE_DIR)


def _template_files() -> list[Path]:
    folders = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    folders += [
        Path(config.path) / "templates"
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(BASE_DIR) and ".venv" not in Path(config.path).parts
    ]
    return sorted(p for folder in folders if folder.is_dir() for p in folder.rglob("*.*"))


TEMPLATES = _template_files()
IDS = [str(p.relative_to(BASE_DIR)) for p in TEMPLATES]

# Any way of marking a value safe, and the one accepted: {{ x.y_html|safe }}.
_ANY_SAFE = re.compile(r"\|\s*safe(seq)?\b|\{%\s*filter\s[^%]*\bsafe")
_SANITISED_SAFE = re.compile(r"\{\{\s*[\w.]*\w_html\s*\|\s*safe\s*\}\}")


def unsanitised_safe_uses(source: str) -> list[str]:
    return [m.group(0) for m in _ANY_SAFE.finditer(_SANITISED_SAFE.sub("", source))]


# Plain-text e-mail bodies: nothing is rendered as HTML, so nothing to escape.
AUTOESCAPE_OFF_ALLOWED = {"registration/password_reset_email.html"}


def test_templates_are_found():
    names = {p.name for p in TEMPLATES}
    assert {"base.html", "unit.html", "_attempt_result.html", "login.html"} <= names


@pytest.mark.parametrize("path", TEMPLATES, ids=IDS)
def test_safe_is_used_only_on_sanitised_html_fields(path):
    assert unsanitised_safe_uses(path.read_text()) == []


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("{{ unit.body_html|safe }}", False),
        ("{{ row.prompt_html | safe }}", False),
        ("{{ field.help_text|safe }}", True),
        ("{{ unit.body_html|linebreaks|safe }}", True),
        ("{{ items|safeseq }}", True),
        ("{% filter safe %}{{ x }}{% endfilter %}", True),
        ("{% with x=y|safe %}{% endwith %}", True),
    ],
)
def test_safe_checker_tells_sanitised_fields_from_the_rest(source, found):
    assert bool(unsanitised_safe_uses(source)) is found


def _root(path: Path) -> Path:
    return next(parent for parent in path.parents if parent.name == "templates")


@pytest.mark.parametrize("path", TEMPLATES, ids=IDS)
def test_autoescape_stays_on_in_html_templates(path):
    if path.suffix == ".txt" or str(path.relative_to(_root(path))) in AUTOESCAPE_OFF_ALLOWED:
        return
    assert not re.search(r"\{%\s*autoescape\s+off", path.read_text())


def test_every_html_field_is_derived_from_its_markdown_source():
    """What templates print with |safe is the cached output of render_markdown:
    never edited directly, always beside the field it comes from."""
    html_fields = [
        (model, field)
        for model in apps.get_models()
        if Path(apps.get_app_config(model._meta.app_label).path).is_relative_to(BASE_DIR)
        for field in model._meta.get_fields()
        if field.name.endswith("_html")
    ]
    assert len(html_fields) >= 6
    for model, field in html_fields:
        assert not field.editable, f"{model.__name__}.{field.name}"
        source = field.name.removesuffix("_html")
        assert model._meta.get_field(source), f"{model.__name__}.{source}"


PAYLOAD = "<script>alert(1)</script> **x** [y](javascript:alert(1))"


@pytest.mark.django_db
def test_html_fields_hold_what_the_sanitiser_renders():
    course = make_course(description=PAYLOAD)
    unit = make_unit(course, kind=Unit.Kind.VIDEO, body=PAYLOAD, transcript=PAYLOAD)
    question = make_question(
        make_quiz(course),
        prompt=PAYLOAD,
        explanation=PAYLOAD,
        choices=[(PAYLOAD, True, PAYLOAD)],
    )
    choice = question.choices.get()
    expected = render_markdown(PAYLOAD)
    assert "<script" not in expected and "javascript:" not in expected

    for instance, field in [
        (course, "description_html"),
        (unit, "body_html"),
        (unit, "transcript_html"),
        (question, "prompt_html"),
        (question, "explanation_html"),
        (choice, "feedback_html"),
    ]:
        instance.refresh_from_db()
        assert getattr(instance, field) == expected, field


# What the policy (script-src 'self', style-src 'self') would silently block.
_CSP_BLOCKED = {
    "inline <script>": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I),
    "<style> element": re.compile(r"<style\b", re.I),
    "style= attribute": re.compile(r"""[\s"']style\s*=""", re.I),
    "on*= event handler": re.compile(r"""[\s"']on[a-z]+\s*=""", re.I),
    "hx-on (needs eval)": re.compile(r"\bhx-on", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


@pytest.mark.parametrize("path", [p for p in TEMPLATES if p.suffix == ".html"], ids=str)
def test_no_inline_script_style_or_handler(path):
    source = path.read_text()
    if str(path.relative_to(_root(path))) in AUTOESCAPE_OFF_ALLOWED:
        return  # a plain-text e-mail
    found = [name for name, pattern in _CSP_BLOCKED.items() if pattern.search(source)]
    assert not found, found
