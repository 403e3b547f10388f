from django.contrib import admin

from .models import Competence, CompetenceArea, Course, Unit
from .services import course_search_index


class UnitInline(admin.StackedInline):
    model = Unit
    extra = 0
    ordering = ["position", "id"]
    show_change_link = True
    fields = [
        ("position", "slug", "kind"),
        "title",
        ("minutes", "required"),
        "body",
        ("video_url", "duration_seconds"),
        ("video_file", "captions"),
        "transcript",
    ]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "level", "status", "language", "licence", "updated_at"]
    list_filter = ["level", "status", "language", "competences__area"]
    search_fields = ["title", "summary", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["competences", "authors"]
    inlines = [UnitInline]
    readonly_fields = ["published_at", "created_at", "updated_at"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        course_search_index(course=form.instance)  # with its grains and competences saved


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "position", "kind", "minutes", "required"]
    list_filter = ["kind", "course__level", "course__status"]
    search_fields = ["title", "course__title"]
    list_select_related = ["course"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        course_search_index(course=obj.course)

    def delete_model(self, request, obj):
        course = obj.course
        super().delete_model(request, obj)
        course_search_index(course=course)


class CompetenceInline(admin.TabularInline):
    model = Competence
    extra = 0


@admin.register(CompetenceArea)
class CompetenceAreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "name_en"]
    inlines = [CompetenceInline]
