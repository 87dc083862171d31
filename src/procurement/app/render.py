"""Rendering the workbench's results: HTML tables and charts shared by the live app and the static view.

Pure functions from :class:`procurement.app.state.Results` to HTML strings;
every text from the case (option and criterion names) is escaped. Words come
from :mod:`procurement.app.words` and :mod:`procurement.text.labels`, numbers
from :mod:`procurement.text.fmt`.
"""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, Any

import pandas as pd
from IPython.display import HTML, Markdown, display

from procurement.app.words import percent, word
from procurement.text import fmt
from procurement.text.labels import label, method_label, unit_label

if TYPE_CHECKING:
    from procurement.app.state import Results

_CSS = """
<style>
.pw-box {font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; font-size: 14px;}
.pw-box table {border-collapse: collapse; margin: 4px 0 8px 0;}
.pw-box th, .pw-box td {padding: 3px 10px; border-bottom: 1px solid #ddd; text-align: left;}
.pw-box td.num, .pw-box th.num {text-align: right; font-variant-numeric: tabular-nums;}
.pw-box tr.pw-first td {font-weight: 600; background: #eef5ff;}
.pw-box .pw-note {color: #555; font-size: 12px;}
.pw-message {padding: 10px 14px; background: #fff4e5; border-left: 4px solid #e69500; font-size: 15px;}
.pw-error {padding: 8px 12px; background: #fdecea; border-left: 4px solid #c62828;}
.pw-ok {padding: 8px 12px; background: #edf7ed; border-left: 4px solid #2e7d32;}
</style>
"""


def _e(text: Any) -> str:
    return html.escape(str(text))


def message_html(text: str, kind: str = "message") -> str:
    return f'{_CSS}<div class="pw-box"><div class="pw-{kind}">{_e(text)}</div></div>'


def ranking_html(res: Results) -> str:
    """The ranking table; rows carry ``data-option`` and the used weights sit in ``data-weights``."""
    lang = res.state.language
    if not res.ok:
        return message_html(res.message)
    r = res.ranking
    t = r.table.sort_values("rank", kind="stable")
    first = None
    if res.acceptability is not None:
        first = res.acceptability[1]
    weights = res.weights if res.weights is not None else pd.Series(dtype=float)
    weights_json = json.dumps({str(k): float(v) for k, v in weights.items()})
    rows = []
    for oid, row in t.iterrows():
        cls = ' class="pw-first"' if int(row["rank"]) == 1 else ""
        acc = f'<td class="num">{percent(first.get(oid, 0.0), 0, lang)}</td>' if first is not None else ""
        rows.append(
            f'<tr data-option="{_e(oid)}" data-rank="{int(row["rank"])}"{cls}><td class="num">{int(row["rank"])}</td>'
            f'<td>{_e(row["label"])}</td><td class="num">{fmt.number(row["score"], lang, 3)}</td>{acc}</tr>'
        )
    head_acc = f'<th class="num">{_e(word("first_rank", lang))}</th>' if first is not None else ""
    excluded = ""
    if len(r.excluded):
        names = sorted({res.option_labels.get(o, o) for o in r.excluded["option"]})
        excluded = f'<div class="pw-note">{_e(word("excluded", lang))}: {_e(", ".join(names))}</div>'
    ms = res.timings.get("total_ms")
    timing = f" · {_e(word('compute_time', lang, ms=fmt.number(ms, lang)))}" if ms is not None else ""
    return (
        f'{_CSS}<div class="pw-box pw-ranking-box" data-method="{_e(r.method)}" data-weights=\'{_e(weights_json)}\'>'
        f'<table class="pw-ranking"><thead><tr><th class="num">{_e(label("rank", lang))}</th>'
        f'<th>{_e(label("option", lang))}</th><th class="num">{_e(word("scores", lang))}</th>{head_acc}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>{excluded}"
        f'<div class="pw-note">{_e(word("method", lang))}: {_e(method_label(r.method, lang))}{timing}</div></div>'
    )


def weights_table_html(res: Results) -> str:
    """Normalised weights used, by criterion label."""
    if not res.ok:
        return ""
    lang = res.state.language
    rows = "".join(
        f'<tr><td>{_e(res.criterion_labels.get(str(c), str(c)))}</td><td class="num">{percent(v, 1, lang)}</td></tr>'
        for c, v in (res.weights if res.weights is not None else pd.Series(dtype=float)).items()
    )
    head = f'<tr><th>{_e(label("criterion", lang))}</th><th class="num">{_e(label("weight", lang))}</th></tr>'
    return f'{_CSS}<div class="pw-box"><table><thead>{head}</thead><tbody>{rows}</tbody></table></div>'


def _score_text(value: float, criterion, lang: str = "nb") -> str:
    unit = f"\u00a0{unit_label(criterion.scale.unit, lang)}" if criterion.scale.unit else ""
    return f"{fmt.number(value, lang, 0 if abs(value) >= 100 else 1)}{unit}"


