"""manage.py load_content: course folders (content/README.md) checked as a
whole, then loaded in place, or nothing loaded at all."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from courses.models import Course, Unit
from progress.models import UnitCompletion
from quizzes.models import Attempt, AttemptAnswer, Choice, Question, Quiz
from quizzes.services import attempt_start, attempt_submit
from tests.factories import right_answers

pytestmark = pytest.mark.django_db

COURSE = """\
---
title: Sécuriser ses comptes
slug: {slug}
level: beginner
language: {language}
licence: CC-BY-4.0
authors:
  - Équipe pédagogique
  - Ada
competences: ["4.2", "4.1"]
status: published
summary: >
  Des mots de passe solides et un gestionnaire.
---
Ce parcours montre **comment** protéger ses comptes.
"""

FICHE = """\
---
kind: fiche
title: Un bon mot de passe
minutes: 6
---
# Longueur

Un mot de passe **long** vaut mieux qu'un mot de passe compliqué.
"""

VIDEO = """\
---
kind: video
title: Le gestionnaire en 3 minutes
minutes: 4
video_url: https://www.youtube.com/watch?v=dQw4w9WgXcQ
duration: 185
---
Dans cette vidéo, on installe un gestionnaire.
"""

QUIZ = """\
---
kind: quiz
title: "Quiz : mots de passe"
minutes: 8
pass_mark: 70
attempts_allowed: 3
shuffle_questions: false
shuffle_choices: false
feedback: after_submit
questions:
  - key: longueur
    kind: single
    competence: "4.2"
    prompt: Quel mot de passe est le plus solide ?
    explanation: La longueur compte le plus.
    choices:
      - text: cheval-agrafe-batterie-correct
        correct: true
        feedback: Long et facile à retenir.
      - text: P@ss1
        correct: false
        feedback: Trop court.
  - key: bonnes-pratiques
    kind: multiple
    points: 2
    prompt: Quelles pratiques protègent vos comptes ?
    choices:
      - text: Un gestionnaire de mots de passe
        correct: true
      - text: La double authentification
        correct: true
      - text: Le même mot de passe partout
        correct: false
  - key: reutilisation
    kind: true_false
    prompt: On peut réutiliser un mot de passe sur deux sites.
    answer: false
    feedback_true: Non, une fuite suffirait.
    feedback_false: Exact.
  - key: sigle
    kind: short_text
    prompt: Quel sigle désigne la double authentification ?
    accepted: ["2FA", "A2F"]
  - key: longueur-minimale
    kind: numeric
    prompt: Combien de caractères au minimum recommande l'ANSSI ?
    answer: 12
    tolerance: 0
