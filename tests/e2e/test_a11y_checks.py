"""The accessibility checks themselves catch what they are meant to: a page
that passes them is worth something only if a faulty one does not."""

from tests.e2e import a11y

FAULTY = """<!DOCTYPE html><html><head><title>Faulty</title></head><body>
<main><h1>One</h1><h1>Two</h1><h4>Deep</h4>
<img src="data:,"><input type="text"><button></button>
<p id="twice">a</p><p id="twice">b</p>
<p style="color:#999">Pale text</p>
<div style="width:500px">Wide</div></main></body></html>"""


def test_the_checks_find_every_kind_of_fault(page, axe_source):
    page.set_content(FAULTY)
    problems = "\n".join(a11y.page_problems(page, axe_source, label="faulty", language="fr"))
    for expected in (
        '<html lang="">, expected "fr"',
        "axe html-has-lang",
        "axe image-alt",
        "axe label",
        "axe button-name",
        "axe color-contrast",
        "axe duplicate-id",  # off by default in axe-core 4.x; turned on
        "2 h1 instead of one",
        "heading level skipped: h4",
        "textbox without an accessible name",
        "button without an accessible name",
        "scrolls sideways at 320 px",
    ):
        assert expected in problems, f"{expected!r} not reported in:\n{problems}"


def test_a_clean_page_passes(page, axe_source):
    page.set_content(
        '<!DOCTYPE html><html lang="fr"><head><title>Propre</title></head><body>'
        '<main><h1>Titre</h1><h2>Partie</h2><label for="q">Nom</label><input id="q">'
        '<div class="table-scroll" role="region" aria-label="Tableau" tabindex="0">'
        '<table><tr><th scope="col">' + "Colonne large " * 40 + "</th></tr></table></div>"
        "</main></body></html>"
    )
    page.add_style_tag(content=".table-scroll { overflow-x: auto; }")
    assert a11y.page_problems(page, axe_source, label="clean", language="fr") == []
