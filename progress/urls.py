from django.urls import path

from . import views

app_name = "progress"

urlpatterns = [
    path("courses/", views.dashboard, name="dashboard"),
    path("units/<id:unit_id>/complete/", views.unit_mark_complete, name="complete"),
]
