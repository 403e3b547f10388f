from django.contrib import admin

from .models import CohortCourse, Enrolment, UnitCompletion


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["learner", "course", "started_at", "last_activity_at", "completed_at"]
    list_filter = ["course"]
    search_fields = ["learner__username", "course__title"]
    list_select_related = ["learner", "course"]
    raw_id_fields = ["learner", "last_unit"]


@admin.register(UnitCompletion)
class UnitCompletionAdmin(admin.ModelAdmin):
    list_display = ["learner", "unit", "completed_at"]
    search_fields = ["learner__username", "unit__title"]
    list_select_related = ["learner", "unit"]
    raw_id_fields = ["learner", "unit"]


@admin.register(CohortCourse)
class CohortCourseAdmin(admin.ModelAdmin):
    list_display = ["cohort", "course", "due_date"]
    list_filter = ["cohort__organisation", "course"]
    list_select_related = ["cohort", "course"]
