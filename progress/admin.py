from django.contrib import admin

from .models import Enrolment, UnitCompletion


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
