from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .forms import AdminLoginForm
from .models import Cohort, CohortMembership, Organisation, StartCode, User

# The admin's login counts and limits failures like the site's (issue #6).
admin.site.login_form = AdminLoginForm


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Profile"), {"fields": ["display_name"]}),
        (_("Commons"), {"fields": ["is_author", "is_committee_member"]}),
    )
    list_display = [
        "username",
        "display_name",
        "email",
        "is_staff",
        "is_author",
        "is_committee_member",
        "date_joined",
    ]
    list_filter = BaseUserAdmin.list_filter + ("is_author", "is_committee_member")
    search_fields = ["username", "display_name", "email"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    filter_horizontal = ["managers"]


class MembershipInline(admin.TabularInline):
    model = CohortMembership
    fk_name = "cohort"
    extra = 0
    raw_id_fields = ["learner", "invited_by"]
    readonly_fields = ["created_at", "consented_at"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "invite_code", "archived_at"]
    list_filter = ["organisation", ("archived_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "invite_code"]
    filter_horizontal = ["tutors"]
    inlines = [MembershipInline]


@admin.register(StartCode)
class StartCodeAdmin(admin.ModelAdmin):
    """Who gave whom a start code, and when: read only (a code is given from
    the tutor's pages, and shown only then)."""

    list_display = ["user", "reason", "issued_by", "cohort", "created_at", "used_at", "replaced_at"]
    list_filter = ["reason"]
    search_fields = ["user__username", "user__display_name", "issued_by__username"]
    readonly_fields = [f.name for f in StartCode._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
