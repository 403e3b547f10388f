from django.urls import path

from . import studio_views, views

app_name = "quizzes"

urlpatterns = [
    path("<id:unit_id>/start/", views.attempt_start, name="start"),
    path("attempts/<id:attempt_id>/", views.attempt_detail, name="attempt"),
    path("attempts/<id:attempt_id>/submit/", views.attempt_submit, name="submit"),
    # The studio's quiz editor, for the authors of a draft course.
    path("studio/<id:unit_id>/", studio_views.studio_quiz, name="studio_quiz"),
    path(
        "studio/<id:unit_id>/settings/",
        studio_views.studio_quiz_settings,
        name="studio_quiz_settings",
    ),
    path(
        "studio/<id:unit_id>/questions/new/",
        studio_views.studio_question_new,
        name="studio_question_new",
    ),
    path(
        "studio/<id:unit_id>/questions/<id:question_id>/",
        studio_views.studio_question_edit,
        name="studio_question_edit",
    ),
    path(
        "studio/<id:unit_id>/questions/<id:question_id>/move/",
        studio_views.studio_question_move,
        name="studio_question_move",
    ),
    path(
        "studio/<id:unit_id>/questions/<id:question_id>/delete/",
        studio_views.studio_question_delete,
        name="studio_question_delete",
    ),
]
