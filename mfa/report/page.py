"""``report.html``: the one page of a run that a reader opens first.

Findings first, then every figure with its caption, the headline table, the sources and the
solver and data provenance. Images are embedded (PNG as base64), styles are inline and no
script or external file is loaded, so the page works copied alone and offline.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from mfa.report.style import run_caption
from mfa.report.tables import SHARE_UNIT, _run_facts, findings

_CSS = """
body{font-family:Arial,'Liberation Sans',Helvetica,sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;border-bottom:1px solid #ccc;
padding-bottom:.2rem;margin-top:2rem}
.run{color:#555;margin-top:0}
figure{margin:1.5rem 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:.9rem;color:#333}
table{border-collapse:collapse;font-size:.85rem}td,th{border:1px solid #ddd;padding:.2rem .5rem}
th{background:#f2f2f2;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}
ul.findings li{margin:.3rem 0}
"""


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _table_html(df: pd.DataFrame) -> str:
    head = "".join(f"<th>{_esc(c)}</th>" for c in df.columns)
    body = []
    for row in df.itertuples(index=False, name=None):
        cells = []
        for v in row:
            if isinstance(v, float):
                cells.append(
                    f'<td class="num">{v:,.4g}</td>'
                    if abs(v) < 1e4
                    else f'<td class="num">{v:,.0f}</td>'
                )
            else:
                cells.append(f"<td>{_esc(v)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def report_page(
    summary: pd.DataFrame,
    meta: Mapping[str, Any],
    figures: Sequence[tuple[Path, str]],
    sources: pd.DataFrame | None = None,
) -> str:
    """The HTML text of ``report.html``.

    Parameters
    ----------
    summary
        Headline numbers (:func:`mfa.report.tables.headline_summary`).
    meta
        Run metadata (scenario, model, data version, solver, checks).
    figures
        (PNG file, caption) of each figure, in reading order; the PNG is embedded.
    sources
        Bibliography table (``sources``).

    Returns
    -------
    str
    """
    title = " · ".join(str(meta[k]) for k in ("model", "scenario") if meta.get(k)) or "mfa run"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>mfa report: {_esc(title)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>Results: {_esc(title)}</h1>",
        f'<p class="run">{_esc(run_caption(dict(meta)))}</p>',
        "<h2>Findings</h2>",
        '<ul class="findings">',
    ]
    parts += [f"<li>{_esc(text)}</li>" for text in findings(summary)] or ["<li>No headline.</li>"]
    parts.append("</ul>")
    explained = meta.get("unmet_explained")
    if isinstance(explained, Mapping) and explained.get("summary"):
        parts.append(f"<p><strong>Unmet demand.</strong> {_esc(explained['summary'])}</p>")
    parts.append("<h2>Figures</h2>")
    for i, (png, caption) in enumerate(figures, start=1):
        data = base64.b64encode(Path(png).read_bytes()).decode("ascii")
        parts.append(
            f'<figure id="fig{i}"><img alt="{_esc(caption)}" '
            f'src="data:image/png;base64,{data}">'
            f"<figcaption><strong>Figure {i}.</strong> {_esc(caption)} "
            f"({_esc(run_caption(dict(meta)))})</figcaption></figure>"
        )
    parts += [
        "<h2>Headline numbers</h2>",
        f"<p>Shares are a {SHARE_UNIT} between 0 and 1.</p>",
        _table_html(summary),
        "<h2>Run and provenance</h2>",
        "<table><tbody>",
    ]
    parts += [f"<tr><th>{_esc(k)}</th><td>{_esc(v)}</td></tr>" for k, v in _run_facts(meta)]
    parts.append("</tbody></table>")
    if sources is not None and len(sources):
        cols = [c for c in ("id", "publisher", "title", "year", "link_or_doi") if c in sources]
        parts += ["<h2>Sources</h2>", _table_html(sources[cols] if cols else sources)]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
