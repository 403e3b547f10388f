from django.urls import path

from . import views

app_name = "committee"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("propositions/<id:pk>/", views.proposal, name="proposal"),
    path("propositions/<id:pk>/vote/", views.vote, name="vote"),
    path("propositions/<id:pk>/commentaires/", views.comment, name="comment"),
]
