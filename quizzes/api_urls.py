"""The quizzes' API endpoints, included under /api/v1/ (names ``api:...``)."""

from django.urls import path

from . import api

urlpatterns = [
    path("quizzes/<id:unit_id>/attempts/", api.AttemptStartView.as_view(), name="attempt-start"),
    path("attempts/<id:attempt_id>/", api.AttemptDetailView.as_view(), name="attempt-detail"),
    path(
        "attempts/<id:attempt_id>/submit/",
        api.AttemptSubmitView.as_view(),
        name="attempt-submit",
    ),
]
