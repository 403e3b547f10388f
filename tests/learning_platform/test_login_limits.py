"""Login attempts limited per account and per address (issue #6): 5 failures
for one account, or 20 from one address, within 15 minutes, and further
attempts are refused until the window ends; nobody else is locked out."""

import re
import threading
from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS
from django.test import Client, RequestFactory
from django.urls import reverse

from learning_platform import login_limits

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"  # tests.factories.make_user's
ADDRESS = "203.0.113.7"
OTHER_ADDRESS = "198.51.100.9"
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _login(client, username, password, *, address=ADDRESS, url=None):
    return client.post(
        url or reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **ENGLISH,
    )


def _fail(client, username, times=1, *, address=ADDRESS, url=None):
    for _ in range(times):
        response = _login(client, username, "wrong password", address=address, url=url)
        assert response.status_code == 200
        assert response.context["form"].has_error(NON_FIELD_ERRORS, "invalid_login")


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def _refused(response) -> bool:
    return response.status_code == 429 and response.context["form"].has_error(
        NON_FIELD_ERRORS, "too_many_attempts"
    )


def test_account_logs_in_after_four_failures(client, learner):
    _fail(client, "learner", 4)

    response = _login(client, "learner", PASSWORD)

    assert response.status_code == 302 and _logged_in(client)


def test_account_is_refused_after_five_failures_even_with_the_right_password(client, learner):
    _fail(client, "learner", 5)

    response = _login(client, "learner", PASSWORD)

    assert _refused(response)
    assert not _logged_in(client)
    page = response.content.decode()
    assert "Too many failed attempts to log in" in page
    assert "paused for 15 minutes" in page
    assert 'role="alert"' in page


def test_account_limit_holds_from_every_address_and_any_case(client, learner):
    _fail(client, "learner", 3, address=ADDRESS)
    _fail(client, "LEARNER", 2, address=OTHER_ADDRESS)

    assert _refused(_login(client, "learner", PASSWORD, address="192.0.2.1"))


def test_unknown_account_is_refused_the_same_way(client):
    """The refusal tells nothing of whether the account exists."""
    _fail(client, "nobody-here", 5)

    assert _refused(_login(client, "nobody-here", "anything"))


def test_address_logs_in_after_nineteen_failures_and_is_refused_at_twenty(client, learner):
    for n in range(19):
        _fail(client, f"guess{n}")
    assert _login(client, "learner", PASSWORD).status_code == 302
    client.logout()

    _fail(client, "guess19")

    assert _refused(_login(client, "learner", PASSWORD))
    assert not _logged_in(client)


def test_other_account_from_another_address_still_logs_in(client, learner, other_learner):
    for n in range(20):
        _fail(client, f"guess{n}")
    _fail(client, "learner", 5, address=OTHER_ADDRESS)

    assert _refused(_login(client, "learner", PASSWORD, address=OTHER_ADDRESS))
    assert _refused(_login(client, "other", PASSWORD, address=ADDRESS))
    response = _login(Client(), "other", PASSWORD, address="192.0.2.44")
    assert response.status_code == 302


def test_other_account_from_the_same_address_still_logs_in(client, learner, other_learner):
    """An account locked by a guesser does not lock out its neighbours on a
    shared connection (a digital public space, a small office)."""
    _fail(client, "learner", 5)

    response = _login(client, "other", PASSWORD)

    assert response.status_code == 302 and _logged_in(client)


def test_success_resets_the_account_count(client, learner):
    _fail(client, "learner", 4)
    assert _login(client, "learner", PASSWORD).status_code == 302
    client.logout()

    _fail(client, "learner", 4)

    assert _login(client, "learner", PASSWORD).status_code == 302


def test_success_does_not_reset_the_address_count(client, learner):
    """Otherwise a guesser with one account of their own could reset it at will."""
    for n in range(19):
        _fail(client, f"guess{n}")
    assert _login(client, "learner", PASSWORD).status_code == 302
    client.logout()

    _fail(client, "guess19")

    assert _refused(_login(client, "learner", PASSWORD))


