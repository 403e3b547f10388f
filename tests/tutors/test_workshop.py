"""The tutor's workshop from the site (learning_platform.workshop_views):
who may call each page, and what each one changes, with bad input changing
nothing."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from learning_platform.cohorts import membership_join
from learning_platform.models import Cohort, CohortMembership, StartCode
from progress.models import CohortCourse
from progress.tutor_digest import tutor_digest
from progress.tutor_selectors import FLAG_INACTIVE, FLAG_LATE, cohort_table
from tests.factories import make_cohort, make_course, make_learner, make_organisation, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(db):
    """A public digital space: a manager, a tutor of its cohort "Mardi" with
    one consented member; and, elsewhere, another organisation's manager,
    another cohort's tutor and member, a learner and a staff member."""
    manager = make_user(username="manager", display_name="Mona Manager")
    organisation = make_organisation(name="Espace numérique", managers=[manager])
    tutor = make_user(username="tutor", display_name="Théo Tuteur")
    cohort = make_cohort(name="Mardi", organisation=organisation, tutors=[tutor])
    member = make_learner(username="member", display_name="Zoé Membre")
    membership_join(learner=member, cohort=cohort)
    other_manager = make_user(username="other-manager")
    other_org = make_organisation(name="Ailleurs", managers=[other_manager])
    other_tutor = make_user(username="other-tutor")
    other_cohort = make_cohort(name="Jeudi", organisation=other_org, tutors=[other_tutor])
    other_member = make_learner(username="other-member")
    membership_join(learner=other_member, cohort=other_cohort)
    return {
        "manager": manager,
        "organisation": organisation,
        "tutor": tutor,
        "cohort": cohort,
        "member": member,
        "other_manager": other_manager,
        "other_tutor": other_tutor,
        "other_cohort": other_cohort,
        "other_member": other_member,
        "learner": make_learner(username="learner"),
        "staff": make_user(username="staff", is_staff=True),
    }


def _state():
    """Everything a workshop request could change."""
    return (
        sorted(Cohort.objects.values_list("id", "name", "invite_code", "archived_at")),
        sorted(Cohort.tutors.through.objects.values_list("cohort_id", "user_id")),
        sorted(CohortMembership.objects.values_list("cohort_id", "learner_id", "consented_at")),
        StartCode.objects.count(),
        sorted(get_user_model().objects.values_list("username", "password")),
    )


# (url name, method, data): every page of the workshop on a cohort.
COHORT_PAGES = [
    ("tutor:cohort_settings", "get", None),
    ("tutor:cohort_settings", "post", {"name": "Nouveau nom"}),
    ("tutor:cohort_archive", "post", {}),
    ("tutor:cohort_code", "post", {}),
    ("tutor:invite_sheet", "get", None),
    ("tutor:accounts_new", "get", None),
    ("tutor:accounts_new", "post", {"names": "Amina\nBruno"}),
]
MANAGER_PAGES = [("tutor:tutor_add", "post", {"identifier": "learner"})]


def _call(client, name, method, data, cohort):
    url = reverse(name, args=[cohort.pk])
    return client.get(url) if method == "get" else client.post(url, data)


@pytest.mark.parametrize(
    "who", ["learner", "other_member", "other_tutor", "other_manager", "staff", "member"]
)
@pytest.mark.parametrize("page", COHORT_PAGES + MANAGER_PAGES, ids=lambda p: f"{p[0]}-{p[1]}")
def test_nobody_but_the_cohorts_tutors_and_managers_reaches_its_workshop(client, place, who, page):
    client.force_login(place[who])
    before = _state()
    assert _call(client, *page, place["cohort"]).status_code == 404
    assert _state() == before


@pytest.mark.parametrize("page", COHORT_PAGES + MANAGER_PAGES, ids=lambda p: f"{p[0]}-{p[1]}")
def test_anonymous_is_sent_to_log_in_and_changes_nothing(client, place, page):
    before = _state()
    response = _call(client, *page, place["cohort"])
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert _state() == before


@pytest.mark.parametrize("who", ["tutor", "manager"])
@pytest.mark.parametrize("page", COHORT_PAGES, ids=lambda p: f"{p[0]}-{p[1]}")
def test_the_cohorts_tutor_and_its_organisations_manager_reach_each_page(client, place, who, page):
    client.force_login(place[who])
    assert _call(client, *page, place["cohort"]).status_code in (200, 302)


