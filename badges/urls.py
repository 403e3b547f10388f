from django.urls import path

from . import views

app_name = "badges"

urlpatterns = [
    path("issuer", views.issuer, name="issuer"),
    path("classes/<uuid:uuid>", views.badge_class, name="class"),
    path("classes/<uuid:uuid>/image", views.badge_class_image, name="class_image"),
    path("assertions/<uuid:uuid>", views.assertion, name="assertion"),
    path(
        "assertions/<uuid:uuid>/badge.png",
        views.assertion_download,
        {"fmt": "png"},
        name="download_png",
    ),
    path(
        "assertions/<uuid:uuid>/badge.svg",
        views.assertion_download,
        {"fmt": "svg"},
        name="download_svg",
    ),
    path("mine/", views.my_badges, name="mine"),
    path("mine/<uuid:uuid>/claim/", views.claim, name="claim"),
    path("mine/<uuid:uuid>/name/", views.show_name, name="show_name"),
    path("earned/<slug:slug>/", views.earned, name="earned"),
]
