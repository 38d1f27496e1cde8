"""Escaping of text that came from input files before it is written into documents.

Names, notes and labels come from CSV cells and model files that anyone may have
written. Written into a spreadsheet, a cell starting with ``=`` (or ``+``, ``-``,
``@``) could become a live formula; written into Markdown or HTML, ``<script>``,
``[link](...)`` or ``|`` could become markup. Each writer passes such text through
the function for its format, so that a reader sees exactly the characters of the
input and nothing is evaluated.
"""

from __future__ import annotations

import html
import re
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""First characters with which a spreadsheet may read a text cell as a formula."""

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|])")


def excel_cell(sheet: Any, value: Any) -> Any:
    """``value`` for an openpyxl row: text that could read as a formula is typed as text.

    The cell keeps the exact characters (``=1+1`` stays ``=1+1`` and reads back so);
    only its type says "string", so no spreadsheet evaluates it. Numbers, booleans and
    other text pass unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def excel_row(sheet: Any, row: list[Any]) -> list[Any]:
    """Every value of a row through :func:`excel_cell`."""
    return [excel_cell(sheet, v) for v in row]


def markdown(text: Any) -> str:
    """Text shown literally in Markdown (and in the HTML a Markdown viewer makes of it)."""
    escaped = html.escape(str(text), quote=False)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", escaped).replace("\n", " ")


def html_text(text: Any) -> str:
    """Text shown literally in HTML (and in Plotly labels, which read a subset of HTML)."""
    return html.escape(str(text), quote=True)
