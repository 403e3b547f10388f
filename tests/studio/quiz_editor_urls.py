"""The project's URLs with a stand-in for the quizzes app's question editor
(``quizzes:studio_quiz``), which another branch builds: the studio links a
quiz grain to it once it exists."""

from django.http import HttpResponse
from django.urls import include, path

from learning_platform.urls import urlpatterns as project_urlpatterns
from quizzes.urls import urlpatterns as quiz_urlpatterns


def _editor(request, unit_id):
    return HttpResponse(f"editor {unit_id}")


urlpatterns = [
    path(
        "quiz/",
        include(
            (
                [*quiz_urlpatterns, path("studio/<id:unit_id>/", _editor, name="studio_quiz")],
                "quizzes",
            )
        ),
    ),
    *[p for p in project_urlpatterns if str(p.pattern) != "quiz/"],
]
