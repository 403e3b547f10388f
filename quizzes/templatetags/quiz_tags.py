"""Quiz filters, and the questions of a submitted attempt's result built in
Python.

The result lists every drawn question, each with its choices, feedback and
explanation: as template nodes (an ``include`` per question, a ``translate``
per choice, ``blocktranslate``, ``floatformat`` and ``truncatechars``) they
took most of a submission's response, about 1,350 Python calls a question.
``result_items`` writes the same HTML, with the strings translated once per
language and each prompt's folded summary worked out once (the same
questions come back for every learner)."""

from functools import lru_cache

from django import template
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext, pgettext

from courses.templatetags.course_tags import plain_text
from quizzes.retry import retry_message as _retry_message
from quizzes.retry import retry_moment as _retry_moment

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping|get_item:key`` — None when the mapping is missing or lacks the key."""
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def retry_message(when) -> str:
    """``status.retry_at|retry_message``: "You can try again on 2 December at 14:05"."""
    return _retry_message(when) if when else ""


@register.filter
def retry_moment(when) -> str:
    """``status.retry_at|retry_moment``: "2 December at 14:05"."""
    return _retry_moment(when) if when else ""


# A right answer's prompt, folded, shows this many characters in its summary.
SUMMARY_CHARS = 60


@lru_cache(maxsize=16)
def _result_strings(language: str) -> dict[str, str]:
    """The result's words in ``language`` (the active one), escaped, with
    their markup."""
    return {
        "number": gettext("Question %(number)s"),
        "partly": "◐ " + escape(gettext("Partly right")),
        "wrong": "✗ " + escape(gettext("Not right")),
        "points": gettext("%(got)s / %(total)s pt"),
        "right": escape(pgettext("quiz result", "Right")),
        "yours": f"<strong>{escape(gettext('Your answer:'))}</strong>",
        "key": f"<strong>{escape(gettext('Right answer:'))}</strong>",
        "none": escape(gettext("(no answer)")),
        "explanation": f"<strong>{escape(gettext('Explanation:'))}</strong>",
        "report": escape(gettext("Report an error in this question")),
    }


@lru_cache(maxsize=1024)
def _folded_prompt(prompt_html: str) -> tuple[str, bool]:
    """A prompt as the summary of a folded right answer shows it: its plain
    text cut at ``SUMMARY_CHARS``, escaped; and whether it was cut (the whole
    prompt then follows)."""
    text = plain_text(prompt_html)
    return escape(Truncator(text).chars(SUMMARY_CHARS)), len(text) > SUMMARY_CHARS


@register.simple_tag
def result_items(rows, reveal, report_unit=None) -> str:
    """The ``<li>`` of each question of a submitted attempt
    (``quizzes.selectors.ResultQuestion``): a question to review open, with
    its number, prompt and points; a right one folded in a ``<details>``
    under the start of its prompt. Then the answer given and, as the rows
    carry them (``attempt_result`` withholds them unless revealed), the
    right answer, the feedback and the explanation. ``reveal`` shows every
    choice, marked right or not; otherwise only the chosen ones.
    ``report_unit``: the quiz grain's id, for a link under each question to
    report an error in it (courses.report_views)."""
    text = _result_strings(get_language())
    report_url = f"{reverse('reports:create')}?unit={int(report_unit)}" if report_unit else ""
    items = []
    for row in rows:
        detail = _result_detail(row, reveal, text)
        if report_url:
            link = escape(f"{report_url}&question={row.id}")
            detail += f'\n<p class="hint"><a href="{link}">{text["report"]}</a></p>'
        if row.is_correct:
            summary, cut = _folded_prompt(row.prompt_html)
            whole = f'\n<div class="prompt">{row.prompt_html}</div>' if cut else ""
            items.append(
                f'<li class="result is-correct">\n<details>\n<summary>{summary} '
                f'<span class="verdict">✓&nbsp;{text["right"]}</span></summary>{whole}\n'
                f"{detail}\n</details>\n</li>"
            )
        else:
            number = escape(text["number"] % {"number": row.number})
            verdict = text["partly"] if row.points_awarded > 0 else text["wrong"]
            points = escape(
                text["points"] % {"got": floatformat(row.points_awarded, "-2"), "total": row.points}
            )
            items.append(
                f'<li class="result is-wrong">\n<p class="question-number">{number}</p>\n'
                f'<div class="prompt">{row.prompt_html}</div>\n'
                f'<p class="verdict">{verdict}\n<span class="hint">{points}</span></p>\n'
                f"{detail}\n</li>"
            )
    return mark_safe("\n".join(items))


def _result_detail(row, reveal, text: dict) -> str:
    """One question's answer given and, when revealed, the right one and the
    explanation."""
    if row.choices:
        lines = []
        for choice in row.choices:
            if not (choice.chosen or reveal):
                continue
            said = [
                text["yours"] if choice.chosen else "",
                text["key"] if reveal and choice.is_correct else "",
                escape(choice.text),
                f'<div class="feedback">{choice.feedback_html}</div>'
                if choice.feedback_html
                else "",
            ]
            lines.append("<li>\n" + "\n".join(part for part in said if part) + "\n</li>")
        listed = "\n".join(lines)
        parts = [f'<ul class="choices-result">\n{listed}\n</ul>']
    else:
        given = escape(row.given_text) if row.given_text else text["none"]
        parts = [f"<p>{text['yours']} {given}</p>"]
        if row.right_answer:
            parts.append(f"<p>{text['key']} {escape(row.right_answer)}</p>")
    if row.explanation_html:
        parts.append(f'<div class="explanation">{text["explanation"]} {row.explanation_html}</div>')
    return "\n".join(parts)
