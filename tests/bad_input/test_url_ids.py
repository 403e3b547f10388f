"""Every URL pattern of the project with an integer slot, walked with the
values a tampered request sends: never a server error.

The patterns come from the resolver itself, so a new URL is walked the day
it is added. Each integer slot gets each bad value in turn while the other
slots hold real ids (the tutor's cohort, its member, ...), so the request
reaches the code behind the first lookup; every slot is sent by GET and
POST, as an anonymous visitor, a learner, a tutor and staff.
"""

import re
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter
from django.urls.resolvers import RoutePattern

from learning_platform.inputs import IdConverter
from tests.bad_input.helpers import BAD_IDS

SLOT = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    """A URL pattern as a route string with its converters, e.g.
    ``tutor/cohorts/<id:cohort_id>/``, and the names of its integer slots."""

    route: str
    id_slots: tuple[str, ...]


def _walk(patterns, prefix="", converters=None):
    for entry in patterns:
        pattern = entry.pattern
        if not isinstance(pattern, RoutePattern):
            continue  # a regex: the API's catch-all, the admin's app index
        route = prefix + str(pattern)
        found = {**(converters or {}), **pattern.converters}
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route, found)
        elif isinstance(entry, URLPattern):
            yield route, found


def _routes(*, with_ids_only: bool = True) -> list[Route]:
    routes = []
    for route, converters in _walk(get_resolver().url_patterns):
        slots = tuple(
            name
            for name, converter in converters.items()
            if isinstance(converter, IntConverter | IdConverter)
            # The admin's object pages take any primary key as a path.
            or (name == "object_id" and route.startswith("admin/"))
        )
        if slots or not with_ids_only:
            routes.append(Route(route, slots))
    return routes


def test_the_walk_finds_the_patterns_with_ids():
    routes = {r.route for r in _routes()}
    assert "quiz/<id:unit_id>/start/" in routes
    assert "tutor/cohorts/<id:cohort_id>/learners/<id:learner_id>/" in routes
    assert "api/v1/tutor/cohorts/<id:cohort_id>/progress/" in routes
    assert len(routes) > 25


def test_no_url_reads_an_integer_with_djangos_int_converter():
    """``<int:...>`` takes any number of digits to the ORM; ``<id:...>``
    stops an id the column cannot hold at the resolver (a 404)."""
    plain = [
        route
        for route, converters in _walk(get_resolver().url_patterns)
        if any(type(c) is IntConverter for c in converters.values())
    ]
    assert plain == []


def _fill(route: str, values: dict[str, str]) -> str:
    """The route with each slot given its value: ``values`` for the named
    ones, a plausible one by converter for the others."""
    defaults = {
        "slug": "mots-de-passe",
        "uuid": "6f1b0a46-8a1f-4e0c-9d3e-4b1c2f0a9e11",
        "str": "x",
        "path": "1",
    }

    def value(match):
        name = match["name"]
        if name in values:
            return values[name]
        return defaults.get(match["converter"] or "str", "x")

    return "/" + SLOT.sub(value, route)


class _RolledBack(Exception):
    pass


def _status(method, url: str, data: dict | None = None):
    """The status of the request, or the exception it raised; whatever the
    request wrote is rolled back, so that each one meets the same world."""
    try:
        with transaction.atomic():
            status = method(url, data or {}).status_code
            raise _RolledBack
    except _RolledBack:
        return status
    except Exception as error:  # noqa: BLE001 - the report names it
        return f"{type(error).__name__}: {str(error)[:80]}"


def _clients(world) -> dict[str, Client]:
    clients = {}
    for persona, user in [
        ("anonymous", None),
        ("learner", world.learner),
        ("tutor", world.tutor),
        ("staff", world.staff),
    ]:
        clients[persona] = Client()
        if user is not None:
            clients[persona].force_login(user)
    return clients


def _short(url: str) -> str:
    return url if len(url) < 120 else url[:60] + "…" + url[-30:]


@pytest.mark.parametrize("route", _routes(), ids=lambda r: r.route)
def test_no_bad_id_in_a_url_gives_a_server_error(world, route):
    errors = []
    for persona, client in _clients(world).items():
        for slot in route.id_slots:
            for bad in BAD_IDS:
                values = {name: str(world.real.get(name, 1)) for name in route.id_slots}
                values[slot] = bad
                url = _fill(route.route, values)
                for method in (client.get, client.post):
                    status = _status(method, url)
                    if not isinstance(status, int) or status >= 500:
                        errors.append(
                            f"{persona} {method.__name__.upper()} {_short(url)}: {status}"
                        )
    assert errors == []


def _fields(world, bad: str) -> dict[str, str]:
    """Every query-string option and form field of the project that takes a
    number or an id, and the text fields beside them, all set to ``bad``."""
    question = world.attempt.drawn[0]["question"]
    fields = {
        name: bad
        for name in (
            "page", "page_size", "flag", "q", "level", "area", "email", "sep", "next",
            "play", "username", "code", "course", "organisation", "due_date", "name",
            "identifier", "names", "display_name", "reason", "extra", "show_name",
            "restore", "advance", "consent", "token-name", "cohort", "quiz", "learner",
        )
    }  # fmt: skip
    return {**fields, "sort": f"course-{bad}", f"q-{question}": bad, f"q-{bad}": "1"}


# Every page of the project's apps. Not the log-out pages (they would log
# the client out for the requests after them), the admin (Django's own
# forms: the id walk above sends it bad object ids) or the API schema (it
# reads no parameter and takes seconds to build).
_QUERY_WALK = [
    r
    for r in _routes(with_ids_only=False)
    if "logout" not in r.route and not r.route.startswith(("admin/", "api/schema/"))
]


@pytest.mark.parametrize("route", _QUERY_WALK, ids=lambda r: r.route or "/")
def test_no_bad_number_in_a_query_string_or_a_form_gives_a_server_error(world, route):
    """Every page, with real ids in its path, gets the bad values in every
    option and field that the project reads as a number."""
    errors = []
    url = _fill(route.route, {name: str(world.real.get(name, 1)) for name in route.id_slots})
    for persona, client in _clients(world).items():
        for bad in BAD_IDS:
            fields = _fields(world, bad)
            for method in (client.get, client.post):
                status = _status(method, url, fields)
                if not isinstance(status, int) or status >= 500:
                    errors.append(f"{persona} {method.__name__.upper()} {url} {bad[:12]}: {status}")
    assert errors == []
