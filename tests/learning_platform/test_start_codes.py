"""Accounts for people without e-mail, start codes, password help in person,
and log-in by username or e-mail (learning_platform.start_codes)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.urls import reverse
from django.utils import timezone

from learning_platform.cohorts import membership_join
from learning_platform.models import CohortMembership, StartCode
from learning_platform.start_codes import (
    accounts_create,
    normalise_code,
    start_code_issue,
    username_base,
)
from tests.factories import make_cohort, make_learner, make_organisation, make_user

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW_PASSWORD = "un-mot-de-passe-solide"


@pytest.fixture
def place(db):
    tutor = make_user(username="tutor", display_name="Théo Tuteur")
    cohort = make_cohort(name="Mardi", organisation=make_organisation(), tutors=[tutor])
    other_tutor = make_user(username="other-tutor")
    other_cohort = make_cohort(name="Jeudi", tutors=[other_tutor])
    return {
        "tutor": tutor,
        "cohort": cohort,
        "other_tutor": other_tutor,
        "other_cohort": other_cohort,
    }


def _codes(body: str) -> list[str]:
    return re.findall(r'class="start-code">([A-Z0-9-]+)<', body)


def _create(client, cohort, names: str):
    return client.post(reverse("tutor:accounts_new", args=[cohort.pk]), {"names": names})


def _redeem(client, username, code, password=NEW_PASSWORD, password2=None):
    return client.post(
        reverse("start_code"),
        {
            "username": username,
            "code": code,
            "new_password1": password,
            "new_password2": password2 or password,
        },
    )


# Creating accounts


def test_a_tutor_creates_accounts_from_first_names_with_one_card_each(client, place):
    client.force_login(place["tutor"])
    response = _create(client, place["cohort"], "Amina\n\n  Bruno  \nÉlodie Koné\n")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    codes = _codes(body)
    assert len(codes) == 3 and len(set(codes)) == 3
    users = {
        u.display_name: u
        for u in User.objects.filter(display_name__in=["Amina", "Bruno", "Élodie Koné"])
    }
    assert set(users) == {"Amina", "Bruno", "Élodie Koné"}
    assert re.fullmatch(r"elodie\.kone\.\d\d", users["Élodie Koné"].username)
    for user in users.values():
        assert user.username in body
        assert not user.has_usable_password() and user.email == ""
        membership = CohortMembership.objects.get(learner=user)
        assert membership.cohort == place["cohort"] and membership.consented_at is None
        assert membership.invited_by == place["tutor"]
        start = StartCode.objects.get(user=user)
        assert start.reason == StartCode.Reason.NEW_ACCOUNT and start.issued_by == place["tutor"]
        assert start.expires_at - start.created_at == timedelta(days=14)
    # Stored hashed: no code in clear in the database.
    hashes = list(StartCode.objects.values_list("code_hash", flat=True))
    for code in codes:
        assert not any(normalise_code(code) in h or code in h for h in hashes)
        assert sum(check_password(normalise_code(code), h) for h in hashes) == 1
    # Until they consent, the tutor sees only the name: not in the table, nor as a learner.
    page = client.get(reverse("tutor:cohort", args=[place["cohort"].pk])).content.decode()
    assert "Amina" in page  # the invitations waiting
    assert (
        client.get(
            reverse("tutor:learner", args=[place["cohort"].pk, users["Amina"].pk])
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    "names, message",
    [
        ("", "Ce champ est obligatoire."),
        ("\n  \n", "Ce champ est obligatoire."),
        ("\n - \n", "n’est pas un prénom accepté"),
        (
            "\n".join(f"Nom{chr(65 + i % 26)}{chr(65 + i // 26)}" for i in range(31)),
            "30 comptes au plus",
        ),
        ("\n".join(["Ali"] * 500), "30 comptes au plus"),
        ("Amina\namina", "apparaît deux fois"),
        ("<script>alert(1)</script>", "n’est pas un prénom accepté"),
        ("Bob\x00", "caractère nul"),
        ("Bob\x1b", "Retirez de ce texte les caractères de contrôle invisibles"),
        ("=HYPERLINK(1)", "n’est pas un prénom accepté"),
        ("A" * 61, "n’est pas un prénom accepté"),
    ],
)
def test_bad_name_lists_say_why_and_create_nothing(client, place, names, message):
    client.force_login(place["tutor"])
    users = User.objects.count()
    response = _create(client, place["cohort"], names)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert User.objects.count() == users and not StartCode.objects.exists()


def test_names_of_the_world_and_homonyms_get_readable_distinct_usernames(place):
    accounts = accounts_create(
        tutor=place["tutor"],
        cohort=place["cohort"],
        names=["Zoé", "Zoe K.", "Ngọc Anh", "王芳", "O'Neil"],
    )
    names = [a.user.username for a in accounts]
    assert len(set(names)) == 5
    assert names[0].startswith("zoe.") and names[1].startswith("zoe.k.")
    assert names[2].startswith("ngoc.anh.") and names[3].startswith("apprenant.")
    assert username_base("O'Neil") in ("oneil", "o.neil")


# First log-in with the start code


def test_first_log_in_sets_the_password_then_asks_for_consent(client, place):
    client.force_login(place["tutor"])
    code = _codes(_create(client, place["cohort"], "Amina").content.decode())[0]
    amina = User.objects.get(display_name="Amina")
    client.logout()
    # The card's QR code opens the page with the username filled in.
    page = client.get(reverse("start_code") + f"?username={amina.username}")
    assert f'value="{amina.username}"' in page.content.decode()
    response = _redeem(client, amina.username.upper(), code.lower().replace("-", " "))
    assert response.status_code == 302
    assert response["Location"] == reverse("cohorts:join_code", args=[place["cohort"].invite_code])
    amina.refresh_from_db()
    assert amina.check_password(NEW_PASSWORD)
    assert StartCode.objects.get(user=amina).used_at is not None
    # Consent: then, and only then, the tutor sees her.
    assert client.get(response["Location"]).status_code == 200
    client.post(response["Location"], {"consent": "on"})
    assert CohortMembership.objects.get(learner=amina).consented_at is not None
    client.force_login(place["tutor"])
    assert (
        client.get(reverse("tutor:learner", args=[place["cohort"].pk, amina.pk])).status_code == 200
    )


def test_a_start_code_works_once(client, place):
    user = make_learner(username="amina")
    code = start_code_issue(
        user=user, reason=StartCode.Reason.NEW_ACCOUNT, issued_by=place["tutor"]
    )
    assert _redeem(client, "amina", code).status_code == 302
    client.logout()
    response = _redeem(client, "amina", code, password="un-autre-mot-de-passe")
    assert response.status_code == 422
    assert "ne fonctionne pas" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_start_code_expires_after_the_setting(client, place, settings):
    settings.START_CODE_VALID_DAYS = 3
    user = make_learner(username="amina", password="ancien-mot-de-passe")
    issued = timezone.now()
    with time_machine.travel(issued, tick=False):
        code = start_code_issue(user=user, reason=StartCode.Reason.NEW_ACCOUNT)
    with time_machine.travel(issued + timedelta(days=3), tick=False):
        assert _redeem(client, "amina", code).status_code == 422
    user.refresh_from_db()
    assert user.check_password("ancien-mot-de-passe")
    with time_machine.travel(issued + timedelta(days=3) - timedelta(seconds=1), tick=False):
        assert _redeem(client, "amina", code).status_code == 302


def test_a_newer_code_replaces_the_older_one(client, place):
    user = make_learner(username="amina")
    old = start_code_issue(user=user, reason=StartCode.Reason.NEW_ACCOUNT)
    new = start_code_issue(user=user, reason=StartCode.Reason.FORGOTTEN_PASSWORD)
    assert _redeem(client, "amina", old).status_code == 422
    assert _redeem(client, "amina", new).status_code == 302


@pytest.mark.parametrize(
    "username, code, password, password2, field",
    [
        ("nobody", "VALID", NEW_PASSWORD, None, "ne fonctionne pas"),
        ("amina", "AAAA-AAAA", NEW_PASSWORD, None, "ne fonctionne pas"),
        ("amina", "", NEW_PASSWORD, None, "Ce champ est obligatoire"),
        ("amina", "VALID", "123", None, "trop court"),
        ("amina", "VALID", NEW_PASSWORD, "autre-chose-solide", "pas identiques"),
        ("amina", "VALID" + "9" * 30, NEW_PASSWORD, None, "au plus"),
        ("a\x00mina", "VALID", NEW_PASSWORD, None, "caractère nul"),
    ],
)
def test_bad_start_code_log_ins_say_why_and_change_nothing(
    client, place, username, code, password, password2, field
):
    user = make_learner(username="amina", password="ancien-mot-de-passe")
    valid = start_code_issue(user=user, reason=StartCode.Reason.NEW_ACCOUNT)
    response = _redeem(client, username, code.replace("VALID", valid), password, password2)
    assert response.status_code == 422
    assert field in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("ancien-mot-de-passe")
    assert StartCode.objects.get(user=user).used_at is None
    assert "_auth_user_id" not in client.session


def test_start_code_log_in_is_limited_like_passwords(client, place, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT = 3
    user = make_learner(username="amina")
    code = start_code_issue(user=user, reason=StartCode.Reason.NEW_ACCOUNT)
    for _ in range(3):
        assert _redeem(client, "amina", "AAAA-AAAA").status_code == 422
    # Even the right code is refused, unchecked, while the pause lasts.
    response = _redeem(client, "amina", code)
    assert response.status_code == 429
    assert "Trop d’essais manqués" in response.content.decode()
    assert StartCode.objects.get(user=user).used_at is None


# Password help in person


def _member(place, **fields):
    user = make_learner(**fields)
    membership_join(learner=user, cohort=place["cohort"])
    return user


def _help(client, cohort, learner):
    return client.post(reverse("tutor:password_help", args=[cohort.pk, learner.pk]))


def test_a_tutor_gives_a_member_without_email_a_new_code_and_the_old_password_stops_at_its_use(
    client, place
):
    amina = _member(place, username="amina", password="ancien-mot-de-passe")
    client.force_login(place["tutor"])
    page = client.get(
        reverse("tutor:learner", args=[place["cohort"].pk, amina.pk])
    ).content.decode()
    assert "Donner un nouveau code de démarrage" in page
    # The offer is in the page's body, once; the title stays plain text.
    title = page.split("<title>")[1].split("</title>")[0]
    assert "<" not in title and page.count('id="password-heading"') == 1
    response = _help(client, place["cohort"], amina)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    (code,) = _codes(response.content.decode())
    start = StartCode.objects.get(user=amina)
    assert start.reason == StartCode.Reason.FORGOTTEN_PASSWORD and start.issued_by == place["tutor"]
    client.logout()
    # The old password works until the code is used...
    assert client.login(username="amina", password="ancien-mot-de-passe")
    client.logout()
    assert _redeem(client, "amina", code)["Location"] == reverse("home")
    client.logout()
    # ... and not after.
    assert not client.login(username="amina", password="ancien-mot-de-passe")
    assert client.login(username="amina", password=NEW_PASSWORD)
    # The learner sees it in the history of their account.
    history = client.get(reverse("profile")).content.decode()
    assert "Historique de votre compte" in history and "Théo Tuteur" in history
    assert "Mot de passe oublié" in history and "Utilisé le" in history


@pytest.mark.parametrize(
    "case", ["email", "staff", "tutor", "manager", "pending", "other_cohort", "self"]
)
def test_password_help_is_refused_outside_its_rule_and_changes_nothing(client, place, case):
    cohort = place["cohort"]
    if case == "email":
        target = _member(place, username="x", email="x@example.org")
    elif case == "staff":
        target = _member(place, username="x", is_staff=True)
    elif case == "tutor":
        target = _member(place, username="x")
        make_cohort(tutors=[target])
    elif case == "manager":
        target = _member(place, username="x")
        make_organisation(managers=[target])
    elif case == "pending":
        target = make_learner(username="x")
        CohortMembership.objects.create(cohort=cohort, learner=target)
    elif case == "other_cohort":
        target = make_learner(username="x")
        membership_join(learner=target, cohort=place["other_cohort"])
    else:
        target = place["tutor"]
    password = target.password
    client.force_login(place["tutor"])
    response = _help(client, cohort, target)
    assert response.status_code in (302, 404)
    if case in ("pending", "other_cohort", "self"):
        assert response.status_code == 404
    assert not StartCode.objects.exists()
    target.refresh_from_db()
    assert target.password == password


@pytest.mark.parametrize(
    "who",
    ["anonymous", "learner", "member", "other_member", "other_tutor", "other_manager", "staff"],
)
def test_password_help_from_outside_the_cohorts_tutors_is_refused(client, place, who):
    amina = _member(place, username="amina")
    users = {
        "learner": make_learner(username="plain"),
        "member": _member(place, username="member"),
        "other_member": make_learner(username="elsewhere"),
        "other_tutor": place["other_tutor"],
        "other_manager": make_user(username="boss"),
        "staff": make_user(username="staff", is_staff=True, is_superuser=True),
    }
    membership_join(learner=users["other_member"], cohort=place["other_cohort"])
    make_organisation(managers=[users["other_manager"]])
    if who != "anonymous":
        client.force_login(users[who])
    response = _help(client, place["cohort"], amina)
    assert response.status_code == (302 if who == "anonymous" else 404)
    if who == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    assert not StartCode.objects.exists()


def test_a_start_code_opens_only_its_own_account(client, place):
    amina = make_learner(username="amina", password="secret-d-amina-1")
    bruno = make_learner(username="bruno", password="secret-de-bruno-1")
    code = start_code_issue(user=amina, reason=StartCode.Reason.NEW_ACCOUNT)
    assert _redeem(client, "bruno", code).status_code == 422
    bruno.refresh_from_db()
    assert bruno.check_password("secret-de-bruno-1")
    assert StartCode.objects.get(user=amina).used_at is None


# Log-in by username or e-mail


def test_log_in_accepts_a_username_or_an_email_in_any_case(client, db):
    make_learner(username="amina", email="Amina.K@Example.org", password="mot-de-passe-long")
    for identifier in ("amina", "AMINA", "amina.k@example.org", " AMINA.K@EXAMPLE.ORG"):
        response = client.post(
            reverse("login"), {"username": identifier, "password": "mot-de-passe-long"}
        )
        assert response.status_code == 302, identifier
        client.logout()
    response = client.post(
        reverse("login"), {"username": "amina.k@example.org", "password": "wrong"}
    )
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_an_email_logs_its_one_account_in_whatever_its_case(client, db):
    """Two accounts cannot share an address in any case (the database
    refuses it: tests/bad_input/test_emails.py), so an address names one."""
    make_learner(username="a1", email="same@example.org", password="mot-de-passe-long")
    response = client.post(
        reverse("login"), {"username": "SAME@Example.org", "password": "mot-de-passe-long"}
    )
    assert response.status_code == 302 and client.session["_auth_user_id"]
