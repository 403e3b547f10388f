"""Error reports, at /courses/signalements/ (see courses.report_views)."""

from django.urls import path

from . import report_views

app_name = "reports"

urlpatterns = [
    path("", report_views.reports_review, name="review_list"),
    path("nouveau/", report_views.report_create, name="create"),
    path("mes-signalements/", report_views.reports_mine, name="mine"),
    path("<id:report_id>/", report_views.report_review, name="review"),
]
