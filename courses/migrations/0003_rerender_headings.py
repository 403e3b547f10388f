"""Render the stored Markdown again: headings now start at the page's second
level whatever the author wrote ('##' gave h3 right under the page's h1), and
a transcript's start at h3, under the page's "Transcript" heading. The HTML
is derived from the Markdown kept beside it; nothing else changes."""

from django.db import migrations


def rerender(apps, schema_editor):
    from courses.markup import render_markdown

    Course = apps.get_model("courses", "Course")
    Unit = apps.get_model("courses", "Unit")
    courses = list(Course.objects.only("id", "description", "description_html"))
    for course in courses:
        course.description_html = render_markdown(course.description)
    Course.objects.bulk_update(courses, ["description_html"], batch_size=200)
    units = list(Unit.objects.only("id", "body", "body_html", "transcript", "transcript_html"))
    for unit in units:
        unit.body_html = render_markdown(unit.body)
        unit.transcript_html = render_markdown(unit.transcript, top_heading=3)
    Unit.objects.bulk_update(units, ["body_html", "transcript_html"], batch_size=200)


class Migration(migrations.Migration):
    dependencies = [("courses", "0002_digcomp_2_2")]

    operations = [migrations.RunPython(rerender, migrations.RunPython.noop)]
