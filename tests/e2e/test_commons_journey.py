"""The commons' acceptance journey (issue #15), in Chromium, through the
pages only: an author writes a course in the studio (a fiche previewed, a
video, a quiz of three kinds of questions) and proposes it; she has no way
to publish it nor to vote; two members of the committee comment and ask for
changes, she sees their comments, edits, proposes again; two "validate"
votes publish it; a learner finds it, completes it and earns its badge,
whose criteria carry the attribution line. Then a revision of a published
demo course: the learner who completed it keeps 100 % and the badge, and
the new text shows only once the committee has validated it.

The accounts and the demo content are set up with the factories and
``load_content``; everything else is done by clicking.
"""

from importlib import import_module
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.urls import reverse

from badges.models import Assertion
from courses.attribution import attribution
from courses.models import Competence, Course, Proposal, Unit
from progress.selectors import course_progress_for
from progress.services import unit_complete
from quizzes.models import Attempt
from tests.e2e.conftest import _page
from tests.e2e.site_data import log_in, take_quiz
from tests.factories import make_course, make_user, right_answers

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CONTENT = Path(__file__).resolve().parents[2] / "content"
TITLE = "Protéger sa messagerie"
VIDEO_URL = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def _people():
    author = make_user(username="autrice", display_name="Awa Diallo", is_author=True)
    first = make_user(username="comite1", display_name="Camille Roy", is_committee_member=True)
    second = make_user(username="comite2", display_name="Jules Petit", is_committee_member=True)
    learner = make_user(username="apprenant", display_name="Léo Martin", email="leo@example.org")
    return author, first, second, learner


def _log_in_as(browser, base, username):
    context, page = _page(browser)
    log_in(page, base, username)
    return context, page


def _main_text(page) -> str:
    return page.locator("main").inner_text()


def _no_publish_control(page, label: str):
    """No button, link or text of the page offers to publish."""
    controls = page.locator("main button, main a, main input[type=submit]").all_inner_texts()
    for text in controls:
        assert "publier" not in text.lower() and "publish" not in text.lower(), (
            f"{label}: a control offers to publish: {text!r}"
        )


def _save_grain(page):
    page.locator("main form.studio-form .actions button.primary").click()
    page.wait_for_load_state()
    assert page.locator(".message-success").count() >= 1, _main_text(page)


def _add_question(page, kind: str, fill):
    page.select_option("#new-question-kind", kind)
    page.locator("#add-question button[type=submit]").click()
    page.wait_for_url(lambda url: f"kind={kind}" in url)
    fill(page)
    page.locator("main form button.primary").click()
    page.wait_for_url(lambda url: "kind=" not in url)
    assert page.locator(".message-success").count() == 1, _main_text(page)


def _vote(page, base, proposal, choice: str, comment: str = ""):
    page.goto(base + reverse("committee:proposal", args=[proposal.pk]))
    page.check(f"#vote-form input[name=choice][value={choice}]")
    if comment:
        page.fill("#vote-form textarea[name=comment]", comment)
    page.locator("#vote-form button[type=submit]").click()
    page.wait_for_load_state()


def _comment(page, base, proposal, text: str):
    page.goto(base + reverse("committee:proposal", args=[proposal.pk]))
    details = page.locator("#part-course details.new-comment")
    details.locator("summary").click()
    details.locator("textarea[name=body]").fill(text)
    details.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert text in _main_text(page)


