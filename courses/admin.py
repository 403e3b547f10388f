"""The admin of courses. Publication is the committee's (courses.services):
here nobody sets a course's status or publication date, and only a draft's
content is edited; a course in review or published is shown read-only,
with a line saying how it changes. Proposals, votes and versions are
records, read-only."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Competence, CompetenceArea, Course, CourseVersion, Proposal, Unit, Vote
from .services import course_search_index

WORKFLOW_HELP = {
    Course.Status.DRAFT: _(
        "A draft: its authors edit it, then propose it to the pedagogical committee, "
        "whose majority publishes it."
    ),
    Course.Status.IN_REVIEW: _(
        "Waiting for the pedagogical committee's vote: its content cannot change meanwhile."
    ),
    Course.Status.PUBLISHED: _(
        "Published: its content changes only by a revision proposed to the pedagogical "
        "committee, not here."
    ),
    Course.Status.ARCHIVED: _("Archived: its content no longer changes."),
}


def course_editable(course: Course | None) -> bool:
    """A new course, or a draft."""
    return course is None or course.is_editable


# A video link typed without its scheme is https (Django 6's default; 5.2 warns).
URL_HTTPS = {models.URLField: {"assume_scheme": "https"}}


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
    formfield_overrides = URL_HTTPS

    # ``obj`` is the course of the page.
    def has_add_permission(self, request, obj=None):
        return course_editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return course_editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return course_editable(obj) and super().has_delete_permission(request, obj)


class CourseVersionInline(admin.TabularInline):
    model = CourseVersion
    extra = 0
    can_delete = False
    fields = ["number", "validated_at", "validators", "proposal", "note"]
    readonly_fields = fields

    @admin.display(description=_("validated by"))
    def validators(self, version: CourseVersion) -> str:
        names = [str(member) for member in version.validated_by.all()]
        return ", ".join(names) or _("the content files")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "level", "status", "language", "licence", "updated_at"]
    list_filter = ["level", "status", "language", "competences__area"]
    search_fields = ["title", "summary", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["competences", "authors"]
    inlines = [UnitInline, CourseVersionInline]
    # Set only by the committee's services (courses.services.course_publish).
    readonly_fields = ["workflow", "status", "published_at", "created_at", "updated_at"]
    # Editable while the course is a draft; read-only afterwards. The author
    # accounts stay editable: they say who may propose a revision.
    CONTENT_FIELDS = [
        "title",
        "slug",
        "summary",
        "description",
        "level",
        "competences",
        "language",
        "licence",
        "credits",
        "keywords",
    ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # The picker lists the accounts staff made authors, not every learner.
        if db_field.name == "authors":
            kwargs["queryset"] = db_field.remote_field.model.objects.filter(
                is_author=True
            ).order_by("username")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("publication"))
    def workflow(self, course: Course) -> str:
        return WORKFLOW_HELP.get(course.status, "")

    def get_fields(self, request, obj=None):
        return ["workflow", "status", "published_at", *self.CONTENT_FIELDS, "authors"]

    def get_readonly_fields(self, request, obj=None):
        if course_editable(obj):
            return self.readonly_fields
        return [*self.readonly_fields, *self.CONTENT_FIELDS]

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if course_editable(obj) else {}

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        course_search_index(course=form.instance)  # with its grains and competences saved


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "position", "kind", "minutes", "required"]
    list_filter = ["kind", "course__level", "course__status"]
    search_fields = ["title", "course__title"]
    list_select_related = ["course"]
    formfield_overrides = URL_HTTPS

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or obj.course.is_editable
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or obj.course.is_editable
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "course":  # a grain is added to a draft only
            kwargs["queryset"] = Course.objects.filter(status=Course.Status.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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


class VoteInline(admin.TabularInline):
    model = Vote
    extra = 0
    can_delete = False
    fields = ["member", "choice", "comment", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    """Proposals and their votes, as records: they are made and decided
    through courses.services (proposal_submit, vote_cast), never here."""

    list_display = ["course", "author", "is_revision", "status", "created_at", "decided_at"]
    list_filter = ["status", "is_revision"]
    search_fields = ["course__title", "author__username"]
    list_select_related = ["course", "author"]
    fields = ["course", "author", "is_revision", "note", "status", "created_at", "decided_at"]
    readonly_fields = fields
    inlines = [VoteInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