def test_naming_tutors_is_for_the_organisations_managers_only(client, place):
    cohort, learner = place["cohort"], place["learner"]
    client.force_login(place["tutor"])
    assert (
        client.post(
            reverse("tutor:tutor_add", args=[cohort.pk]), {"identifier": "learner"}
        ).status_code
        == 404
    )
    remove = reverse("tutor:tutor_remove", args=[cohort.pk, place["tutor"].pk])
    assert client.post(remove).status_code == 404
    assert set(cohort.tutors.all()) == {place["tutor"]}

    client.force_login(place["manager"])
    response = client.post(reverse("tutor:tutor_add", args=[cohort.pk]), {"identifier": "LEARNER"})
    assert response.status_code == 302
    assert set(cohort.tutors.all()) == {place["tutor"], learner}
    assert client.post(remove).status_code == 302
    assert set(cohort.tutors.all()) == {learner}
    # Someone who is not a tutor of the cohort: 404, nothing removed.
    stranger = reverse("tutor:tutor_remove", args=[cohort.pk, place["other_tutor"].pk])
    assert client.post(stranger).status_code == 404
    assert set(cohort.tutors.all()) == {learner}


def test_a_tutor_is_named_by_email_in_any_case_and_unknown_names_change_nothing(client, place):
    place["learner"].email = "Lea@Example.org"
    place["learner"].save()
    client.force_login(place["manager"])
    url = reverse("tutor:tutor_add", args=[place["cohort"].pk])
    for bad in ("nobody", "", "x" * 300, "tutor"):  # unknown, empty, too long, already a tutor
        before = _state()
        response = client.post(url, {"identifier": bad}, follow=True)
        assert response.status_code == 200
        assert _state() == before, bad
        assert "message-error" in response.content.decode()
    client.post(url, {"identifier": "lea@example.ORG"})
    assert place["learner"] in place["cohort"].tutors.all()


# Creating a cohort


def test_a_tutor_creates_a_cohort_in_their_organisation_and_tutors_it(client, place):
    client.force_login(place["tutor"])
    page = client.get(reverse("tutor:cohort_new"))
    assert page.status_code == 200
    assert "Espace numérique" in page.content.decode() and "Ailleurs" not in page.content.decode()
    response = client.post(
        reverse("tutor:cohort_new"),
        {"name": "  Atelier   du jeudi ", "organisation": place["organisation"].pk},
    )
    cohort = Cohort.objects.get(name="Atelier du jeudi")
    assert response["Location"] == reverse("tutor:cohort", args=[cohort.pk])
    assert cohort.organisation == place["organisation"]
    assert list(cohort.tutors.all()) == [place["tutor"]]


def test_a_manager_creates_a_cohort_in_the_organisation_they_manage(client, place):
    client.force_login(place["manager"])
    client.post(
        reverse("tutor:cohort_new"), {"name": "Samedi", "organisation": place["organisation"].pk}
    )
    assert Cohort.objects.get(name="Samedi").organisation == place["organisation"]


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "organisation": "ORG"},
        {"name": "   ", "organisation": "ORG"},
        {"name": "a\x00b", "organisation": "ORG"},
        {"name": "Cloche\x07", "organisation": "ORG"},
        {"name": "x" * 201, "organisation": "ORG"},
        {"name": "Ailleurs", "organisation": "OTHER"},  # not an organisation of theirs
        {"name": "Nope", "organisation": "99999999999999999999"},
        {"name": "Nope", "organisation": "²"},
    ],
)
def test_creating_a_cohort_with_bad_input_says_why_and_changes_nothing(client, place, data):
    client.force_login(place["tutor"])
    org = {"ORG": place["organisation"].pk, "OTHER": place["other_cohort"].organisation_id}
    data = {**data, "organisation": org.get(data["organisation"], data["organisation"])}
    before = _state()
    response = client.post(reverse("tutor:cohort_new"), data)
    assert response.status_code == 422
    assert "field-error" in response.content.decode()
    assert _state() == before


@pytest.mark.parametrize("who", ["learner", "member", "staff"])
def test_someone_in_no_organisation_cannot_create_a_cohort(client, place, who):
    client.force_login(place[who])
    assert client.get(reverse("tutor:cohort_new")).status_code == 404
    before = _state()
    data = {"name": "X", "organisation": place["organisation"].pk}
    assert client.post(reverse("tutor:cohort_new"), data).status_code == 404
    assert _state() == before


# Renaming, archiving, a new code


def test_renaming_keeps_everything_else_and_bad_names_change_nothing(client, place):
    cohort = place["cohort"]
    client.force_login(place["tutor"])
    url = reverse("tutor:cohort_settings", args=[cohort.pk])
    for bad in ("", "\x1b[31m", "x" * 201):
        before = _state()
        assert client.post(url, {"name": bad}).status_code == 422
        assert _state() == before
    client.post(url, {"name": "Mardi matin"})
    cohort.refresh_from_db()
    assert cohort.name == "Mardi matin" and cohort.invite_code == place["cohort"].invite_code


