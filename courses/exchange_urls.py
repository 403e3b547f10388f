from django.urls import path

from . import exchange_views

app_name = "exchange"

urlpatterns = [
    path("import/", exchange_views.course_import, name="import"),
    path("<slug:slug>.zip", exchange_views.course_download, name="download"),
]