def what_it_takes_html(res: Results) -> str:
    """Per non-winning option: the smallest single-weight change and single-score change that make it first."""
    lang = res.state.language
    if not res.ok or res.what_it_takes is None:
        return ""
    rows = []
    for oid, row in res.what_it_takes.iterrows():
        name = res.option_labels.get(str(oid), str(oid))
        wc, sc = row.get("weight_criterion", ""), row.get("score_criterion", "")
        if wc:
            frm, to = percent(row["weight_from"], 0, lang), percent(row["weight_to"], 0, lang)
            weight = f"{_e(res.criterion_labels.get(wc, wc))}: <span style='white-space:nowrap'>{frm} → <b>{to}</b></span>"
        else:
            weight = f'<span class="pw-note">{_e(word("no_weight_change", lang))}</span>'
        if sc:
            crit = res.criteria.get(sc)
            frm = _score_text(row["score_from"], crit, lang) if crit else fmt.number(row["score_from"], lang, 2)
            to = _score_text(row["score_to"], crit, lang) if crit else fmt.number(row["score_to"], lang, 2)
            score = f"{_e(res.criterion_labels.get(sc, sc))}: <span style='white-space:nowrap'>{_e(frm)} → <b>{_e(to)}</b></span>"
        else:
            score = f'<span class="pw-note">{_e(word("no_score_change", lang))}</span>'
        rows.append(
            f'<tr data-option="{_e(oid)}"><td class="num">{int(row["rank"])}</td><td>{_e(name)}</td>'
            f"<td>{weight}</td><td>{score}</td></tr>"
        )
    return (
        f'{_CSS}<div class="pw-box"><div class="pw-note">{_e(word("what_it_takes_help", lang))}</div>'
        f'<table class="pw-what"><thead><tr><th class="num">{_e(label("rank", lang))}</th><th>{_e(label("option", lang))}</th>'
        f"<th>{_e(word('weight_change', lang))}</th><th>{_e(word('score_change', lang))}</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


#: Colours of ranks 1..m in the acceptability chart (viridis, dark = rank 1).
_VIRIDIS = ["#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725"]


def _rank_colour(k: int, m: int) -> str:
    i = 0 if m <= 1 else round(k * (len(_VIRIDIS) - 1) / (m - 1))
    return _VIRIDIS[i]


def _text_colour(bg: str) -> str:
    r, g, b = (int(bg[i : i + 2], 16) for i in (1, 3, 5))
    return "#000" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#fff"


_BAR_CSS = """
<style>
.pw-chart {font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; font-size: 13px; max-width: 720px;}
.pw-row {display: flex; align-items: center; margin: 3px 0;}
.pw-row .pw-name {flex: 0 0 250px; text-align: right; padding-right: 8px; line-height: 1.15;}
.pw-row .pw-track {flex: 1 1 auto; position: relative; height: 20px; background: #f2f2f2;}
.pw-row .pw-fill {position: absolute; top: 0; bottom: 0; left: 0;}
.pw-row .pw-val {flex: 0 0 60px; padding-left: 6px; font-variant-numeric: tabular-nums;}
.pw-stack {display: flex; height: 100%;}
.pw-stack div {height: 100%; font-size: 11px; text-align: center; line-height: 20px; overflow: hidden;}
.pw-legend {display: flex; flex-wrap: wrap; gap: 10px; margin: 0 0 4px 258px; font-size: 11px;}
.pw-legend span {display: inline-flex; align-items: center; gap: 3px;}
.pw-legend i {display: inline-block; width: 11px; height: 11px;}
.pw-dot {position: absolute; top: 4px; width: 12px; height: 12px; margin-left: -6px; border-radius: 50%; background: #1b5e20;}
.pw-axis {display: flex; justify-content: space-between; margin-left: 258px; margin-right: 66px; color: #666; font-size: 11px;}
</style>
"""


def scores_chart_html(res: Results) -> str:
    """Horizontal bars of the method's scores, best first (bars from zero when every score is ≥ 0)."""
    if not res.ok:
        return ""
    lang = res.state.language
    t = res.ranking.table.sort_values("rank", kind="stable")
    s = t["score"].to_numpy(float)
    lo = 0.0 if s.min() >= 0 else s.min()
    span = (s.max() - lo) or 1.0
    rows = []
    for (_oid, row), v in zip(t.iterrows(), s, strict=False):
        width = max(1.0, 100 * (v - lo) / span)
        colour = "#1f5fa8" if int(row["rank"]) == 1 else "#8fb3d9"
        rows.append(
            f'<div class="pw-row"><div class="pw-name">{_e(row["label"])}</div><div class="pw-track">'
            f'<div class="pw-fill" style="width:{width:.1f}%;background:{colour}"></div></div>'
            f'<div class="pw-val">{fmt.number(v, lang, 3)}</div></div>'
        )
    note = "" if lo == 0 else f'<div class="pw-note">{_e(word("bars_relative", lang))}</div>'
    return f'{_BAR_CSS}<div class="pw-chart pw-scores" aria-label="{_e(word("scores", lang))}">{"".join(rows)}{note}</div>'


def acceptability_chart_html(res: Results) -> str:
    """Stacked bars: each option's share of the SMAA samples at rank 1, 2, ... (percent shown from 8 %)."""
    if not res.ok or res.acceptability is None:
        return ""
    lang = res.state.language
    acc = res.acceptability.loc[[o for o in res.ranking.order if o in res.acceptability.index]]
    m = acc.shape[1]
    legend = "".join(
        f'<span><i style="background:{_rank_colour(k, m)}"></i>{_e(word("rank_n", lang, n=col))}</span>'
        for k, col in enumerate(acc.columns)
    )
    rows = []
    for oid, vals in acc.iterrows():
        segs = []
        for k, v in enumerate(vals.to_numpy(float)):
            if v <= 0:
                continue
            bg = _rank_colour(k, m)
            shown = fmt.number(100 * v, lang) if v >= 0.08 else ""
            segs.append(
                f'<div title="{_e(word("rank_n", lang, n=k + 1))}: {percent(v, 1, lang)}" '
                f'style="width:{100 * v:.2f}%;background:{bg};color:{_text_colour(bg)}">{shown}</div>'
            )
        rows.append(
            f'<div class="pw-row" data-option="{_e(oid)}">'
            f'<div class="pw-name">{_e(res.option_labels.get(str(oid), str(oid)))}</div>'
            f'<div class="pw-track"><div class="pw-stack">{"".join(segs)}</div></div>'
            f'<div class="pw-val">{percent(vals.iloc[0], 0, lang)}</div></div>'
        )
    axis = _axis(lang)
    return (
        f'{_BAR_CSS}<div class="pw-chart pw-acceptability"><div class="pw-legend">{legend}</div>{"".join(rows)}{axis}'
        f'<div class="pw-note">{_e(res.smaa_note)}</div></div>'
    )


def _axis(lang: str) -> str:
    """The 0–50–100 % scale under a chart of shares."""
    return f'<div class="pw-axis">{"".join(f"<span>{percent(x, 0, lang)}</span>" for x in (0, 0.5, 1))}</div>'


def stability_chart_html(res: Results) -> str:
    """Per criterion: the weight interval (green) in which the current winner stays first; the dot is the weight now."""
    if not res.ok or res.stability is None:
        return ""
    lang = res.state.language
    winner = res.option_labels.get(res.ranking.winner, res.ranking.winner)
    rows = []
    for cid, row in res.stability.iterrows():
        lo, hi, w = (100 * float(row[k]) for k in ("low", "high", "weight"))
        rows.append(
            f'<div class="pw-row" data-criterion="{_e(cid)}">'
            f'<div class="pw-name">{_e(res.criterion_labels.get(str(cid), str(cid)))}</div>'
            f'<div class="pw-track"><div class="pw-fill" style="left:{lo:.1f}%;width:{max(hi - lo, 0.5):.1f}%;'
            f'background:#b7d4b0"></div>'
            f'<div class="pw-dot" style="left:{w:.1f}%"></div></div>'
            f'<div class="pw-val">{fmt.number(lo, lang)}–{percent(hi / 100, 0, lang)}</div></div>'
        )
    axis = _axis(lang)
    return (
        f'{_BAR_CSS}<div class="pw-chart pw-stability-chart"><div class="pw-note">{_e(word("stability_help", lang))} '
        f"({_e(winner)})</div>{''.join(rows)}{axis}</div>"
    )


def sections(res: Results) -> list[tuple[str, str]]:
    """(heading key, HTML) of every result section, in display order."""
    unavailable = f'{_CSS}<div class="pw-box"><div class="pw-note">{_e(res.smaa_note)}</div></div>' if res.smaa_note else ""
    return [
        ("ranking", ranking_html(res) + scores_chart_html(res)),
        ("acceptability", acceptability_chart_html(res) or unavailable),
        ("stability", stability_chart_html(res)),
        ("what_it_takes", what_it_takes_html(res)),
        ("weights_heading", weights_table_html(res)),
    ]


def show_static(res: Results) -> None:
    """Display the results as plain HTML outputs (for papermill, nbval and reports)."""
    lang = res.state.language
    display(Markdown(f"*{word('static_note', lang)}*"))
    if not res.ok:
        display(HTML(message_html(res.message)))
        return
    for key, part in sections(res):
        display(Markdown(f"### {word(key, lang)}"))
        display(HTML(part))