def _write_the_course(page, base) -> Course:
    page.goto(base + reverse("studio:home"))
    _no_publish_control(page, "studio home")
    page.goto(base + reverse("studio:course_new"))
    page.fill("#id_title", TITLE)
    page.fill("#id_summary", "Reconnaître un courriel douteux et protéger sa boîte.")
    page.select_option("#id_level", "beginner")
    page.locator("main form button.primary").click()
    page.wait_for_load_state()
    assert "/new/" not in page.url, _main_text(page)
    course = Course.objects.get(title=TITLE)
    assert course.status == Course.Status.DRAFT

    # A fiche, previewed with the button, then added.
    page.goto(base + reverse("studio:unit_new", args=[course.pk, "fiche"]))
    page.fill("#id_title", "Les pièces jointes")
    page.fill("#id_minutes", "5")
    page.fill("#id_body", "N'ouvrez **jamais** une pièce jointe inattendue.")
    page.locator("button[name=preview]").click()
    page.wait_for_load_state()
    assert page.locator("#preview-body strong", has_text="jamais").count() == 1
    assert page.input_value("#id_body").startswith("N'ouvrez")
    assert not course.units.exists()  # a preview saves nothing
    _save_grain(page)

    # A video from an allowed host.
    page.goto(base + reverse("studio:unit_new", args=[course.pk, "video"]))
    page.fill("#id_title", "Repérer un faux expéditeur")
    page.fill("#id_minutes", "4")
    page.fill("#id_video_url", VIDEO_URL)
    page.fill("#id_transcript", "Ce que dit la vidéo : regardez l'adresse, pas le nom.")
    _save_grain(page)

    # A quiz, and its questions of three kinds.
    page.goto(base + reverse("studio:unit_new", args=[course.pk, "quiz"]))
    page.fill("#id_title", "Le quiz de la messagerie")
    page.fill("#id_minutes", "5")
    _save_grain(page)
    page.goto(base + reverse("studio:course", args=[course.pk]))
    page.locator(".studio-unit a", has_text="Questions").click()
    page.wait_for_url(lambda url: "/quiz/studio/" in url)

    def single(page):
        page.fill("#id_prompt", "Que faire d'une pièce jointe inattendue ?")
        page.fill("#id_choices-0-text", "Ne pas l'ouvrir")
        page.check("#id_choices-0-is_correct")
        page.fill("#id_choices-1-text", "L'ouvrir pour voir")

    def true_false(page):
        page.fill("#id_prompt", "Le nom affiché prouve qui écrit.")
        page.check("#id_true_false_answer_1")  # Faux

    def numeric(page):
        page.fill("#id_prompt", "Combien de secondes pour vérifier l'adresse ? (au moins 5)")
        page.fill("#id_numeric_answer", "5")

    _add_question(page, "single", single)
    _add_question(page, "true_false", true_false)
    _add_question(page, "numeric", numeric)
    quiz_unit = course.units.get(kind=Unit.Kind.QUIZ)
    assert quiz_unit.quiz.questions.count() == 3
    return course


def _propose(page, base, course):
    page.goto(base + reverse("studio:course", args=[course.pk]))
    _no_publish_control(page, "studio course page")
    page.locator("main a.button", has_text="Proposer à la validation").click()
    page.wait_for_url(lambda url: url.endswith("/propose/"))
    _no_publish_control(page, "propose page")
    page.locator("main form button.primary").click()
    page.wait_for_url(lambda url: url.endswith(f"/studio/{course.pk}/"))
    course.refresh_from_db()
    assert course.status == Course.Status.IN_REVIEW
    _no_publish_control(page, "studio course page, in review")
    return Proposal.objects.filter(course=course).latest("created_at")


def _not_in_catalogue(page, base):
    page.goto(base + reverse("courses:catalogue") + "?q=messagerie")
    assert TITLE not in _main_text(page)


