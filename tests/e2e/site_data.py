"""The data behind the browser journeys: a published course with a fiche, a
video and a quiz; a learner who completed it and earned its badge; a tutor
whose group holds learners with every flag. Built with the factories and the
services, as the tutor and badge tests do."""

from dataclasses import dataclass
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from badges.models import Assertion
from courses.models import Course, Unit
from learning_platform.cohorts import membership_join, tutor_invite
from learning_platform.models import Cohort, Organisation
from progress.models import Enrolment
from progress.services import cohort_course_assign, unit_complete
from quizzes.models import Attempt, Question
from quizzes.services import attempt_start, attempt_submit
from tests.factories import (
    make_course,
    make_learner,
    make_question,
    make_quiz,
    make_unit,
    make_user,
    right_answers,
    wrong_answers,
)

PASSWORD = "a-long-test-password"  # the factories' default

FICHE_BODY = """Un bon mot de passe est **long** et **unique**.

## Trois règles

1. Au moins douze caractères.
2. Un mot de passe par compte.
3. Un gestionnaire de mots de passe pour s'en souvenir.

Voir aussi [le guide de la CNIL](https://www.cnil.fr/fr/les-conseils-de-la-cnil-pour-un-bon-mot-de-passe).

## Combien de temps pour le deviner ?

| Mot de passe | Longueur | Caractères utilisés | Temps pour le deviner | Verdict |
|---|---|---|---|---|
| `soleil` | 6 | minuscules | moins d'une seconde | à bannir |
| `Soleil2024!` | 11 | minuscules, majuscules, chiffres, signes | quelques heures | trop court |
| `cheval-agrafe-pile-correct` | 26 | minuscules, tirets | des siècles | solide |
"""


@dataclass
class Site:
    course: Course
    fiche: Unit
    video: Unit
    quiz_unit: Unit
    other_course: Course
    learner: object  # completed `course`, has its badge
    award: Assertion
    tutor: object
    cohort: Cohort
    other_cohort: Cohort  # the learner is not in it: to join by code

    def url(self, name: str, *args) -> str:
        return reverse(name, args=args)


def take_quiz(learner, quiz_unit: Unit, *, passing: bool) -> Attempt:
    attempt = attempt_start(learner=learner, quiz=quiz_unit.quiz)
    answers = right_answers(attempt) if passing else wrong_answers(attempt)
    attempt_submit(learner=learner, attempt=attempt, answers=answers)
    return attempt


def build_course(*, title="Sécuriser ses comptes", slug="securiser") -> Course:
    course = make_course(
        title=title,
        slug=slug,
        summary="Des mots de passe solides et la double authentification, en trois grains.",
        competences=("4.1", "4.2"),
        description="Pour **tout le monde**, sans prérequis.",
    )
    make_unit(course, slug="fiche", title="Un bon mot de passe", position=1, body=FICHE_BODY)
    make_unit(
        course,
        kind=Unit.Kind.VIDEO,
        slug="video",
        title="La double authentification",
        position=2,
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        transcript="Ce qui est dit dans la vidéo, **en entier**.",
    )
    quiz = make_quiz(course, pass_mark=70, attempts_allowed=None)
    Unit.objects.filter(pk=quiz.unit_id).update(slug="quiz", title="Le quiz", position=3)
    make_question(
        quiz,
        prompt="Quel mot de passe est le plus solide ?",
        choices=[("Soleil2024", False, "Trop court."), ("cheval-agrafe-pile-correct", True, "")],
    )
    make_question(
        quiz,
        kind=Question.Kind.MULTIPLE,
        prompt="Quels facteurs servent à la double authentification ?",
        choices=[("Un code reçu par SMS", True, ""), ("Une appli", True, ""), ("L'âge", False, "")],
    )
    make_question(quiz, kind=Question.Kind.TRUE_FALSE, prompt="Un mot de passe par compte ?")
    make_question(
        quiz,
        kind=Question.Kind.SHORT_TEXT,
        prompt="Comment appelle-t-on la connexion en deux étapes ?",
        accepted_answers=["Double authentification"],
    )
    make_question(
        quiz,
        kind=Question.Kind.NUMERIC,
        prompt="Combien de caractères au moins ?",
        numeric_answer=12,
    )
    return course


def build_site() -> Site:
    tutor = make_user(username="karim", display_name="Karim Benali", email="karim@example.org")
    course = build_course()
    course.authors.add(tutor)  # authors see the course's question analytics
    fiche, video, quiz_unit = course.units.order_by("position")

    other_course = make_course(
        title="Reconnaître l'hameçonnage",
        slug="hameconnage",
        level=Course.Level.INTERMEDIATE,
        competences=("4.2",),
    )
    make_unit(other_course, slug="f1", title="Les signes", position=1)
    make_unit(other_course, slug="f2", title="Que faire ?", position=2)
    short_course = make_course(title="Ranger ses fichiers", slug="fichiers", competences=("1.3",))
    make_unit(short_course, slug="f1", title="Des dossiers clairs", position=1)

    learner = make_learner(username="lea", display_name="Léa Martin", email="lea@example.org")
    unit_complete(learner=learner, unit=fiche)
    unit_complete(learner=learner, unit=video)
    take_quiz(learner, quiz_unit, passing=False)
    take_quiz(learner, quiz_unit, passing=True)
    award = Assertion.objects.get(learner=learner, badge_class__course=course)
    unit_complete(learner=learner, unit=other_course.units.get(slug="f1"))
    # A second badge, not yet claimed: "Mes badges" then shows the claim form.
    unit_complete(learner=learner, unit=short_course.units.get())
    Assertion.objects.filter(learner=learner, badge_class__course=short_course).update(
        recipient_identity=""
    )

    organisation = Organisation.objects.create(name="EPN Saint-Martin", kind="public_space")
    cohort = Cohort.objects.create(name="Mardi matin", organisation=organisation)
    cohort.tutors.add(tutor)
    cohort_course_assign(cohort=cohort, course=course, due_date=timezone.localdate() - timedelta(1))
    cohort_course_assign(cohort=cohort, course=other_course)
    membership_join(learner=learner, cohort=cohort)
    # Zoé has not started; Abel failed the quiz twice, long ago.
    membership_join(learner=make_learner(username="zoe", display_name="Zoé Éluard"), cohort=cohort)
    abel = make_learner(username="abel", display_name="Abel Durand")
    membership_join(learner=abel, cohort=cohort)
    unit_complete(learner=abel, unit=fiche)
    take_quiz(abel, quiz_unit, passing=False)
    take_quiz(abel, quiz_unit, passing=False)
    Enrolment.objects.filter(learner=abel).update(
        last_activity_at=timezone.now() - timedelta(days=30)
    )
    tutor_invite(tutor=tutor, cohort=cohort, username=make_learner(username="sam").username)

    other_cohort = Cohort.objects.create(name="Jeudi soir", organisation=organisation)
    other_cohort.tutors.add(tutor)
    return Site(
        course=course,
        fiche=fiche,
        video=video,
        quiz_unit=quiz_unit,
        other_course=other_course,
        learner=learner,
        award=award,
        tutor=tutor,
        cohort=cohort,
        other_cohort=other_cohort,
    )


def log_in(page, base: str, username: str, *, password: str = PASSWORD):
    page.goto(base + reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
