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
from tests.bad_input.conftest import BAD_IDS

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


def _routes() -> list[Route]:
    routes = []
    for route, converters in _walk(get_resolver().url_patterns):
        slots = tuple(
            name
            for name, converter in converters.items()
            if isinstance(converter, IntConverter | IdConverter)
            # The admin's object pages take any primary key as a path.
            or (name == "object_id" and route.startswith("admin/"))
        )
        if slots:
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


@pytest.mark.parametrize("route", _routes(), ids=lambda r: r.route)
def test_no_bad_id_in_a_url_gives_a_server_error(world, route):
    personas = {"anonymous": None, "learner": world.learner, "tutor": world.tutor}
    personas["staff"] = world.staff
    errors = []
    for persona, user in personas.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        for slot in route.id_slots:
            for bad in BAD_IDS:
                values = {name: str(world.real.get(name, 1)) for name in route.id_slots}
                values[slot] = bad
                url = _fill(route.route, values)
                for method in (client.get, client.post):
                    try:
                        with transaction.atomic():
                            status = method(url).status_code
                    except Exception as error:  # noqa: BLE001 - the report names it
                        status = f"{type(error).__name__}: {str(error)[:80]}"
                    if not isinstance(status, int) or status >= 500:
                        short = url if len(url) < 120 else url[:60] + "…" + url[-30:]
                        errors.append(f"{persona} {method.__name__.upper()} {short}: {status}")
    assert errors == []
