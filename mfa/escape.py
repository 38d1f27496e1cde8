"""Escaping of text that came from input files before it is written into documents.

Names, notes and labels come from CSV cells and model files that anyone may have
written. Written into a spreadsheet, a cell starting with ``=`` could become a live
formula: the workbook writer therefore writes every string as text
(xlsxwriter's ``strings_to_formulas=False``); written into Markdown or HTML, ``<script>``,
``[link](...)`` or ``|`` could become markup. Each writer passes such text through
the function for its format, so that a reader sees exactly the characters of the
input and nothing is evaluated.
"""

from __future__ import annotations

import html
import re
from typing import Any

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|])")


def markdown(text: Any) -> str:
    """Text shown literally in Markdown (and in the HTML a Markdown viewer makes of it)."""
    escaped = html.escape(str(text), quote=False)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", escaped).replace("\n", " ")


def html_text(text: Any) -> str:
    """Text shown literally in HTML (and in Plotly labels, which read a subset of HTML)."""
    return html.escape(str(text), quote=True)