def test_an_archived_cohort_leaves_the_dashboard_flags_digests_and_doors_but_keeps_its_data(
    client, place
):
    cohort, tutor, member = place["cohort"], place["tutor"], place["member"]
    long_ago = timezone.now() - timedelta(days=60)
    CohortMembership.objects.filter(cohort=cohort).update(consented_at=long_ago)
    yesterday = timezone.localdate() - timedelta(days=1)
    CohortCourse.objects.create(cohort=cohort, course=make_course(), due_date=yesterday)
    row = cohort_table(cohort).rows[0]
    assert FLAG_INACTIVE in row.flags and FLAG_LATE in row.flags and row.cells[0].late
    client.force_login(tutor)
    client.post(reverse("tutor:cohort_archive", args=[cohort.pk]))
    cohort.refresh_from_db()
    assert cohort.is_archived

    dashboard = client.get(reverse("tutor:dashboard")).content.decode()
    assert "Groupes archivés" in dashboard
    assert reverse("tutor:cohort", args=[cohort.pk]) in dashboard  # still reachable
    assert client.get(reverse("tutor:cohort", args=[cohort.pk])).status_code == 200
    table = cohort_table(cohort)
    assert [r.learner for r in table.rows] == [member]  # data kept
    assert table.rows[0].flags == []
    assert not any(cell.late for row in table.rows for cell in row.cells)
    assert tutor_digest(tutor=tutor, now=timezone.now() - timedelta(days=46)) == []
    # Nobody joins an archived cohort, nor is brought in.
    newcomer = make_learner(username="newcomer")
    client.force_login(newcomer)
    response = client.get(reverse("cohorts:join_code", args=[cohort.invite_code]))
    assert response.status_code == 302
    assert not CohortMembership.objects.filter(learner=newcomer).exists()
    client.force_login(tutor)
    before = _state()
    client.post(reverse("tutor:accounts_new", args=[cohort.pk]), {"names": "Amina"})
    assert client.get(reverse("tutor:invite_sheet", args=[cohort.pk])).status_code == 302
    assert _state() == before

    client.post(reverse("tutor:cohort_archive", args=[cohort.pk]), {"restore": "1"})
    cohort.refresh_from_db()
    assert not cohort.is_archived
    assert FLAG_INACTIVE in cohort_table(cohort).rows[0].flags


def test_a_new_code_closes_the_old_one_and_keeps_the_members(client, place):
    cohort = place["cohort"]
    old = cohort.invite_code
    client.force_login(place["tutor"])
    client.post(reverse("tutor:cohort_code", args=[cohort.pk]))
    cohort.refresh_from_db()
    assert cohort.invite_code != old and len(cohort.invite_code) == 8
    assert CohortMembership.objects.filter(cohort=cohort, learner=place["member"]).exists()
    client.force_login(place["learner"])
    assert client.get(reverse("cohorts:join_code", args=[old])).status_code == 302
    assert client.get(reverse("cohorts:join_code", args=[cohort.invite_code])).status_code == 200


# The tutor space is found


def test_tutors_and_managers_see_the_tutor_space_in_the_menu_learners_do_not(client, place):
    entry = f'href="{reverse("tutor:dashboard")}"'
    for who, sees in (("tutor", True), ("manager", True), ("member", False), ("staff", False)):
        client.force_login(place[who])
        page = client.get(reverse("courses:catalogue")).content.decode()
        assert (entry in page) is sees, who


@pytest.mark.parametrize(
    "who, lands",
    [
        ("tutor", "tutor:dashboard"),
        ("manager", "tutor:dashboard"),
        ("member", "progress:dashboard"),
    ],
)
def test_after_log_in_a_tutor_lands_on_the_tutor_space(client, place, who, lands):
    response = client.post(
        reverse("login"), {"username": place[who].username, "password": "a-long-test-password"}
    )
    assert response["Location"] == reverse(lands)


def test_an_explicit_next_wins_over_the_tutor_space(client, place):
    target = reverse("courses:catalogue")
    response = client.post(
        reverse("login") + f"?next={target}",
        {"username": "tutor", "password": "a-long-test-password", "next": target},
    )
    assert response["Location"] == target


# The invite sheet


def test_the_invite_sheet_has_the_code_the_link_and_a_qr_code_of_the_link(client, place):
    import segno

    cohort = place["cohort"]
    client.force_login(place["tutor"])
    body = client.get(reverse("tutor:invite_sheet", args=[cohort.pk])).content.decode()
    link = "http://testserver" + reverse("cohorts:join_code", args=[cohort.invite_code])
    assert f'class="sheet-code">{cohort.invite_code}<' in body
    assert link in body
    # The QR code drawn is segno's encoding of the link, nothing else.
    expected = segno.make(link, error="m").svg_inline(
        scale=4, border=4, omitsize=True, svgclass="qr", lineclass="qr-line"
    )
    path = expected[expected.index(' d="') : expected.index('"/>')]
    assert path in body
    assert 'role="img"' in body and "QR code du lien pour rejoindre le groupe" in body
