from django.urls import path

from learning_platform import workshop_views as workshop

from . import tutor_views as views

app_name = "tutor"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cohorts/new/", workshop.cohort_create, name="cohort_new"),
    path("cohorts/<id:cohort_id>/settings/", workshop.cohort_settings, name="cohort_settings"),
    path("cohorts/<id:cohort_id>/archive/", workshop.cohort_archive, name="cohort_archive"),
    path("cohorts/<id:cohort_id>/code/", workshop.cohort_code, name="cohort_code"),
    path("cohorts/<id:cohort_id>/tutors/", workshop.tutor_add, name="tutor_add"),
    path(
        "cohorts/<id:cohort_id>/tutors/<id:tutor_id>/remove/",
        workshop.tutor_remove,
        name="tutor_remove",
    ),
    path("cohorts/<id:cohort_id>/invite-sheet/", workshop.invite_sheet, name="invite_sheet"),
    path("cohorts/<id:cohort_id>/accounts/", workshop.accounts_create, name="accounts_new"),
    path(
        "cohorts/<id:cohort_id>/learners/<id:learner_id>/start-code/",
        workshop.password_help,
        name="password_help",
    ),
    path("cohorts/<id:cohort_id>/", views.cohort_detail, name="cohort"),
    path("cohorts/<id:cohort_id>/export.csv", views.cohort_export, name="export"),
    path("cohorts/<id:cohort_id>/learners/add/", views.learner_add, name="learner_add"),
    path(
        "cohorts/<id:cohort_id>/learners/<id:learner_id>/",
        views.learner_detail,
        name="learner",
    ),
    path(
        "cohorts/<id:cohort_id>/learners/<id:learner_id>/quizzes/<id:quiz_id>/grant/",
        views.attempt_grant,
        name="attempt_grant",
    ),
    path(
        "cohorts/<id:cohort_id>/learners/<id:learner_id>/remove/",
        views.learner_remove,
        name="learner_remove",
    ),
    path("cohorts/<id:cohort_id>/courses/", views.course_assign, name="course_assign"),
    path(
        "cohorts/<id:cohort_id>/courses/<id:assignment_id>/remove/",
        views.course_unassign,
        name="course_unassign",
    ),
    path("cohorts/<id:cohort_id>/quizzes/<id:quiz_id>/", views.cohort_quiz, name="cohort_quiz"),
    path("courses/<slug:slug>/questions/", views.course_quiz_stats, name="course_stats"),
]
