"""With the demo data: the demo learner joins the demo group by its code and
the demo tutor sees their progress after each grain they finish."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from courses.models import Unit
from learning_platform.models import Cohort

pytestmark = pytest.mark.django_db

CONTENT = Path(__file__).resolve().parents[2] / "content"


def test_demo_tutor_follows_the_demo_learner_grain_by_grain(client, settings):
    settings.DEBUG = True  # seed_demo refuses otherwise
    call_command("load_content", str(CONTENT), stdout=StringIO())
    out = StringIO()
    call_command("seed_demo", stdout=out)
    code = re.search(r"join code (\w+)", out.getvalue()).group(1)
    users = get_user_model().objects
    learner, tutor = users.get(username="apprenant"), users.get(username="tuteur")
    cohort = Cohort.objects.get(invite_code=code)

    client.force_login(learner)
    join = client.post(reverse("cohorts:join"), {"code": code.lower()})
    client.post(join.url, {"consent": "on"})

    course = cohort.assigned_courses.first().course
    grains = list(course.units.exclude(kind=Unit.Kind.QUIZ).order_by("position"))
    page = reverse("tutor:cohort", args=[cohort.pk])
    seen = []
    for grain in grains:
        client.force_login(learner)
        client.get(grain.get_absolute_url())
        client.post(reverse("progress:complete", args=[grain.id]))
        client.force_login(tutor)
        body = client.get(page).content.decode()
        assert "Camille (apprenante)" in body
        seen.append(int(re.search(r"<span class=\"num\">(\d+)&nbsp;%", body).group(1)))
    assert seen == sorted(seen) and len(set(seen)) == len(seen) and seen[0] > 0
