"""Writes of the courses app: the search index of a course."""

from django.db import transaction

from .models import Course, SearchTerm
from .search import document_terms


def course_search_index(*, course: Course) -> int:
    """Rebuild the course's search terms from its title, keywords, summary,
    competences, description and grains (titles, texts, transcripts).
    Returns the number of terms. Call it after saving a course or a grain."""
    units = list(course.units.values_list("title", "body", "transcript"))
    competences = list(course.competences.values_list("name_fr", "name_en"))
    fields = {
        "title": [course.title],
        "keywords": [course.keywords],
        "summary": [course.summary],
        "competences": [name for pair in competences for name in pair],
        "grain_titles": [title for title, _body, _transcript in units],
        "text": [course.description]
        + [body for _title, body, _t in units]
        + [transcript for _title, _body, transcript in units],
    }
    terms = document_terms(fields)
    with transaction.atomic():
        SearchTerm.objects.filter(course=course).delete()
        SearchTerm.objects.bulk_create(
            SearchTerm(course=course, term=term, weight=weight, word=word)
            for term, (weight, word) in terms.items()
        )
    return len(terms)


def search_index_all() -> int:
    """Rebuild every course's index (after a migration or an import)."""
    return sum(course_search_index(course=course) for course in Course.objects.all())
