"""sitemap.xml: the public pages search engines may index (the commons is
meant to be found): home, catalogue, published courses, and their fiches
and videos (quizzes need an account)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Course, Unit


class StaticSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["home", "courses:catalogue"]

    def location(self, item):
        return reverse(item)


class CourseSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Course.objects.published().order_by("slug")

    def lastmod(self, course):
        return course.updated_at


class UnitSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return (
            Unit.objects.filter(
                course__status=Course.Status.PUBLISHED,
                kind__in=[Unit.Kind.FICHE, Unit.Kind.VIDEO],
            )
            .select_related("course")
            .order_by("course__slug", "position", "id")
        )

    def lastmod(self, unit):
        return unit.updated_at


SITEMAPS = {"pages": StaticSitemap, "courses": CourseSitemap, "grains": UnitSitemap}