---
Testez vos connaissances.
"""


FICHE_FILE = "01-un-bon-mot-de-passe.md"
VIDEO_FILE = "02-video-gestionnaire.md"
QUIZ_FILE = "03-quiz.md"


def course_files(slug: str = "securiser-ses-comptes", language: str = "fr") -> dict[str, str]:
    return {
        "course.md": COURSE.format(slug=slug, language=language),
        FICHE_FILE: FICHE,
        VIDEO_FILE: VIDEO,
        QUIZ_FILE: QUIZ,
    }


def write_course(root: Path, files: dict[str, str], folder: str | None = None) -> Path:
    folder_path = root / (folder or _slug_of(files))
    folder_path.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder_path / name).write_text(text, encoding="utf-8")
    return folder_path


def _slug_of(files: dict[str, str]) -> str:
    line = next(line for line in files["course.md"].splitlines() if line.startswith("slug:"))
    return line.split(":", 1)[1].strip()


def load(path: Path, *args: str) -> tuple[str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("load_content", str(path), *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def load_failing(path: Path, *args: str) -> tuple[CommandError, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("load_content", str(path), *args, stdout=stdout, stderr=stderr)
    return excinfo.value, stderr.getvalue()


def snapshot() -> dict:
    """Every loaded row, with its id and last change."""
    return {
        model.__name__: sorted(model.objects.values_list("id", "updated_at"))
        for model in (Course, Unit, Quiz, Question)
    } | {
        "Choice": sorted(
            Choice.objects.values_list("id", "position", "text", "is_correct", "feedback")
        )
    }


def assert_nothing_loaded():
    assert Course.objects.count() == 0
    assert Unit.objects.count() == 0
    assert Quiz.objects.count() == 0
    assert Question.objects.count() == 0


# A valid course


def test_valid_course_is_loaded(tmp_path):
    write_course(tmp_path, course_files())

    stdout, stderr = load(tmp_path)

    assert "1 course(s) loaded: 1 created, 0 updated, 0 unchanged" in stdout
    assert stderr == ""
    course = Course.objects.get(slug="securiser-ses-comptes")
    assert course.title == "Sécuriser ses comptes"
    assert course.level == Course.Level.BEGINNER
    assert course.language == "fr"
    assert course.licence == Course.Licence.CC_BY_4
    assert course.credits == "Équipe pédagogique, Ada"
    assert course.status == Course.Status.PUBLISHED
    assert course.published_at is not None
    assert course.summary.strip() == "Des mots de passe solides et un gestionnaire."
    assert (
        course.description_html
        == "<p>Ce parcours montre <strong>comment</strong> protéger ses comptes.</p>"
    )
    assert sorted(course.competences.values_list("code", flat=True)) == ["4.1", "4.2"]


def test_units_are_loaded_in_file_order(tmp_path):
    write_course(tmp_path, course_files())

    load(tmp_path)

    units = list(Course.objects.get().units.order_by("position"))
    assert [(u.position, u.slug, u.kind, u.minutes) for u in units] == [
        (1, "un-bon-mot-de-passe", Unit.Kind.FICHE, 6),
        (2, "video-gestionnaire", Unit.Kind.VIDEO, 4),
        (3, "quiz", Unit.Kind.QUIZ, 8),
    ]
    fiche, video, quiz_unit = units
    assert fiche.body_html.startswith("<h2>Longueur</h2>")
    assert video.video_url == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert video.duration_seconds == 185
    assert video.body == ""
    assert video.transcript_html == "<p>Dans cette vidéo, on installe un gestionnaire.</p>"
    assert quiz_unit.body_html == "<p>Testez vos connaissances.</p>"


def test_quiz_is_loaded_with_its_questions_and_choices(tmp_path):
    write_course(tmp_path, course_files())

    load(tmp_path)

    quiz = Quiz.objects.get(unit__slug="quiz")
    assert (quiz.pass_mark, quiz.attempts_allowed, quiz.questions_per_attempt) == (70, 3, None)
    assert (quiz.shuffle_questions, quiz.shuffle_choices, quiz.feedback) == (
        False,
        False,
        "after_submit",
    )
    questions = list(quiz.questions.order_by("position"))
    assert [(q.key, q.kind, q.points) for q in questions] == [
        ("longueur", "single", 1),
        ("bonnes-pratiques", "multiple", 2),
        ("reutilisation", "true_false", 1),
        ("sigle", "short_text", 1),
        ("longueur-minimale", "numeric", 1),
    ]
    single, multiple, _true_false, short_text, numeric = questions
    assert single.competence.code == "4.2"
    assert single.explanation_html == "<p>La longueur compte le plus.</p>"
    assert list(single.choices.values_list("position", "text", "is_correct", "feedback")) == [
        (1, "cheval-agrafe-batterie-correct", True, "Long et facile à retenir."),
        (2, "P@ss1", False, "Trop court."),
    ]
    assert list(multiple.choices.values_list("is_correct", flat=True)) == [True, True, False]
    assert short_text.accepted_answers == ["2FA", "A2F"]
    assert not short_text.choices.exists()
    assert numeric.numeric_answer == 12
    assert numeric.tolerance == 0


def test_true_false_question_gets_vrai_and_faux_in_a_french_course(tmp_path):
    write_course(tmp_path, course_files(language="fr"))

    load(tmp_path)

    question = Question.objects.get(key="reutilisation")
    assert list(question.choices.values_list("text", "is_correct", "feedback")) == [
        ("Vrai", False, "Non, une fuite suffirait."),
        ("Faux", True, "Exact."),
    ]


def test_true_false_question_gets_true_and_false_in_an_english_course(tmp_path):
    write_course(tmp_path, course_files(language="en"))

    load(tmp_path)

    question = Question.objects.get(key="reutilisation")
    assert list(question.choices.values_list("text", "is_correct")) == [
        ("True", False),
        ("False", True),
    ]


def test_several_courses_in_nested_folders_are_loaded(tmp_path):
    write_course(tmp_path / "securite", course_files(slug="cours-a"))
    write_course(tmp_path / "communication", course_files(slug="cours-b"))

    stdout, _ = load(tmp_path)

    assert "2 course(s) loaded: 2 created" in stdout
    assert set(Course.objects.values_list("slug", flat=True)) == {"cours-a", "cours-b"}


# Loading again


def test_loading_the_same_files_twice_changes_nothing(tmp_path):
    write_course(tmp_path, course_files())
    load(tmp_path)
    before = snapshot()

    stdout, _ = load(tmp_path)

    assert "1 course(s) loaded: 0 created, 0 updated, 1 unchanged (0 grain(s) removed)" in stdout
    assert snapshot() == before


def test_editing_a_fiche_updates_it_in_place(tmp_path):
    files = course_files()
    folder = write_course(tmp_path, files)
    load(tmp_path)
    fiche = Unit.objects.get(slug="un-bon-mot-de-passe")
    untouched = Unit.objects.get(slug="video-gestionnaire")

    (folder / FICHE_FILE).write_text(FICHE.replace("**long**", "*très long*"), encoding="utf-8")
    stdout, _ = load(tmp_path)

    assert "0 created, 1 updated, 0 unchanged" in stdout
    edited = Unit.objects.get(slug="un-bon-mot-de-passe")
    assert edited.pk == fiche.pk
    assert "<em>très long</em>" in edited.body_html
    assert edited.updated_at > fiche.updated_at
    assert Unit.objects.get(slug="video-gestionnaire").updated_at == untouched.updated_at


def test_editing_a_quiz_keeps_learners_completions_and_attempts(tmp_path, learner):
    folder = write_course(tmp_path, course_files())
    load(tmp_path)
    fiche = Unit.objects.get(slug="un-bon-mot-de-passe")
    UnitCompletion.objects.create(learner=learner, unit=fiche)
    quiz = Quiz.objects.get()
    attempt = attempt_start(learner=learner, quiz=quiz)
    attempt_submit(learner=learner, attempt=attempt, answers=right_answers(attempt))
    answers_before = sorted(AttemptAnswer.objects.values_list("id", "question_id"))
    choice_ids_before = sorted(Choice.objects.values_list("id", flat=True))

    edited = QUIZ.replace("Quel mot de passe est le plus solide ?", "Lequel est le plus solide ?")
    edited = edited.replace("pass_mark: 70", "pass_mark: 80")
    (folder / QUIZ_FILE).write_text(edited, encoding="utf-8")
    (folder / FICHE_FILE).write_text(FICHE + "\nUne phrase de plus.\n", encoding="utf-8")
    stdout, _ = load(tmp_path)

    assert "1 updated" in stdout
    assert Quiz.objects.get().pk == quiz.pk
    assert Quiz.objects.get().pass_mark == 80
    assert Question.objects.get(key="longueur").prompt == "Lequel est le plus solide ?"
    assert UnitCompletion.objects.filter(learner=learner, unit_id=fiche.pk).exists()
    assert Attempt.objects.filter(pk=attempt.pk, learner=learner, passed=True).exists()
    assert sorted(AttemptAnswer.objects.values_list("id", "question_id")) == answers_before
    assert sorted(Choice.objects.values_list("id", flat=True)) == choice_ids_before


def test_editing_only_a_question_reports_the_course_as_updated(tmp_path):
    folder = write_course(tmp_path, course_files())
    load(tmp_path)

    (folder / QUIZ_FILE).write_text(QUIZ.replace('accepted: ["2FA", "A2F"]', 'accepted: ["2FA"]'))
    stdout, _ = load(tmp_path)

    assert "0 created, 1 updated, 0 unchanged" in stdout
    assert Question.objects.get(key="sigle").accepted_answers == ["2FA"]


def test_grain_whose_file_is_gone_is_removed(tmp_path):
    folder = write_course(tmp_path, course_files())
    load(tmp_path)

    (folder / VIDEO_FILE).unlink()
    stdout, _ = load(tmp_path)

    assert "(1 grain(s) removed)" in stdout
    assert list(Unit.objects.values_list("slug", flat=True).order_by("position")) == [
        "un-bon-mot-de-passe",
        "quiz",
    ]


def test_question_removed_from_the_file_is_removed(tmp_path):
    folder = write_course(tmp_path, course_files())
    load(tmp_path)

    quiz_without_numeric = (
        QUIZ.split("  - key: longueur-minimale")[0] + "---\nTestez vos connaissances.\n"
    )
    (folder / QUIZ_FILE).write_text(quiz_without_numeric, encoding="utf-8")
    load(tmp_path)

    assert not Question.objects.filter(key="longueur-minimale").exists()
    assert Question.objects.count() == 4


def test_changing_only_competences_reports_the_course_as_updated(tmp_path):
    files = course_files()
    folder = write_course(tmp_path, files)
    load(tmp_path)

    (folder / "course.md").write_text(
        files["course.md"].replace('["4.2", "4.1"]', '["4.2"]'), encoding="utf-8"
    )
    stdout, _ = load(tmp_path)

    assert list(Course.objects.get().competences.values_list("code", flat=True)) == ["4.2"]
    assert "1 updated" in stdout


# One wrong file loads nothing

# name: (file, text replaced, replacement, field named in the error)
WRONG_FILES = {
    "unknown-level": ("course.md", "level: beginner", "level: expert", "level"),
    "missing-course-title": ("course.md", "title: Sécuriser ses comptes\n", "", "title"),
    "unknown-competence": ("course.md", '["4.2", "4.1"]', '["4.2", "9.9"]', "competences"),
    "no-author": ("course.md", "  - Équipe pédagogique\n  - Ada\n", "", "authors"),
    "unknown-course-field": ("course.md", "status:", "statut: published\nstatus:", "statut"),
    "invalid-yaml": (FICHE_FILE, "minutes: 6", "minutes: [6", "front matter"),
    "missing-grain-title": (FICHE_FILE, "title: Un bon mot de passe\n", "", "title"),
    "zero-minutes": (FICHE_FILE, "minutes: 6", "minutes: 0", "minutes"),
    "empty-fiche": (FICHE_FILE, FICHE.split("---\n", 2)[2], "", "body"),
    "video-host-not-allowed": (
        VIDEO_FILE,
        "https://www.youtube.com/",
        "https://evil.example/",
        "video_url",
    ),
    "video-on-http": (
        VIDEO_FILE,
        "https://www.youtube.com/",
        "http://www.youtube.com/",
        "video_url",
    ),
    "video-without-transcript": (VIDEO_FILE, VIDEO.split("---\n", 2)[2], "", "transcript"),
    "single-with-two-correct": (
        QUIZ_FILE,
        "        correct: false\n        feedback: Trop court.",
        "        correct: true",
        "questions[1].choices",
    ),
    "question-unknown-competence": (
        QUIZ_FILE,
        'competence: "4.2"',
        'competence: "7.1"',
        "questions[1].competence",
    ),
    "short-text-without-accepted": (
        QUIZ_FILE,
        '    accepted: ["2FA", "A2F"]\n',
        "",
        "questions[4].accepted",
    ),
    "numeric-without-answer": (QUIZ_FILE, "    answer: 12\n", "", "questions[5].answer"),
    "true-false-without-answer": (QUIZ_FILE, "    answer: false\n", "", "questions[3].answer"),
    "duplicate-question-key": (QUIZ_FILE, "key: sigle", "key: longueur", "questions[4].key"),
    "unknown-question-kind": (QUIZ_FILE, "kind: numeric", "kind: essay", "questions[5].kind"),
    "pass-mark-over-100": (QUIZ_FILE, "pass_mark: 70", "pass_mark: 120", "pass_mark"),
}


@pytest.mark.parametrize("file_name, old, new, field", WRONG_FILES.values(), ids=WRONG_FILES.keys())
def test_one_wrong_file_loads_nothing_and_names_file_and_field(
    tmp_path, file_name, old, new, field
):
    # The valid course comes first, so nothing may be loaded before the wrong file is read.
    write_course(tmp_path, course_files(slug="cours-valide"), folder="a-valide")
    broken = course_files(slug="cours-casse")
    assert old in broken[file_name]
    broken[file_name] = broken[file_name].replace(old, new)
    folder = write_course(tmp_path, broken, folder="b-casse")

    error, stderr = load_failing(tmp_path)

    assert f"{folder / file_name}: {field}: " in stderr
    assert "nothing was loaded" in str(error)
    assert_nothing_loaded()


def test_wrong_file_on_reload_leaves_the_loaded_course_as_it_was(tmp_path):
    folder = write_course(tmp_path, course_files())
    load(tmp_path)
    before = snapshot()

    (folder / FICHE_FILE).write_text(FICHE.replace("Un mot de passe", "Changé"), encoding="utf-8")
    (folder / QUIZ_FILE).write_text(
        QUIZ.replace("pass_mark: 70", "pass_mark: -1"), encoding="utf-8"
    )
    load_failing(tmp_path)

    assert snapshot() == before


def test_every_error_is_reported_not_only_the_first(tmp_path):
    files = course_files()
    files["course.md"] = files["course.md"].replace("level: beginner", "level: expert")
    files[QUIZ_FILE] = QUIZ.replace("kind: numeric", "kind: essay")
    folder = write_course(tmp_path, files)

    error, stderr = load_failing(tmp_path)

    assert f"{folder / 'course.md'}: level: " in stderr
    assert f"{folder / QUIZ_FILE}: questions[5].kind: " in stderr
    assert str(error).startswith("2 error(s)")


def test_grain_file_with_a_bad_name_is_refused(tmp_path):
    files = course_files()
    files["Fiche en plus.md"] = FICHE
    folder = write_course(tmp_path, files)

    _, stderr = load_failing(tmp_path)

    assert f"{folder / 'Fiche en plus.md'}: file name: " in stderr
    assert_nothing_loaded()


def test_two_courses_with_the_same_slug_are_refused(tmp_path):
    write_course(tmp_path, course_files(slug="meme-slug"), folder="un")
    write_course(tmp_path, course_files(slug="meme-slug"), folder="deux")

    _, stderr = load_failing(tmp_path)

    assert "slug: already used by" in stderr
    assert_nothing_loaded()


def test_folder_without_course_is_refused(tmp_path):
    _, stderr = load_failing(tmp_path)

    assert "holds no course" in stderr


def test_path_that_is_not_a_folder_is_refused(tmp_path):
    error, _ = load_failing(tmp_path / "absent")

    assert "not a folder" in str(error)


# --check


def test_check_loads_nothing(tmp_path):
    write_course(tmp_path, course_files(slug="cours-a"))
    write_course(tmp_path, course_files(slug="cours-b"))

    stdout, _ = load(tmp_path, "--check")

    assert "2 course(s) checked, no error." in stdout
    assert_nothing_loaded()


def test_check_reports_errors_too(tmp_path):
    files = course_files()
    files["course.md"] = files["course.md"].replace("level: beginner", "level: expert")
    folder = write_course(tmp_path, files)

    _, stderr = load_failing(tmp_path, "--check")

    assert f"{folder / 'course.md'}: level: " in stderr


# The repository's own content

CONTENT_DIR = Path(settings.BASE_DIR) / "content"


@pytest.fixture
def real_content(db):
    if not any(CONTENT_DIR.rglob("course.md")):
        pytest.skip(f"{CONTENT_DIR} holds no course folder yet (no course.md)")
    return CONTENT_DIR


def test_repository_content_passes_the_check(real_content):
    stdout, stderr = load(real_content, "--check")

    assert "no error" in stdout
    assert stderr == ""


def test_repository_content_covers_the_catalogue(real_content):
    load(real_content)

    published = Course.objects.published()
    assert published.count() >= 6
    assert set(published.values_list("level", flat=True)) == set(Course.Level.values)
    areas = set(published.values_list("competences__area__code", flat=True)) - {None}
    assert len(areas) >= 3, areas


def test_every_repository_course_has_a_fiche_and_a_quiz_and_most_a_video(real_content):
    # A video grain links a real public video from a reputable source; the
    # visioconference course has none yet (none could be verified), so the
    # rule is on fiches and quizzes, with videos in every other course.
    load(real_content)

    with_video = set()
    for course in Course.objects.prefetch_related("units"):
        kinds = [unit.kind for unit in course.units.all()]
        assert len(kinds) >= 4, course.slug
        assert {Unit.Kind.FICHE, Unit.Kind.QUIZ} <= set(kinds), course.slug
        if Unit.Kind.VIDEO in kinds:
            with_video.add(course.slug)
    assert Course.objects.exclude(slug__in=with_video).count() <= 1


def test_every_repository_quiz_has_eight_questions_of_three_kinds(real_content):
    load(real_content)

    quizzes = Quiz.objects.select_related("unit__course").prefetch_related("questions")
    assert quizzes.exists()
    for quiz in quizzes:
        kinds = [question.kind for question in quiz.questions.all()]
        name = f"{quiz.unit.course.slug}/{quiz.unit.slug}"
        assert len(kinds) >= 8, name
        assert len(set(kinds)) >= 3, name


# Values the database column cannot hold exactly

TOO_BIG_FOR_THE_COLUMN = {
    # PositiveSmallIntegerField: up to 32767.
    "minutes": (FICHE_FILE, "minutes: 6", "minutes: 40000", "minutes"),
    "points": (QUIZ_FILE, "points: 2", "points: 40000", "questions[2].points"),
    "attempts": (QUIZ_FILE, "attempts_allowed: 3", "attempts_allowed: 40000", "attempts_allowed"),
    # DecimalField(decimal_places=4).
    "numeric-decimals": (QUIZ_FILE, "answer: 12", "answer: 1.123456789", "questions[5].answer"),
    "tolerance-decimals": (
        QUIZ_FILE,
        "tolerance: 0",
        "tolerance: 0.00001",
        "questions[5].tolerance",
    ),
}


@pytest.mark.parametrize(
    "file_name, old, new, field", TOO_BIG_FOR_THE_COLUMN.values(), ids=TOO_BIG_FOR_THE_COLUMN.keys()
)
def test_value_the_column_cannot_hold_is_refused_with_file_and_field(
    tmp_path, file_name, old, new, field
):
    files = course_files()
    files[file_name] = files[file_name].replace(old, new)
    folder = write_course(tmp_path, files)

    _, stderr = load_failing(tmp_path)

    assert f"{folder / file_name}: {field}: " in stderr
    assert_nothing_loaded()


def test_numeric_answer_with_decimals_loads_twice_as_unchanged(tmp_path):
    files = course_files()
    files[QUIZ_FILE] = QUIZ.replace("answer: 12", "answer: 1.1235").replace(
        "tolerance: 0", "tolerance: 0.05"
    )
    write_course(tmp_path, files)
    load(tmp_path)
    before = snapshot()

    stdout, _ = load(tmp_path)

    assert "1 unchanged" in stdout
    assert snapshot() == before
