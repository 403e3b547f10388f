"""Progress's API endpoints, included under /api/v1/ (names ``api:...``)."""

from django.urls import path

from . import api

urlpatterns = [
    path("me/enrolments/", api.EnrolmentListView.as_view(), name="enrolment-list"),
    path("tutor/cohorts/", api.TutorCohortListView.as_view(), name="tutor-cohort-list"),
    path(
        "tutor/cohorts/<id:cohort_id>/progress/",
        api.TutorCohortProgressView.as_view(),
        name="tutor-cohort-progress",
    ),
]
