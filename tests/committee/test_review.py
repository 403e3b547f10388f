"""The review on the proposal's page: the course shown as proposed (the
snapshot, not the live course), the diff, comments and replies with their
e-mails, votes through the form, the committee's decision, the deadlock."""

import pytest
from django.urls import reverse

from courses.models import Course, CourseVersion, Proposal, ReviewComment, Unit, Vote
from courses.selectors import committee_queue
from courses.services import GovernanceError, course_publish, proposal_submit, review_comment_add
from courses.snapshots import course_snapshot
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _page(client, proposal):
    return client.get(reverse("committee:proposal", args=[proposal.pk]))


def _vote(client, proposal, choice, comment=""):
    return client.post(
        reverse("committee:vote", args=[proposal.pk]), {"choice": choice, "comment": comment}
    )


def _comment(client, proposal, body, **fields):
    return client.post(reverse("committee:comment", args=[proposal.pk]), {"body": body, **fields})


# The course as proposed


def test_the_page_shows_the_snapshot_not_the_course_edited_afterwards(client, members, proposal):
    Unit.objects.filter(slug="fiche").update(title="Titre changé après", body="Texte changé après")
    client.force_login(members[0])
    html = _page(client, proposal).content.decode()
    assert "Le mot de passe" in html and "Un mot de passe <strong>long</strong>." in html
    assert "changé après" not in html


def test_the_preview_renders_markdown_safely_and_marks_right_answers(
    client, members, course_author, draft
):
    Unit.objects.filter(slug="fiche").update(body="<script>alert(1)</script> *Lu*")
    proposal = proposal_submit(author=course_author, course=draft)
    client.force_login(members[0])
    html = _page(client, proposal).content.decode()
    assert "<script>alert(1)" not in html and "<em>Lu</em>" in html
    assert "Quelle longueur ?" in html
    assert '✓ Right <span class="answer-mark">(bonne réponse)</span>' in html


def test_the_preview_s_headings_follow_the_grain_s_heading(client, members, course_author, draft):
    """A grain's part is an h2: its text's headings start at h3, and so does
    a video's "Transcript" (no level skipped, axe-core's heading-order)."""
    Unit.objects.filter(slug="fiche").update(body="## Trois règles\n\nLes voici.")
    proposal = proposal_submit(author=course_author, course=draft)
    client.force_login(members[0])
    html = _page(client, proposal).content.decode()
    assert "<h3>Trois règles</h3>" in html
    assert "<h4" not in html


def test_a_first_proposal_shows_everything_as_new(client, members, proposal):
    client.force_login(members[0])
    html = _page(client, proposal).content.decode()
    assert "Une première proposition : tout est nouveau." in html
    assert html.count('class="tag change-added">ajouté</strong>') == 2 * 4  # index + parts


def test_after_changes_requested_the_new_proposal_is_compared_with_the_previous_one(
    client, members, course_author, draft, proposal
):
    for member in members:
        _vote_as(member, proposal, Vote.Choice.REQUEST_CHANGES, "Un exemple de plus.")
    Unit.objects.filter(slug="fiche").update(body="Un mot de passe **long**.\nEt unique.")
    second = proposal_submit(author=course_author, course=draft)
    client.force_login(members[0])
    html = _page(client, second).content.decode()
    assert "par rapport à la proposition précédente" in html
    assert '<ins><span class="visually-hidden">ajouté : </span>' in html
    assert "Et unique." in html
    assert html.count("change-changed") == 2  # the fiche, in the index and its part


def test_a_revision_is_compared_with_the_published_version(client, members, course_author, draft):
    first = proposal_submit(author=course_author, course=draft)
    for member in members:
        _vote_as(member, first, Vote.Choice.VALIDATE)
    version = CourseVersion.objects.get()
    assert version.snapshot == first.snapshot == course_snapshot(course=draft)
    Unit.objects.filter(slug="fiche").update(title="Le mot de passe, revu")
    revision = proposal_submit(author=course_author, course=draft, note="Titre revu.")
    client.force_login(members[0])
    html = _page(client, revision).content.decode()
    assert "par rapport à la version 1" in html
    assert "Titre revu." in html
    assert "Le mot de passe, revu" in html


