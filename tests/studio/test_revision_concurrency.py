"""Authors starting a revision of the same course at once get one working
copy: the published course's row is locked while the copy is made (on
SQLite, the write lock taken at BEGIN orders them)."""

import pytest

from courses.models import Course
from studio.services import revision_start
from tests.concurrency import race
from tests.factories import make_course, make_question, make_quiz, make_unit, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WORKERS = 4


def test_authors_starting_a_revision_at_once_share_one_working_copy():
    course = make_course(title="Sécuriser ses comptes", slug="securiser")
    authors = [make_user(is_author=True) for _ in range(WORKERS)]
    course.authors.add(*authors)
    make_unit(course, slug="fiche")
    make_question(make_quiz(course))
    turn = iter(authors)

    def start():
        return revision_start(user=next(turn), course=course)

    copies, errors = race(start, WORKERS)

    assert errors == []
    assert len({copy.pk for copy in copies}) == 1
    assert Course.objects.filter(revision_of=course).count() == 1
    assert Course.objects.get(revision_of=course).units.count() == 2
