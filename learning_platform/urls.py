from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.http import require_GET

from courses.sitemaps import SITEMAPS

from . import data_views, token_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", require_GET(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/profile/tokens/", token_views.api_token_create_view, name="api_token_create"),
    path(
        "accounts/profile/tokens/<id:token_id>/revoke/",
        token_views.api_token_revoke_view,
        name="api_token_revoke",
    ),
    path("accounts/my-data/", data_views.my_data, name="my_data"),
    path("accounts/my-data/export.json", data_views.my_data_export, name="my_data_export"),
    # Before django.contrib.auth.urls, whose views of the same names they replace.
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/start/", views.start_code, name="start_code"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before the courses' URLs, whose "<slug>/" would take it.
    path("courses/signalements/", include("courses.report_urls")),
    path("courses/", include("courses.urls")),
    path("commons/", include("courses.exchange_urls")),
    path("quiz/", include("quizzes.urls")),
    path("me/", include("progress.urls")),
    path("badges/", include("badges.urls")),
    path("tutor/", include("progress.tutor_urls")),
    path("studio/", include("studio.urls")),
    path("cohorts/", include("learning_platform.cohort_urls")),
    path("comite/", include("committee.urls")),
    path("api/", include("learning_platform.api")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
