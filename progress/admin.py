from django.contrib import admin

from .models import CohortCourse, Enrolment, TutorDigest, UnitCompletion


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


@admin.register(TutorDigest)
class TutorDigestAdmin(admin.ModelAdmin):
    """Where a digest the mail server refused shows (status "failed", its
    answer). The task queue writes these rows; set one back to "failed" to let
    the next run of the job send it again."""

    list_display = ["tutor", "week", "status", "attempts", "claimed_at", "sent_at", "last_error"]
    list_filter = ["status", "week"]
    search_fields = ["tutor__username", "tutor__email"]
    list_select_related = ["tutor"]
    raw_id_fields = ["tutor"]
    readonly_fields = ["tutor", "week", "attempts", "last_error", "claimed_at", "sent_at"]

    def has_add_permission(self, request):
        return False  # a digest's row is the claim of the task that sends it
