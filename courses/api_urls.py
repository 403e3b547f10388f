"""The catalogue's API endpoints, included under /api/v1/ (names ``api:...``)."""

from django.urls import path

from . import api

urlpatterns = [
    path("courses/", api.CourseListView.as_view(), name="course-list"),
    path("courses/<slug:slug>/", api.CourseDetailView.as_view(), name="course-detail"),
    path(
        "courses/<slug:slug>/units/<slug:unit_slug>/",
        api.UnitDetailView.as_view(),
        name="unit-detail",
    ),
    path("competence-areas/", api.CompetenceAreaListView.as_view(), name="competence-area-list"),
]
