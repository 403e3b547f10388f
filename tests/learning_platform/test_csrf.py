"""CSRF on every state change (issue #6): every URL of the site, POSTed
without a CSRF token by a logged-in learner, answers 403."""

import itertools
import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils.regex_helper import normalize

pytestmark = pytest.mark.django_db

# View (dotted path) -> why it may take a POST without a CSRF token. Each entry
# needs a reason a reviewer accepts; there is none today.
CSRF_EXEMPT: dict[str, str] = {}

# Values tried for each URL parameter until the URL resolves to the pattern.
_SAMPLES = ["1", "x", str(uuid.UUID(int=1)), "auth", "learning_platform", "courses", "MQ", "a-b"]


def _view_name(callback) -> str:
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None) or callback
    return f"{view.__module__}.{view.__qualname__}"


def _candidates(pattern) -> list[str]:
    """Strings matching one pattern's own regex (without its parents')."""
    found = []
    for template, params in normalize(pattern.regex.pattern):
        for values in itertools.product(_SAMPLES, repeat=len(params)):
            found.append(template % dict(zip(params, values, strict=True)))
    return found


def _leaves(resolver=None, prefixes=("",), route=""):
    """(path, pattern) for every reachable URL pattern, with a path that
    resolves to it."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        paths = [p + c for p in prefixes for c in _candidates(pattern.pattern)]
        if isinstance(pattern, URLResolver):
            yield from _leaves(pattern, paths, route + str(pattern.pattern))
            continue
        assert isinstance(pattern, URLPattern)
        shadowed = False
        for path in paths:
            try:
                match = resolve("/" + path)
            except Resolver404:
                continue
            if match.func == pattern.callback:
                yield "/" + path, pattern
                break
            # An earlier pattern has the same route (learning_platform.urls puts
            # its login view before django.contrib.auth's): that one is walked.
            shadowed = shadowed or match.route == route + str(pattern.pattern)
        else:
            if not shadowed:
                pytest.fail(f"no sample path resolves to {pattern.pattern} ({pattern.name})")


ALL_URLS = list(_leaves())


def test_the_walk_reaches_every_state_changing_view():
    paths = {path for path, _ in ALL_URLS}
    for expected in (
        "/accounts/login/",
        "/accounts/logout/",
        "/accounts/signup/",
        "/accounts/profile/",
        "/accounts/password_change/",
        "/accounts/password_reset/",
        "/i18n/setlang/",
        "/me/units/1/complete/",
        "/quiz/1/start/",
        "/quiz/attempts/1/submit/",
        "/admin/login/",
    ):
        assert expected in paths
    assert len(ALL_URLS) > 40


@pytest.mark.parametrize(
    ("path", "pattern"), ALL_URLS, ids=[f"{p.name or ''}:{path}" for path, p in ALL_URLS]
)
def test_post_without_csrf_token_is_refused(learner, path, pattern):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)

    response = client.post(path, {"x": "1"})

    if _view_name(pattern.callback) in CSRF_EXEMPT:
        return
    assert response.status_code == 403, f"{path} -> {response.status_code}"


def test_post_with_the_token_goes_through(learner):
    """The 403s above come from the missing token, not from something else."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    client.get("/accounts/profile/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value

    response = client.post(
        "/accounts/profile/", {"display_name": "Léa", "email": "", "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.display_name == "Léa"
