"""scrollable_tables: each table of an author's text gets a box that scrolls
on a phone, reachable with the keyboard and named by its columns."""

from django.utils import translation

from courses.markup import render_markdown
from courses.templatetags.course_tags import scrollable_tables

TABLE = """Avant.

| Calcul | Signe & co | `Exemple` |
|---|---|---|
| addition | `+` | `=8+2` |

Après.

| | |
|---|---|
| a | b |
"""


def test_each_table_gets_a_focusable_named_box_and_nothing_else_changes():
    rendered = render_markdown(TABLE)
    with translation.override("en"):
        output = scrollable_tables(rendered)
    assert output.count('<div class="table-scroll" role="region" tabindex="0"') == 2
    assert 'aria-label="Table: Calcul, Signe &amp; co, Exemple">' in output
    assert 'aria-label="Table"><table>' in output  # no column names
    assert output.replace("</div>", "").count("<table>") == rendered.count("<table>") == 2
    assert output.startswith("<p>Avant.</p>") and "<p>Après.</p>" in output


def test_text_without_table_is_left_alone():
    assert scrollable_tables("<p>Rien</p>") == "<p>Rien</p>"
    assert scrollable_tables("") == ""