def test_a_course_from_the_studio_to_a_learners_badge(live_server, browser):
    author, first, second, learner = _people()
    base = live_server.url

    context, page = _log_in_as(browser, base, "autrice")
    try:
        course = _write_the_course(page, base)
        proposal = _propose(page, base, course)
        # Her own proposal's page: no vote form, nothing to publish.
        page.goto(base + reverse("committee:proposal", args=[proposal.pk]))
        assert page.locator("#vote-form").count() == 0
        _no_publish_control(page, "proposal page, seen by its author")
        # Nor the committee's queue; a vote sent by hand is refused.
        assert page.goto(base + reverse("committee:queue")).status == 403
        csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
        response = page.request.post(
            base + reverse("committee:vote", args=[proposal.pk]),
            form={"choice": "validate", "comment": ""},
            headers={"X-CSRFToken": csrf, "Referer": base + "/"},
        )
        assert response.status in (403, 409), response.status  # 409: the rule says no
        assert not proposal.votes.exists()
        _not_in_catalogue(page, base)
    finally:
        context.close()

    # Two members comment; both ask for changes (quorum 2, majority).
    context, page = _log_in_as(browser, base, "comite1")
    try:
        page.goto(base + reverse("committee:queue"))
        assert TITLE in _main_text(page)
        _comment(page, base, proposal, "Ajoutez un exemple de faux expéditeur.")
        _vote(page, base, proposal, "request_changes", "Un exemple concret dans la fiche, svp.")
        proposal.refresh_from_db()
        assert proposal.status == Proposal.Status.PENDING
    finally:
        context.close()
    context, page = _log_in_as(browser, base, "comite2")
    try:
        _comment(page, base, proposal, "D'accord avec Camille.")
        _vote(page, base, proposal, "request_changes", "Oui, un exemple.")
        proposal.refresh_from_db()
        assert proposal.status == Proposal.Status.CHANGES_REQUESTED
    finally:
        context.close()
    course.refresh_from_db()
    assert course.status == Course.Status.DRAFT

    # The author reads the comments in the studio, edits the fiche, proposes again.
    context, page = _log_in_as(browser, base, "autrice")
    try:
        page.goto(base + reverse("studio:course", args=[course.pk]))
        assert "Un exemple concret dans la fiche, svp." in _main_text(page)
        page.get_by_role("link", name="Les pièces jointes", exact=True).click()
        page.fill(
            "#id_body",
            "N'ouvrez **jamais** une pièce jointe inattendue.\n\n"
            "Exemple : « facture.pdf.exe » envoyé par « Service client ».",
        )
        _save_grain(page)
        proposal = _propose(page, base, course)
        _not_in_catalogue(page, base)
    finally:
        context.close()

    for member in ("comite1", "comite2"):
        context, page = _log_in_as(browser, base, member)
        try:
            _vote(page, base, proposal, "validate")
        finally:
            context.close()
    proposal.refresh_from_db()
    course.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED
    assert course.status == Course.Status.PUBLISHED

    # A learner finds it, completes it, earns the badge.
    context, page = _log_in_as(browser, base, "apprenant")
    try:
        page.goto(base + reverse("courses:catalogue"))
        assert TITLE in _main_text(page)
        page.goto(base + reverse("courses:catalogue") + "?q=messagerie")
        page.locator("main a", has_text=TITLE).first.click()
        page.wait_for_url(lambda url: course.slug in url)
        fiche, video, quiz_unit = course.units.order_by("position")
        for unit in (fiche, video):
            page.goto(base + unit.get_absolute_url())
            if unit == fiche:
                assert "facture.pdf.exe" in _main_text(page)
            page.locator("#unit-complete button[type=submit]").click()
            page.locator("#unit-complete .done-mark").wait_for()
        page.goto(base + quiz_unit.get_absolute_url())
        page.locator("#quiz form button[type=submit]").click()
        page.locator("#quiz fieldset.question").first.wait_for()
        attempt = Attempt.objects.get(learner=learner, submitted_at__isnull=True)
        for question_id, values in right_answers(attempt).items():
            field = page.locator(f'[name="q-{question_id}"]')
            if field.first.get_attribute("type") in ("radio", "checkbox"):
                for value in values:
                    page.check(f'[name="q-{question_id}"][value="{value}"]')
            else:
                field.fill(values[0])
        page.locator("#quiz form button[type=submit]").click()
        page.locator(".attempt-result").wait_for()
        award = Assertion.objects.get(learner=learner, badge_class__course=course)
        page.goto(base + reverse("badges:mine"))
        assert course.title in _main_text(page)
        page.goto(base + award.get_absolute_url())
        line = attribution(course).text
        assert "Awa Diallo" in line
        assert line in _main_text(page).replace("\n", " ")
    finally:
        context.close()


@pytest.fixture
def demo(db):
    if not Competence.objects.exists():
        import_module("courses.migrations.0002_digcomp_2_2").load(django_apps, None)
    call_command("load_content", str(CONTENT), stdout=StringIO())
    return Course.objects.get(slug="securiser-ses-mots-de-passe")


