from django.contrib import admin, messages
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .forms import RevokeForm
from .models import Assertion, BadgeClass


@admin.register(BadgeClass)
class BadgeClassAdmin(admin.ModelAdmin):
    list_display = ["name", "course", "created_at"]
    list_filter = ["course__level"]
    search_fields = ["name", "course__title"]
    readonly_fields = ["uuid", "course", "created_at", "updated_at"]
    fields = ["uuid", "course", "name", "description", "criteria", "image"]

    def has_add_permission(self, request):
        return False  # created when a course is published

    def has_delete_permission(self, request, obj=None):
        return False  # awards point here


@admin.register(Assertion)
class AssertionAdmin(admin.ModelAdmin):
    list_display = ["badge_class", "learner", "issued_on", "revoked_at"]
    list_filter = ["badge_class", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["learner__username", "badge_class__name"]
    readonly_fields = [
        "uuid",
        "badge_class",
        "learner",
        "issued_on",
        "recipient_identity",
        "salt",
        "evidence",
        "revoked_at",
        "revocation_reason",
    ]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the URL must keep answering

    @admin.action(
        description=_("Revoke the selected badges (with a reason)"), permissions=["change"]
    )
    def revoke(self, request, queryset):
        form = RevokeForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            count = sum(
                services.assertion_revoke(assertion=a, reason=form.cleaned_data["reason"])
                for a in queryset
            )
            self.message_user(
                request,
                ngettext("%(count)d badge revoked.", "%(count)d badges revoked.", count)
                % {"count": count},
                messages.SUCCESS,
            )
            return None
        return render(
            request,
            "admin/badges/revoke.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Revoke badges"),
                "assertions": queryset,
                "form": form,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            },
        )
