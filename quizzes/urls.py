from django.urls import path

from . import views

app_name = "quizzes"

urlpatterns = [
    path("<id:unit_id>/start/", views.attempt_start, name="start"),
    path("attempts/<id:attempt_id>/", views.attempt_detail, name="attempt"),
    path("attempts/<id:attempt_id>/submit/", views.attempt_submit, name="submit"),
]
