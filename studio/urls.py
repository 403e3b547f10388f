from django.urls import path

from . import views

app_name = "studio"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.course_create, name="course_new"),
    path("preview/", views.preview, name="preview"),
    path("<id:course_id>/", views.course_page, name="course"),
    path("<id:course_id>/edit/", views.course_edit, name="course_edit"),
    path("<id:course_id>/propose/", views.course_propose, name="course_propose"),
    path("<id:course_id>/revise/", views.revision_start, name="revision_start"),
    path("<id:course_id>/discard/", views.revision_discard, name="revision_discard"),
    path("<id:course_id>/grains/new/<str:kind>/", views.unit_create, name="unit_new"),
    path("<id:course_id>/grains/<id:unit_id>/", views.unit_edit, name="unit_edit"),
    path("<id:course_id>/grains/<id:unit_id>/move/", views.unit_move, name="unit_move"),
    path("<id:course_id>/grains/<id:unit_id>/required/", views.unit_required, name="unit_required"),
    path("<id:course_id>/grains/<id:unit_id>/delete/", views.unit_delete, name="unit_delete"),
]