def test_a_revision_keeps_learners_progress_and_shows_once_validated(live_server, browser, demo):
    author, _first, _second, learner = _people()
    demo.authors.add(author)
    # The learner completed the demo course (services: setup, not the journey).
    for unit in demo.units.exclude(kind=Unit.Kind.QUIZ):
        unit_complete(learner=learner, unit=unit)
    for quiz_unit in demo.units.filter(kind=Unit.Kind.QUIZ):
        take_quiz(learner, quiz_unit, passing=True)
    assert course_progress_for(learner=learner, course=demo).percent == 100
    award = Assertion.objects.get(learner=learner, badge_class__course=demo)
    fiche = demo.units.filter(kind=Unit.Kind.FICHE).order_by("position").first()
    new_text = "Nouveau : une phrase de passe de cinq mots vaut mieux que dix signes."
    base = live_server.url

    context, page = _log_in_as(browser, base, "autrice")
    try:
        page.goto(base + reverse("studio:course", args=[demo.pk]))
        _no_publish_control(page, "published course in the studio")
        page.locator("#revision-heading ~ form button[type=submit]").click()
        page.wait_for_load_state()
        copy = Course.objects.exclude(pk=demo.pk).get(title=demo.title)
        assert page.url.endswith(reverse("studio:course", args=[copy.pk]))
        copy_fiche = copy.units.get(slug=fiche.slug)
        page.get_by_role("link", name=copy_fiche.title, exact=True).click()
        page.fill("#id_body", page.input_value("#id_body") + "\n\n" + new_text)
        _save_grain(page)
        page.goto(base + reverse("studio:course_propose", args=[copy.pk]))
        page.fill("#id_note", "Une phrase sur les phrases de passe.")
        page.locator("main form button.primary").click()
        page.wait_for_load_state()
        proposal = Proposal.objects.get(status=Proposal.Status.PENDING)
        _no_publish_control(page, "revision in review")
    finally:
        context.close()

    # Before the committee decides, learners read the published text.
    context, page = _log_in_as(browser, base, "apprenant")
    try:
        page.goto(base + fiche.get_absolute_url())
        assert new_text not in _main_text(page)
    finally:
        context.close()

    for member in ("comite1", "comite2"):
        context, page = _log_in_as(browser, base, member)
        try:
            page.goto(base + reverse("committee:proposal", args=[proposal.pk]))
            assert new_text in _main_text(page)  # the diff shows the change
            _vote(page, base, proposal, "validate")
        finally:
            context.close()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED

    context, page = _log_in_as(browser, base, "apprenant")
    try:
        page.goto(base + fiche.get_absolute_url())
        fiche.refresh_from_db()
        assert new_text in fiche.body
        assert new_text in _main_text(page)
        page.goto(base + demo.get_absolute_url())
        assert "100 %" in _main_text(page) or "100\u00a0%" in _main_text(page)
        page.goto(base + reverse("badges:mine"))
        assert demo.title in _main_text(page)
    finally:
        context.close()
    assert course_progress_for(learner=learner, course=demo).percent == 100
    award.refresh_from_db()
    assert not award.is_revoked


def test_without_javascript_an_author_previews_and_saves_and_a_member_votes(live_server, browser):
    author, _first, _second, _learner = _people()
    course = make_course(title=TITLE, slug="messagerie", status=Course.Status.DRAFT)
    course.authors.add(author)
    base = live_server.url

    context, page = _page(browser, javascript=False)
    try:
        log_in(page, base, "autrice")
        page.goto(base + reverse("studio:unit_new", args=[course.pk, "fiche"]))
        page.fill("#id_title", "Les pièces jointes")
        page.fill("#id_minutes", "5")
        page.fill("#id_body", "N'ouvrez **jamais** une pièce jointe inattendue.")
        page.locator("button[name=preview]").click()
        page.wait_for_load_state()
        assert page.locator("#preview-body strong", has_text="jamais").count() == 1
        assert page.input_value("#id_title") == "Les pièces jointes"
        assert not course.units.exists()
        _save_grain(page)
        fiche = course.units.get()
        assert "<strong>jamais</strong>" in fiche.body_html
        proposal = _propose(page, base, course)
    finally:
        context.close()

    context, page = _page(browser, javascript=False)
    try:
        log_in(page, base, "comite1")
        _comment(page, base, proposal, "Un exemple de pièce jointe piégée ?")
        # A vote asking for changes needs its comment: refused, then cast.
        _vote(page, base, proposal, "request_changes")
        assert page.locator("#vote-form .field-error").count() == 1
        assert not proposal.votes.exists()
        _vote(page, base, proposal, "request_changes", "Ajoutez un exemple.")
        assert proposal.votes.get().choice == "request_changes"
        assert "Ajoutez un exemple." in _main_text(page)
    finally:
        context.close()
