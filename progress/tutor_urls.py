from django.urls import path

from learning_platform import workshop_views as workshop

from . import tutor_views as views

app_name = "tutor"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cohorts/new/", workshop.cohort_create, name="cohort_new"),
    path("cohorts/<int:cohort_id>/settings/", workshop.cohort_settings, name="cohort_settings"),
    path("cohorts/<int:cohort_id>/archive/", workshop.cohort_archive, name="cohort_archive"),
    path("cohorts/<int:cohort_id>/code/", workshop.cohort_code, name="cohort_code"),
    path("cohorts/<int:cohort_id>/tutors/", workshop.tutor_add, name="tutor_add"),
    path(
        "cohorts/<int:cohort_id>/tutors/<int:tutor_id>/remove/",
        workshop.tutor_remove,
        name="tutor_remove",
    ),
    path("cohorts/<int:cohort_id>/invite-sheet/", workshop.invite_sheet, name="invite_sheet"),
    path("cohorts/<int:cohort_id>/accounts/", workshop.accounts_create, name="accounts_new"),
    path(
        "cohorts/<int:cohort_id>/learners/<int:learner_id>/start-code/",
        workshop.password_help,
        name="password_help",
    ),
    path("cohorts/<int:cohort_id>/", views.cohort_detail, name="cohort"),
    path("cohorts/<int:cohort_id>/export.csv", views.cohort_export, name="export"),
    path("cohorts/<int:cohort_id>/learners/add/", views.learner_add, name="learner_add"),
    path(
        "cohorts/<int:cohort_id>/learners/<int:learner_id>/",
        views.learner_detail,
        name="learner",
    ),
    path(
        "cohorts/<int:cohort_id>/learners/<int:learner_id>/quizzes/<int:quiz_id>/grant/",
        views.attempt_grant,
        name="attempt_grant",
    ),
    path(
        "cohorts/<int:cohort_id>/learners/<int:learner_id>/remove/",
        views.learner_remove,
        name="learner_remove",
    ),
    path("cohorts/<int:cohort_id>/courses/", views.course_assign, name="course_assign"),
    path(
        "cohorts/<int:cohort_id>/courses/<int:assignment_id>/remove/",
        views.course_unassign,
        name="course_unassign",
    ),
    path("cohorts/<int:cohort_id>/quizzes/<int:quiz_id>/", views.cohort_quiz, name="cohort_quiz"),
    path("courses/<slug:slug>/questions/", views.course_quiz_stats, name="course_stats"),
]
