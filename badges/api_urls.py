"""Badges' API endpoints, included under /api/v1/ (names ``api:...``)."""

from django.urls import path

from . import api

urlpatterns = [
    path("me/badges/", api.BadgeListView.as_view(), name="badge-list"),
]
