"""Who may call each page of the committee: anonymous (log in), a learner,
the course's author (reads and comments, never votes), an author of
another course, a committee member, a member who authors the course (no
vote), staff who is not a member. Wrong methods get 405, unknown ids 404."""

import re

import pytest
from django.urls import reverse

from courses.models import Proposal, ReviewComment, Vote
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def personas(learner, course_author, other_author, members, member_author, staff):
    return {
        "learner": learner,
        "course_author": course_author,
        "other_author": other_author,
        "member": members[0],
        "member_author": member_author,
        "staff": staff,
    }


def _urls(proposal):
    return {
        "queue": reverse("committee:queue"),
        "proposal": reverse("committee:proposal", args=[proposal.pk]),
        "vote": reverse("committee:vote", args=[proposal.pk]),
        "comment": reverse("committee:comment", args=[proposal.pk]),
    }


@pytest.mark.parametrize("name", ["queue", "proposal", "vote", "comment"])
def test_anonymous_visitors_are_sent_to_log_in(client, proposal, name):
    url = _urls(proposal)[name]
    response = client.get(url) if name in ("queue", "proposal") else client.post(url, {})
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


# (persona, queue, proposal page, vote form shown)
MATRIX = [
    ("learner", 403, 403, False),
    ("course_author", 403, 200, False),
    ("other_author", 403, 403, False),
    ("member", 200, 200, True),
    ("member_author", 200, 200, False),
    ("staff", 403, 403, False),
]


@pytest.mark.parametrize(("who", "queue", "page", "votes"), MATRIX)
def test_who_sees_the_queue_and_the_proposal(client, personas, proposal, who, queue, page, votes):
    client.force_login(personas[who])
    urls = _urls(proposal)
    assert client.get(urls["queue"]).status_code == queue
    response = client.get(urls["proposal"])
    assert response.status_code == page
    html = response.content.decode()
    assert ('id="vote-form"' in html) is votes
    # Nobody sees a publish control: the committee's majority publishes.
    buttons = " ".join(re.findall(r"<button[^>]*>(.*?)</button>", html, re.S)).lower()
    assert "publi" not in buttons and "publish" not in html.lower()


@pytest.mark.parametrize("who", ["learner", "other_author", "staff"])
def test_outsiders_can_neither_vote_nor_comment(client, personas, proposal, who):
    client.force_login(personas[who])
    urls = _urls(proposal)
    assert client.post(urls["vote"], {"choice": "validate"}).status_code == 403
    assert client.post(urls["comment"], {"body": "Bonjour"}).status_code == 403
    assert not Vote.objects.exists() and not ReviewComment.objects.exists()


@pytest.mark.parametrize("who", ["course_author", "member_author"])
def test_an_author_of_the_course_cannot_vote_even_by_posting(client, personas, proposal, who):
    client.force_login(personas[who])
    response = client.post(_urls(proposal)["vote"], {"choice": "validate"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Seuls les membres du comité" in html or "un parcours dont vous êtes" in html
    assert not Vote.objects.exists()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PENDING


@pytest.mark.parametrize("who", ["course_author", "member_author", "member"])
def test_the_course_authors_and_members_may_comment(client, personas, proposal, who):
    client.force_login(personas[who])
    response = client.post(_urls(proposal)["comment"], {"body": f"Un mot de {who}."})
    assert response.status_code == 302
    assert ReviewComment.objects.get().author == personas[who]


def test_the_navigation_shows_the_committee_to_members_only(client, members, learner):
    queue = reverse("committee:queue")
    client.force_login(learner)
    assert f'href="{queue}"' not in client.get(reverse("profile")).content.decode()
    client.force_login(members[0])
    assert f'href="{queue}">Comité</a>' in client.get(reverse("profile")).content.decode()


@pytest.mark.parametrize("name", ["queue", "proposal"])
def test_pages_are_get_only(client, members, proposal, name):
    client.force_login(members[0])
    assert client.post(_urls(proposal)[name]).status_code == 405


@pytest.mark.parametrize("name", ["vote", "comment"])
def test_forms_are_post_only(client, members, proposal, name):
    client.force_login(members[0])
    assert client.get(_urls(proposal)[name]).status_code == 405


@pytest.mark.parametrize("name", ["proposal", "vote", "comment"])
def test_an_unknown_proposal_is_404(client, members, name):
    client.force_login(members[0])
    url = reverse(f"committee:{name}", args=[999999])
    response = client.get(url) if name == "proposal" else client.post(url, {"body": "x"})
    assert response.status_code == 404


def test_a_member_sees_the_pages_of_a_decided_proposal_but_no_form(client, members, proposal):
    from courses.services import vote_cast

    for member in members:
        vote_cast(member=member, proposal=proposal, choice=Vote.Choice.REFUSE, comment="Non.")
    third = make_user(is_committee_member=True)
    client.force_login(third)
    html = client.get(_urls(proposal)["proposal"]).content.decode()
    assert 'id="vote-form"' not in html
    assert "le comité a refusé cette proposition" in html
