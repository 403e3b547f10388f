"""CSV for a spreadsheet: the one writer of every export (the tutor's
cohort table today; any other export uses it too).

A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@``
(and, in some, a tab or a carriage return before one): a learner whose
display name is ``=HYPERLINK("http://x","y")`` would put a live link or a
command into the tutor's sheet. OWASP's rule for CSV injection: such a text
cell is written with a leading ``'``, which the spreadsheet shows as text.
Numbers are not text: they are written as numbers, untouched, so that a
negative number stays a number and every numeric column still adds up.

The French convention by default: UTF-8 with a BOM, ";" between cells and
decimal commas (French Excel, LibreOffice); "," and decimal points on
request.
"""

import csv
from decimal import Decimal

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value, *, decimal_comma: bool = False) -> str | int:
    """``value`` as the writer puts it in a cell: an int as it is; a Decimal
    or a float to two decimals at most, trailing zeros dropped, with a
    decimal comma if asked; None as an empty cell; anything else as text,
    with a ``'`` before it if it begins with a formula trigger."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal | float):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return text.replace(".", ",") if decimal_comma else text
    text = str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


class SpreadsheetWriter:
    """``csv.writer`` for a spreadsheet: writes the BOM at once, then rows
    whose every cell goes through ``spreadsheet_cell``."""

    def __init__(self, stream, *, comma: bool = False):
        stream.write("\ufeff")
        self.decimal_comma = not comma
        self._writer = csv.writer(stream, delimiter="," if comma else ";", lineterminator="\r\n")

    def writerow(self, row) -> None:
        self._writer.writerow(
            [spreadsheet_cell(value, decimal_comma=self.decimal_comma) for value in row]
        )

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)