def test_a_version_without_snapshot_falls_back_on_its_proposal(
    client, members, course_author, draft
):
    first = proposal_submit(author=course_author, course=draft)
    for member in members:
        _vote_as(member, first, Vote.Choice.VALIDATE)
    CourseVersion.objects.update(snapshot={})  # a version recorded before snapshots were
    Unit.objects.filter(slug="fiche").update(title="Nouveau titre")
    revision = proposal_submit(author=course_author, course=draft, note="Titre.")
    client.force_login(members[0])
    html = _page(client, revision).content.decode()
    assert "par rapport à la version 1" in html and html.count("change-changed") == 2


def test_a_version_from_the_content_files_records_its_snapshot(db):
    course = Course.objects.create(title="Seed", slug="seed", summary="s", level="beginner")
    version = course_publish(course=course)
    assert version.snapshot["course"]["title"] == "Seed"


def _vote_as(member, proposal, choice, comment=""):
    from courses.services import vote_cast

    return vote_cast(member=member, proposal=proposal, choice=choice, comment=comment)


# Comments and replies


def test_a_member_comments_a_grain_and_the_authors_are_mailed_on_commit(
    client, members, proposal, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(members[0])
    with django_capture_on_commit_callbacks(execute=True):
        response = _comment(client, proposal, "Ajoutez un exemple.", unit_slug="fiche")
    comment = ReviewComment.objects.get()
    assert response.status_code == 302
    assert response.url.endswith(f"#comment-{comment.pk}")
    assert (comment.unit_slug, comment.author, comment.parent) == ("fiche", members[0], None)
    (mail,) = mailoutbox
    assert sorted(mail.to) == ["autrice@example.org", "marc@example.org"]
    assert "Ajoutez un exemple." in mail.body
    assert f"/comite/propositions/{proposal.pk}/" in mail.body
    assert mail.subject == "« Sécuriser ses comptes » : un nouveau commentaire sur la proposition"
    comment.refresh_from_db()
    assert comment.notified_at is not None


def test_nothing_is_mailed_before_commit(client, members, proposal, mailoutbox):
    client.force_login(members[0])
    _comment(client, proposal, "Ajoutez un exemple.")
    assert mailoutbox == []


def test_the_author_answers_and_the_members_who_took_part_are_mailed(
    client, members, course_author, proposal, django_capture_on_commit_callbacks, mailoutbox
):
    third = make_user(username="comite3", email="comite3@example.org", is_committee_member=True)
    first = review_comment_add(author=members[0], proposal=proposal, body="Un exemple ?")
    _vote_as(members[1], proposal, Vote.Choice.VALIDATE)
    client.force_login(course_author)
    with django_capture_on_commit_callbacks(execute=True):
        response = _comment(client, proposal, "C’est fait.", parent=first.pk)
    assert response.status_code == 302
    reply = ReviewComment.objects.get(parent=first)
    assert (reply.author, reply.unit_slug) == (course_author, first.unit_slug)
    (mail,) = mailoutbox
    # The members who voted or commented; not the one who did neither, not the co-author.
    assert sorted(mail.to) == ["comite1@example.org", "comite2@example.org"]
    assert third.email not in mail.to
    html = _page(client, proposal).content.decode()
    assert "Un exemple ?" in html and "C’est fait." in html
    assert html.index("Un exemple ?") < html.index("C’est fait.")


def test_a_reply_to_a_reply_joins_its_thread(members, course_author, proposal):
    first = review_comment_add(author=members[0], proposal=proposal, body="Un.", unit_slug="fiche")
    reply = review_comment_add(author=course_author, proposal=proposal, body="Deux.", parent=first)
    again = review_comment_add(author=members[0], proposal=proposal, body="Trois.", parent=reply)
    assert (again.parent, again.unit_slug) == (first, "fiche")


def test_a_reply_to_a_comment_of_another_proposal_is_refused(
    client, members, course_author, other_author, proposal
):
    other_course = Course.objects.filter(authors=other_author).get()
    other_proposal = proposal_submit(author=other_author, course=other_course)
    elsewhere = review_comment_add(author=members[0], proposal=other_proposal, body="Ailleurs.")
    client.force_login(members[0])
    response = _comment(client, proposal, "Réponse.", parent=elsewhere.pk)
    assert response.status_code == 422
    assert "Le commentaire auquel vous répondez n’existe pas sur cette proposition." in (
        response.content.decode()
    )
    assert ReviewComment.objects.count() == 1
    with pytest.raises(GovernanceError):
        review_comment_add(author=members[0], proposal=proposal, body="x", parent=elsewhere)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"body": ""}, "Écrivez votre commentaire."),
        ({"body": "   "}, "Écrivez votre commentaire."),
        ({"body": "x" * 100_000}, "au plus 5000 caractères"),
        ({"body": "Bonjour\x00"}, "caractères de contrôle invisibles"),
        ({"body": "Bonjour\u202e"}, "caractères de contrôle invisibles"),
        ({"body": "Bonjour", "parent": "999999"}, "n’existe pas sur cette proposition"),
        ({"body": "Bonjour", "parent": "٣"}, "n’existe pas sur cette proposition"),
        ({"body": "Bonjour", "parent": str(2**70)}, "n’existe pas sur cette proposition"),
        ({"body": "Bonjour", "unit_slug": "inconnu"}, "Ce grain ne fait pas partie du parcours"),
    ],
)
def test_a_bad_comment_gets_a_clear_message_and_changes_nothing(
    client, members, proposal, fields, message
):
    client.force_login(members[0])
    response = _comment(client, proposal, **fields)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not ReviewComment.objects.exists()