def test_refused_attempts_do_not_extend_the_window(settings, client, learner):
    # The window is the cache entry's expiry, read from time.time() by the
    # local-memory cache: the clock is moved instead of waited for. Redis
    # expires keys on its own clock, which no test can move: this test uses
    # local memory whatever REDIS_URL says.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    settings.LOGIN_FAILURE_WINDOW_SECONDS = 60
    with time_machine.travel(datetime(2030, 1, 1, 9, 0, tzinfo=UTC), tick=False) as clock:
        _fail(client, "learner", 5)
        clock.shift(59)
        assert _refused(_login(client, "learner", PASSWORD))  # refused at second 59

        clock.shift(2)  # second 61: the window opened by the first failure is over

        assert _login(client, "learner", PASSWORD).status_code == 302


def test_admin_login_is_limited_too(client, staff):
    admin_login = reverse("admin:login")
    for _ in range(5):
        response = _login(client, staff.username, "wrong password", url=admin_login)
        assert response.context["form"].has_error(NON_FIELD_ERRORS, "invalid_login")

    response = _login(client, staff.username, PASSWORD, url=admin_login)

    assert response.context["form"].has_error(NON_FIELD_ERRORS, "too_many_attempts")
    assert not _logged_in(client)
    # and the site's login counts the same failures
    assert _refused(_login(client, staff.username, PASSWORD))


def test_password_reset_is_no_way_around_the_limit(client, learner):
    learner.email = "learner@example.org"
    learner.save()
    _fail(client, "learner", 5)

    response = client.post(
        reverse("password_reset"), {"email": "learner@example.org"}, REMOTE_ADDR=ADDRESS
    )

    assert response.status_code == 302
    assert _refused(_login(client, "learner", PASSWORD))
    assert len(mail.outbox) == 1


def test_new_password_from_the_emailed_link_lifts_the_account_limit(client, learner):
    learner.email = "learner@example.org"
    learner.save()
    _fail(client, "learner", 5)
    client.post(reverse("password_reset"), {"email": "learner@example.org"})
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)

    form_url = client.get(link).url  # Django swaps the token for a session marker
    new_password = "a-brand-new-long-password"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})

    assert response.status_code == 302
    assert _login(client, "learner", new_password).status_code == 302


def test_client_address_is_remote_addr_unless_behind_trusted_proxies(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.66, 203.0.113.7"
    )

    settings.TRUSTED_PROXY_COUNT = 0
    assert login_limits.client_address(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert login_limits.client_address(request) == "203.0.113.7"
    settings.TRUSTED_PROXY_COUNT = 2
    assert login_limits.client_address(request) == "192.0.2.66"
    settings.TRUSTED_PROXY_COUNT = 3  # fewer entries than proxies: the header is not ours
    assert login_limits.client_address(request) == "10.0.0.2"


def test_ipv6_addresses_of_one_subscriber_share_one_count():
    for n in range(20):
        login_limits.login_failure_record(username=f"guess{n}", address=f"2001:db8:1:2::{n + 1}")

    assert login_limits.login_refused(username="someone", address="2001:db8:1:2::ffff")
    assert not login_limits.login_refused(username="someone", address="2001:db8:1:3::1")


def test_concurrent_failures_are_all_counted():
    """Several app processes record failures at once: none is lost (incr is
    atomic in local memory and on Redis, which CI runs this suite against)."""
    threads = [
        threading.Thread(
            target=login_limits.login_failure_record,
            kwargs={"username": "target", "address": ADDRESS},
        )
        for _ in range(20)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert cache.get(login_limits._account_key("target")) == 20
    assert cache.get(login_limits._address_key(ADDRESS)) == 20


def test_refused_login_creates_no_session_and_changes_no_user(client, learner):
    _fail(client, "learner", 5)
    before = get_user_model().objects.get(pk=learner.pk).last_login

    _login(client, "learner", PASSWORD)

    assert get_user_model().objects.get(pk=learner.pk).last_login == before
