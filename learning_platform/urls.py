from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from . import data_views, views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="courses:catalogue", permanent=False), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/my-data/", data_views.my_data, name="my_data"),
    path("accounts/my-data/export.json", data_views.my_data_export, name="my_data_export"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("courses/", include("courses.urls")),
    path("quiz/", include("quizzes.urls")),
    path("me/", include("progress.urls")),
    path("badges/", include("badges.urls")),
    path("tutor/", include("progress.tutor_urls")),
    path("cohorts/", include("learning_platform.cohort_urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