def test_comments_stay_open_when_changes_are_requested_and_close_after_a_refusal(
    client, members, course_author, proposal
):
    for member in members:
        _vote_as(member, proposal, Vote.Choice.REQUEST_CHANGES, "Un exemple de plus.")
    client.force_login(course_author)
    html = _page(client, proposal).content.decode()
    assert "Un exemple de plus." in html  # the author reads what the committee asks
    assert "le comité demande des modifications" in html
    assert _comment(client, proposal, "Je m’en occupe.").status_code == 302
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.REFUSED)
    response = _comment(client, proposal, "Et maintenant ?")
    assert response.status_code == 409
    assert "les commentaires sont fermés" in response.content.decode()
    assert ReviewComment.objects.count() == 1


# Votes through the form


def test_full_flow_two_validations_publish_with_the_versions_snapshot(
    client, members, course_author, draft
):
    client.force_login(course_author)
    proposal = proposal_submit(author=course_author, course=draft)
    assert 'id="vote-form"' not in _page(client, proposal).content.decode()
    client.force_login(members[0])
    response = _vote(client, proposal, "validate")
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.is_pending
    html = _page(client, proposal).content.decode()
    assert "1 vote exprimé" in html and "Vous avez voté : Valider." in html
    assert 'id="vote-form"' not in html  # voted once
    client.force_login(members[1])
    response = client.post(
        reverse("committee:vote", args=[proposal.pk]), {"choice": "validate"}, follow=True
    )
    assert "Le comité a décidé : Acceptée" in response.content.decode() or (
        "Le comité a décidé" in response.content.decode()
    )
    proposal.refresh_from_db()
    draft.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED
    assert draft.status == Course.Status.PUBLISHED
    version = CourseVersion.objects.get(course=draft)
    assert version.snapshot == proposal.snapshot and version.snapshot["units"]
    assert "le comité a validé cette proposition" in response.content.decode()


def test_request_changes_sends_the_course_back_to_draft_with_the_comment_for_its_author(
    client, members, course_author, draft, proposal, mailoutbox
):
    for member, comment in zip(members, ["Ajoutez un exemple.", "Un quiz plus long."], strict=True):
        client.force_login(member)
        assert _vote(client, proposal, "request_changes", comment).status_code == 302
    proposal.refresh_from_db()
    draft.refresh_from_db()
    assert (proposal.status, draft.status) == (Proposal.Status.CHANGES_REQUESTED, "draft")
    client.force_login(course_author)
    html = _page(client, proposal).content.decode()
    assert "Ajoutez un exemple." in html and "Un quiz plus long." in html
    assert "comite1" not in html  # the author reads the comments, not who voted what


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"choice": "refuse", "comment": ""}, "Dites quels changements vous demandez"),
        ({"choice": "request_changes", "comment": "  "}, "Dites quels changements vous demandez"),
        ({"choice": "refuse", "comment": "x" * 100_000}, "au plus 5000 caractères"),
        ({"choice": "refuse", "comment": "Non\x1b"}, "caractères de contrôle invisibles"),
        ({"choice": "publish"}, "Sélectionnez un choix valide"),
        ({}, "Choisissez : valider, demander des modifications ou refuser."),
    ],
)
def test_a_bad_vote_gets_a_clear_message_and_changes_nothing(
    client, members, proposal, data, message
):
    client.force_login(members[0])
    response = _vote(client, proposal, **{"choice": "", "comment": "", **data})
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html or message.lower() in html.lower()
    assert not Vote.objects.exists()
    proposal.refresh_from_db()
    assert proposal.is_pending


