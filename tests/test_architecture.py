"""The app chain of DESIGN.md holds: learning_platform <- courses <- quizzes
<- progress <- badges, with the commons' faces above (studio <- committee).
The core of an app (models, services, selectors, receivers, signals, forms,
content loading, management commands...) never
imports an app above it; the faces (views, API views, page builders, URLs,
admin, template tags) compose across apps. ARCHITECTURE.md explains why."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAIN = ["learning_platform", "courses", "quizzes", "progress", "badges", "studio", "committee"]
# Modules of the composition layer, by file name (``*_views``, ``*_urls``, ``*_pages`` too).
FACES = {"views", "api", "api_urls", "urls", "pages", "admin"}


def is_face(path: Path) -> bool:
    name = path.stem
    return (
        name in FACES
        or name.endswith(("_views", "_urls", "_pages"))
        or "templatetags" in path.parts
    )


def upward_imports(app: str, source: str, filename: str = "<source>") -> list[str]:
    """The imports of ``source`` (a core module of ``app``) that reach an app
    above ``app`` in the chain, anywhere in the module (functions included)."""
    level = CHAIN.index(app)
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in CHAIN and CHAIN.index(top) > level:
                found.append(f"{filename}:{node.lineno} imports {name}")
    return found


def core_modules():
    for app in CHAIN:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or is_face(path):
                continue
            yield app, path


def test_no_core_module_imports_an_app_above_it():
    violations = []
    for app, path in core_modules():
        violations += upward_imports(app, path.read_text(), str(path.relative_to(ROOT)))
    assert violations == []


def test_the_core_list_covers_models_services_selectors_and_commands():
    names = {str(path.relative_to(ROOT)) for _app, path in core_modules()}
    assert {
        "courses/models.py",
        "quizzes/services.py",
        "progress/selectors.py",
        "badges/receivers.py",
        "quizzes/management/commands/load_content.py",
    } <= names
    assert "courses/views.py" not in names and "courses/pages.py" not in names


@pytest.mark.parametrize(
    ("app", "source", "caught"),
    [
        ("progress", "from badges.models import Assertion", True),
        ("courses", "def f():\n    from progress import selectors\n", True),
        ("learning_platform", "import quizzes.models", True),
        ("badges", "from progress.models import Enrolment", False),
        ("quizzes", "from courses.models import Unit\nfrom . import selectors", False),
        ("courses", "from django.db import models", False),
    ],
)
def test_the_check_catches_an_upward_import(app, source, caught):
    assert bool(upward_imports(app, source)) is caught
