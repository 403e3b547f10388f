from django.urls import path

from . import cohort_views

app_name = "cohorts"

urlpatterns = [
    path("", cohort_views.mine, name="mine"),
    path("join/", cohort_views.join, name="join"),
    path("join/<str:code>/", cohort_views.join_code, name="join_code"),
    path("<id:cohort_id>/leave/", cohort_views.leave, name="leave"),
]
