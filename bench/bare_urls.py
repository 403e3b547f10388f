"""The bare reference's URLconf (bench/wsgi.py): one view, one query."""

from django.db import connection
from django.http import JsonResponse
from django.urls import path


def bare(request):
    """What /healthz does (one ``SELECT 1``), as a plain Django view."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok"})


urlpatterns = [path("bench/bare", bare)]
