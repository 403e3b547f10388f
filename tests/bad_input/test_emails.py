"""E-mail addresses: one account an address, in any case, at sign-up, on
the profile and in the database; a badge claimed with an address another
account has leaves both accounts as they were; the badge's verification
page accepts the address in any case (the recipient hash is of the
trimmed, lower-cased address: README, "Badges")."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from badges.models import Assertion
from badges.services import assertion_claim, badge_class_ensure, hash_email
from learning_platform.models import User
from tests.bad_input.helpers import signup, users
from tests.factories import make_course, make_learner

pytestmark = pytest.mark.django_db

TAKEN = "Karim.B@Example.org"
MESSAGE = "Un autre compte utilise déjà cette adresse e-mail."


@pytest.fixture
def karim():
    return make_learner(username="karim", email=TAKEN)


@pytest.mark.parametrize(
    "email", [TAKEN, "karim.b@example.org", "KARIM.B@EXAMPLE.ORG", " karim.b@example.ORG "]
)
def test_signup_refuses_an_address_another_account_has_in_any_case(client, karim, email):
    before = users()
    response = signup(client, email=email)
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert users() == before


def test_signup_takes_an_address_no_account_has(client, karim):
    signup(client, email="karim.c@example.org")
    assert User.objects.get(username="nouvelle").email == "karim.c@example.org"


def test_the_profile_refuses_another_accounts_address_and_keeps_ones_own_in_any_case(
    client, karim, learner
):
    client.force_login(learner)
    before = users()
    response = client.post(reverse("profile"), {"display_name": "", "email": "KARIM.B@example.org"})
    assert MESSAGE in response.content.decode()
    assert users() == before
    client.force_login(karim)
    client.post(reverse("profile"), {"display_name": "Karim", "email": "karim.b@example.org"})
    assert User.objects.get(pk=karim.pk).email == "karim.b@example.org"


def test_accounts_without_an_address_are_many(db):
    make_learner(email="")
    make_learner(email="")
    assert User.objects.filter(email="").count() >= 2


def test_the_database_refuses_an_address_in_another_case(karim):
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        make_learner(email="KARIM.b@example.org")
    # SQLite names an expression's index rather than columns.
    assert "learning_platform_user_email_ci_unique" in str(excinfo.value)


def test_full_clean_refuses_an_address_in_another_case_with_the_message(karim):
    user = User(username="autre", email="karim.B@EXAMPLE.org")
    user.set_password("un-mot-de-passe-long")
    with pytest.raises(ValidationError) as excinfo:
        user.full_clean()
    assert MESSAGE in str(excinfo.value)


def _award(learner, *, email: str | None) -> Assertion:
    course = make_course(title="Mots de passe")
    salt = "sel"
    return Assertion.objects.create(
        badge_class=badge_class_ensure(course),
        learner=learner,
        issued_on=timezone.now(),
        salt=salt,
        evidence="e",
        recipient_identity=hash_email(email, salt) if email else "",
    )


def test_claiming_a_badge_with_another_accounts_address_keeps_both_accounts(karim):
    nour = make_learner(username="nour", email="")
    award = _award(nour, email=None)
    assertion_claim(assertion=award, email="KARIM.B@example.org")
    award.refresh_from_db()
    assert award.recipient_identity == hash_email("karim.b@example.org", award.salt)
    assert User.objects.get(pk=nour.pk).email == ""
    assert User.objects.get(pk=karim.pk).email == TAKEN


def test_claiming_a_badge_with_a_free_address_gives_it_to_the_account():
    nour = make_learner(username="nour", email="")
    assertion_claim(assertion=_award(nour, email=None), email=" Nour@Example.org ")
    assert User.objects.get(pk=nour.pk).email == "Nour@Example.org"


@pytest.mark.parametrize(
    "typed", [TAKEN, "karim.b@example.org", "KARIM.B@EXAMPLE.ORG", "  Karim.B@example.org "]
)
def test_the_verification_page_accepts_the_address_in_any_case(client, karim, typed):
    award = _award(karim, email=karim.email)
    response = client.get(award.get_absolute_url(), {"email": typed}, HTTP_ACCEPT="text/html")
    assert "Oui : ce badge a été délivré à cette adresse." in response.content.decode()


def test_the_hash_is_of_the_trimmed_lower_cased_address():
    expected = "sha256$" + hashlib.sha256(b"karim.b@example.orgsel").hexdigest()
    assert hash_email(" Karim.B@Example.ORG ", "sel") == expected


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_keeps_an_address_shared_in_another_case_for_the_oldest_account():
    before = [("learning_platform", "0004_cohort_archive_start_codes")]
    after = [("learning_platform", "0005_text_validators_email_unique_any_case")]
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(before)
        old_user = executor.loader.project_state(before).apps.get_model("learning_platform", "User")
        for username, email in [("aline", "Same@Example.org"), ("bruno", "same@example.org")]:
            old_user.objects.create(username=username, email=email, password="!")
        old_user.objects.create(username="chloe", email="chloe@example.org", password="!")
        MigrationExecutor(connection).migrate(after)
        emails = dict(User.objects.values_list("username", "email"))
    finally:
        # Back to the latest schema: the migrations after ``after`` too, or
        # the tests that follow meet a table without their columns.
        latest = MigrationExecutor(connection)
        latest.migrate(latest.loader.graph.leaf_nodes())
    assert emails == {"aline": "Same@Example.org", "bruno": "", "chloe": "chloe@example.org"}
