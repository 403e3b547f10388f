from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<slug:slug>/", views.course_detail, name="detail"),
    path("<slug:slug>/<slug:unit_slug>/", views.unit_detail, name="unit"),
]