def test_a_vote_on_a_decided_proposal_is_refused_with_a_message(client, members, proposal):
    for member in members:
        _vote_as(member, proposal, Vote.Choice.REFUSE, "Hors sujet.")
    third = make_user(is_committee_member=True)
    client.force_login(third)
    response = _vote(client, proposal, "validate")
    assert response.status_code == 409
    assert "Le comité a déjà décidé de cette proposition." in response.content.decode() or (
        "déjà" in response.content.decode()
    )
    assert Vote.objects.count() == 2
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REFUSED


def test_a_second_vote_is_refused(client, members, proposal):
    client.force_login(members[0])
    _vote(client, proposal, "validate")
    response = _vote(client, proposal, "refuse", "Finalement non.")
    assert response.status_code == 409
    assert list(Vote.objects.values_list("choice", flat=True)) == ["validate"]


# Deadlock


def test_a_tie_with_every_member_voted_is_flagged_and_stays_pending(client, members, proposal):
    _vote_as(members[0], proposal, Vote.Choice.VALIDATE)
    (item,) = committee_queue(member=members[0])
    assert not item.deadlocked  # one member still to vote
    _vote_as(members[1], proposal, Vote.Choice.REFUSE, "Non.")
    proposal.refresh_from_db()
    assert proposal.is_pending
    (item,) = committee_queue(member=members[0])
    assert item.deadlocked and item.votes_cast == 2
    client.force_login(members[0])
    assert "sans majorité" in client.get(reverse("committee:queue")).content.decode()
    html = _page(client, proposal).content.decode()
    assert "Sans majorité." in html and "reste en attente" in html
    # A new member breaks it: the flag goes, the vote decides.
    newcomer = make_user(is_committee_member=True)
    (item,) = committee_queue(member=members[0])
    assert not item.deadlocked
    _vote_as(newcomer, proposal, Vote.Choice.VALIDATE)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED


def test_members_who_author_the_course_do_not_count_towards_the_deadlock(
    members, member_author, proposal
):
    # member_author may not vote: with comite1 and comite2 voted, everyone eligible has.
    _vote_as(members[0], proposal, Vote.Choice.VALIDATE)
    _vote_as(members[1], proposal, Vote.Choice.REQUEST_CHANGES, "Plus court.")
    (item,) = committee_queue(member=member_author)
    assert item.deadlocked


def test_the_queue_shows_oldest_first_with_the_members_own_vote(
    client, members, course_author, other_author, proposal
):
    other_course = Course.objects.filter(authors=other_author).get()
    later = proposal_submit(author=other_author, course=other_course)
    _vote_as(members[0], later, Vote.Choice.VALIDATE)
    client.force_login(members[0])
    html = client.get(reverse("committee:queue")).content.decode()
    assert html.index("Sécuriser ses comptes") < html.index(other_course.title)
    assert "Votre vote : Valider" in html and "Vous n’avez pas encore voté." in html
    assert "nouveau parcours" in html and "il y a" in html
    assert "1 vote sur 2 requis" in html


def test_quiz_prompts_are_rendered_markdown_never_raw_html(client, members, course_author, draft):
    from quizzes.models import Question

    Question.objects.update(prompt="**Quelle** longueur ? <script>alert(1)</script>")
    proposal = proposal_submit(author=course_author, course=draft)
    client.force_login(members[0])
    html = _page(client, proposal).content.decode()
    assert "<strong>Quelle</strong> longueur ?" in html
    assert "<script>alert(1)" not in html and "&lt;p&gt;" not in html
