"""Accessibility gates of the commons (issue #15), in French and in English,
as tests.e2e.test_accessibility checks the learner's pages: axe-core, the
page's language, headings, names of controls, no sideways scrolling at
320 px, on the studio's pages, the quiz editor, the committee's queue and a
proposal with a diff and comments, the error report form, "My reports" and
the import page."""

import pytest
from django.urls import reverse

from courses.models import Course, Unit
from courses.services import error_report_create, proposal_submit, review_comment_add
from quizzes.models import Question
from studio.services import revision_start
from tests.e2e.site_data import build_course, log_in
from tests.e2e.test_accessibility import LANGUAGES, Audit
from tests.factories import make_course, make_question, make_quiz, make_unit, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class Commons:
    def __init__(self):
        self.author = make_user(username="autrice", display_name="Awa Diallo", is_author=True)
        self.member = make_user(
            username="comite1", display_name="Camille Roy", is_committee_member=True
        )
        make_user(username="comite2", display_name="Jules Petit", is_committee_member=True)
        self.learner = make_user(username="apprenant", display_name="Léo Martin")

        # A draft with a fiche and a quiz of one question.
        self.draft = make_course(
            title="Protéger sa messagerie", slug="messagerie", status=Course.Status.DRAFT
        )
        self.draft.authors.add(self.author)
        self.fiche = make_unit(
            self.draft, slug="pj", title="Les pièces jointes", position=1, body="Un **texte**."
        )
        quiz = make_quiz(self.draft)
        Unit.objects.filter(pk=quiz.unit_id).update(title="Le quiz", position=2)
        self.quiz_unit = quiz.unit
        make_question(
            quiz, prompt="Que faire ?", choices=[("Rien", False, ""), ("Vérifier", True, "")]
        )

        # A published course under revision: a proposal with a diff and comments.
        self.published = build_course()
        self.published.authors.add(self.author)
        copy = revision_start(user=self.author, course=self.published)
        fiche = copy.units.get(slug="fiche")
        fiche.body += "\n\nUne phrase de passe de cinq mots vaut mieux que dix signes."
        fiche.save()
        self.proposal = proposal_submit(
            author=self.author, course=copy, note="Les phrases de passe."
        )
        comment = review_comment_add(
            author=self.member, proposal=self.proposal, body="Un exemple ?", unit_slug="fiche"
        )
        review_comment_add(
            author=self.author, proposal=self.proposal, body="Ajouté.", parent=comment
        )
        review_comment_add(author=self.member, proposal=self.proposal, body="Clair et court.")

        self.report_unit = self.published.units.get(slug="fiche")
        self.report = error_report_create(
            reporter=self.learner, unit=self.report_unit, text="Le lien de la CNIL a changé."
        )


@pytest.fixture
def commons():
    return Commons()


@pytest.fixture
def audit(live_server, page, axe_source, language) -> Audit:
    return Audit(page, live_server.url, axe_source, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_studio_pages(live_server, page, commons, audit):
    log_in(page, live_server.url, "autrice")
    audit.choose_language()
    draft = commons.draft
    audit.visit("studio home", reverse("studio:home"))
    audit.visit("new course form", reverse("studio:course_new"))
    page.locator("main form button.primary").click()
    page.locator(".field-error").first.wait_for()
    audit.check("new course form, with errors")
    audit.visit("course form", reverse("studio:course_edit", args=[draft.pk]))
    audit.visit("studio course page", reverse("studio:course", args=[draft.pk]))
    audit.visit(
        "studio course page, published",
        reverse("studio:course", args=[commons.published.pk]),
    )
    audit.visit("fiche editor", reverse("studio:unit_edit", args=[draft.pk, commons.fiche.pk]))
    page.fill("#id_body", "Un texte **modifié**, avec [un lien](https://example.org).")
    page.locator("button[name=preview]").click()
    page.locator("#preview-body strong").wait_for()
    audit.check("fiche editor, with its preview")
    audit.visit("new video form", reverse("studio:unit_new", args=[draft.pk, "video"]))
    audit.visit("quiz editor", reverse("quizzes:studio_quiz", args=[commons.quiz_unit.pk]))
    for kind in Question.Kind.values:
        audit.visit(
            f"question form ({kind})",
            reverse("quizzes:studio_question_new", args=[commons.quiz_unit.pk]) + f"?kind={kind}",
        )
    audit.visit("propose page", reverse("studio:course_propose", args=[draft.pk]))
    audit.visit("import page", reverse("exchange:import"))
    audit.visit("error reports to review", reverse("reports:review_list"))
    audit.visit("an error report to answer", reverse("reports:review", args=[commons.report.pk]))
    audit.visit(
        "proposal page, seen by its author",
        reverse("committee:proposal", args=[commons.proposal.pk]),
    )
    audit.assert_clean()


@pytest.mark.parametrize("language", LANGUAGES)
def test_committee_pages(live_server, page, commons, audit):
    log_in(page, live_server.url, "comite1")
    audit.choose_language()
    audit.visit("committee queue", reverse("committee:queue"))
    audit.visit(
        "proposal page, diff and comments",
        reverse("committee:proposal", args=[commons.proposal.pk]),
    )
    # A vote without its required comment: the form says what is missing.
    page.check("#vote-form input[name=choice][value=request_changes]")
    page.locator("#vote-form button[type=submit]").click()
    page.locator("#vote-form .field-error, .message-error").first.wait_for()
    audit.check("proposal page, vote with errors")
    audit.assert_clean()


@pytest.mark.parametrize("language", LANGUAGES)
def test_error_report_pages(live_server, page, commons, audit):
    log_in(page, live_server.url, "apprenant")
    audit.choose_language()
    audit.visit("error report form", reverse("reports:create") + f"?unit={commons.report_unit.pk}")
    audit.visit("my reports", reverse("reports:mine"))
    audit.assert_clean()
