"""The interactive workbench: weight sliders, profile and method pickers, live results.

Two layers, kept apart so the arithmetic can be tested and timed without a
browser:

* :func:`compute` is pure: a :class:`State` (case, decision, profile, method,
  slider weights, SMAA samples, seed, weight uncertainty, language) in, a
  :class:`Results` out — the ranking from :func:`procurement.mcda.ranking.rank`,
  the SMAA rank-acceptability summary, the stability interval of every
  criterion weight and the "what would it take" table. All of it goes through
  the package; nothing here ranks by itself. A :class:`Context` caches the
  loaded case and everything that does not depend on the weights (sampled
  score matrices, prepared method arrays), so one slider change costs a few
  milliseconds (see ``benchmarks/interactive.py``).
* :class:`Workbench` builds the ipywidgets controls and outputs and wires the
  observers. The widgets only edit a :class:`State`; every change calls
  :func:`compute` and redraws. *Save as scenario* writes the state through
  :mod:`procurement.app.scenario_io` and asks before replacing a file.

Headless (papermill, nbval, ``procurement run``) no front end draws widgets
and no observer ever fires, so :meth:`Workbench.show` displays the results
for the default parameters as static tables and figures instead; with a front
end (JupyterLab, Voilà) it displays the live controls.

SMAA here is SMAA-2 (Lahdelma & Salminen 2001) through :mod:`procurement.uncertainty.smaa`:
scores drawn from each option's triangular low–likely–high distribution,
each weight drawn uniformly within ± *weight uncertainty* of the chosen
weight and renormalised (smaa's ``bounds`` model; ``fixed`` at 0 %). The
numbers equal ``smaa.smaa(decision, method, samples, seed,
weight_model="bounds", spread=u, weights=w)``; the score draws, which do not
depend on the weights, are drawn once and kept.
"""

from __future__ import annotations

import html
import json
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from procurement.case.errors import InputError, Problem

STEP = 1.0  # slider step, in weight points
SLIDER_MAX = 50.0  # weight points; weights are relative, so 50 against ten others at 5 is already 50 %
NO_PROFILE = ""  # the profile selector's value for "the criteria file's weights"

#: The workbench's own words, key -> (bokmål, English). Generic words come from procurement.report.i18n.
WORDS: dict[str, tuple[str, str]] = {
    "title": ("Arbeidsbenk", "Workbench"),
    "weights_heading": ("Vekter", "Weights"),
    "weights_help": (
        "Flytt en vekt: vektene normaliseres slik at de summerer til 100 %.",
        "Move a weight: the weights are normalised to sum to 100 %.",
    ),
    "profile": ("Vektprofil", "Weight profile"),
    "criteria_file": ("Kriteriefilens vekter", "Criteria file weights"),
    "method": ("Metode", "Method"),
    "uncertainty": ("Vektusikkerhet ± %", "Weight uncertainty ± %"),
    "ranking": ("Rangering", "Ranking"),
    "scores": ("Skår", "Score"),
    "acceptability": ("Rangakseptabilitet (SMAA)", "Rank acceptability (SMAA)"),
    "acceptability_axis": ("Andel av trekkene", "Share of samples"),
    "first_rank": ("Rangert først", "Ranked first"),
    "stability": ("Stabilitetsintervaller", "Stability intervals"),
    "stability_help": (
        "Hvor langt hver vekt kan endres (de andre justeres forholdsmessig) før et annet alternativ blir best.",
        "How far each weight can move (the others rescaled in proportion) before another option comes first.",
    ),
    "what_it_takes": ("Hva skal til?", "What would it take?"),
    "what_it_takes_help": (
        "Den minste endringen av én vekt (de andre justert forholdsmessig), eller av én av alternativets egne skårer, som gjør alternativet best.",
        "The smallest change of one weight (the others rescaled in proportion), or of one of the option's own scores, that makes the option come first.",
    ),
    "weight_change": ("Endring av én vekt", "Change of one weight"),
    "score_change": ("Endring av én skår", "Change of one score"),
    "no_score_change": ("ingen endring av én skår er nok", "no change of a single score is enough"),
    "weight_now": ("Vekt nå", "Weight now"),
    "weight_needed": ("Vekt som trengs", "Weight needed"),
    "change": ("Endring", "Change"),
    "from": ("fra", "from"),
    "to": ("til", "to"),
    "interval": ("Intervall", "Interval"),
    "no_weight_change": ("ingen endring av én vekt er nok", "no change of a single weight is enough"),
    "all_zero": (
        "Alle vektene er null. Gi minst ett kriterium en vekt over null for å se en rangering.",
        "All weights are zero. Give at least one criterion a weight above zero to see a ranking.",
    ),
    "excluded": ("Utelatt ved screening", "Excluded by screening"),
    "save_heading": ("Lagre som scenario", "Save as scenario"),
    "scenario_name": ("Navn", "Name"),
    "save": ("Lagre scenario", "Save scenario"),
    "overwrite": ("Overskriv", "Overwrite"),
    "cancel": ("Avbryt", "Cancel"),
    "exists": ("Scenarioet «{name}» finnes allerede. Vil du overskrive det?", "The scenario '{name}' exists already. Overwrite it?"),
    "saved": ("Lagret {path}. Kjør det med: procurement run {path}", "Saved {path}. Run it with: procurement run {path}"),
    "not_saved": ("Ikke lagret.", "Not saved."),
    "smaa_note": (
        "{samples} trekk, frø {seed}; skårer trukket fra lav–sannsynlig–høy, hver vekt ± {u} %.",
        "{samples} samples, seed {seed}; scores drawn from low–likely–high, each weight ± {u} %.",
    ),
    "smaa_unavailable": (
        "SMAA og stabilitet er tilgjengelig for metodene {methods}.",
        "SMAA and stability are available for the methods {methods}.",
    ),
    "compute_time": ("beregnet på {ms} ms", "computed in {ms} ms"),
    "static_note": (
        "Statisk visning med standardparametrene (ingen interaktiv visning tilgjengelig). Åpne notatboken i JupyterLab eller kjør `procurement app` for glidebrytere.",
        "Static view with the default parameters (no interactive front end). Open the notebook in JupyterLab or run `procurement app` for sliders.",
    ),
    "rank_n": ("Rang {n}", "Rank {n}"),
    "bars_relative": (
        "Skårene er negative: stolpene viser avstanden fra den laveste.",
        "The scores are negative: the bars show the distance from the lowest.",
    ),
}


def word(key: str, language: str = "nb", **fmt: Any) -> str:
    pair = WORDS.get(key)
    if pair is None:
        from procurement.report.i18n import label

        text = label(key, language)
    else:
        text = pair[1] if language == "en" else pair[0]
    return text.format(**fmt) if fmt else text


def _fmt_int(n: int, language: str) -> str:
    s = f"{n:,}"
    return s.replace(",", "\u202f") if language == "nb" else s


def _pct(x: float, decimals: int = 0) -> str:
    return f"{100 * x:.{decimals}f} %"


# ---------------------------------------------------------------------------
# state, context, results
# ---------------------------------------------------------------------------


@dataclass
class State:
    """What the advisor has chosen. ``weights`` None means: the profile's weights exactly."""

    case: str | Path = "data/national-municipal-solution"
    decision: str = "contract-strategy"
    profile: str | None = None
    method: str = "wsm"
    weights: dict[str, float] | None = None  # slider values (relative), criterion id -> weight
    samples: int = 10_000
    seed: int = 20261125
    uncertainty: float = 0.2  # 0..1: each weight drawn within ± this fraction of itself (SMAA)
    language: str = "nb"
    scenario: str = "workbench"

    def with_weights(self, weights: dict[str, float] | None) -> "State":
        return replace(self, weights=None if weights is None else dict(weights))


class Context:
    """The loaded case and decision with caches that do not depend on the weights."""

    def __init__(self, case, decision: str):
        self.case = case
        self.decision = case.decision(decision)
        self._prepared: dict[tuple, Any] = {}
        self._screened = None
        self._ranking_prepared = None

    @classmethod
    def load(cls, case_path: str | Path, decision: str, criteria: str | Path | None = None) -> "Context":
        from procurement.case.loader import load_case
        from procurement.report.notebook import find_case

        return cls(load_case(find_case(case_path), criteria), decision)

    @property
    def path(self) -> Path:
        return self.case.path

    def screened(self):
        """(kept options, excluded table), screened once."""
        if self._screened is None:
            from procurement.mcda.screening import screen

            self._screened = screen(self.decision)
        return self._screened

    def ranking_prepared(self):
        """procurement.mcda.ranking's screened, value-function matrix, computed once (None if unavailable)."""
        from procurement.mcda import ranking

        if self._ranking_prepared is None and hasattr(ranking, "prepare") and hasattr(ranking, "rank_prepared"):
            self._ranking_prepared = ranking.prepare(self.decision)
        return self._ranking_prepared

    def rank(self, method: str, profile: str | None, weights: pd.Series, language: str):
        """:func:`procurement.mcda.ranking.rank` for these weights (reusing the prepared matrix)."""
        from procurement.mcda import ranking

        prep = self.ranking_prepared()
        if prep is not None:
            return ranking.rank_prepared(prep, method, profile=profile, weights=weights, language=language)
        return ranking.rank(self.decision, method, profile=profile, weights=weights, language=language)

    def base_weights(self, profile: str | None) -> pd.Series:
        """The weights :func:`procurement.mcda.ranking.rank` uses for `profile` (None: the criteria file's), sum 1."""
        from procurement.mcda import ranking

        ids = self.decision.criterion_ids
        if hasattr(ranking, "weights_for"):
            w = ranking.weights_for(self.decision, profile)
        else:
            w = self.decision.profile_weights(profile)
        w = w.loc[ids].astype(float)
        return w / w.sum()

    def prepared_blocks(self, method: str, samples: int, seed: int) -> list[tuple[np.ndarray, ...]]:
        """The SMAA score draws of the kept options, prepared for `method`, one entry per block.

        Drawn exactly as :func:`procurement.uncertainty.smaa.smaa` draws them (same blocks,
        same seeded streams), so the workbench's acceptability equals the
        report's for the same settings. They do not depend on the weights and
        are kept for the next slider move.
        """
        from procurement.mcda import fastrank
        from procurement.uncertainty import smaa

        key = (method, samples, seed)
        if key not in self._prepared:
            import inspect

            kept, _ = self.screened()
            d = self.decision
            crit = d.criterion_ids
            mats = {k: d.matrix(k).loc[kept, crit] for k in ("low", "likely", "high")}
            transform = smaa.value_transform(d) if hasattr(smaa, "value_transform") else None
            if "transform" in inspect.signature(smaa.score_sampler).parameters:
                sampler = smaa.score_sampler(mats, True, "triangular", transform)
            else:  # an smaa without value functions
                sampler = smaa.score_sampler(mats, True, "triangular")
            obj = (d.value_objectives if transform is not None else d.objectives).loc[crit].to_numpy()
            extra = ()
            if method == "promethee2":
                from procurement.mcda.ranking import preferences_for

                extra = (preferences_for(d),)
            blocks = []
            for k, size in enumerate(smaa._block_sizes(samples)):
                _, rng_s = smaa._rngs(seed, k)
                blocks.append(fastrank.prepare_t(method, sampler.draw(rng_s, size), obj, *extra))
            self._prepared = {kk: v for kk, v in self._prepared.items() if kk[1:] == key[1:]}  # keep one sample set
            self._prepared[key] = blocks
        return self._prepared[key]


_CONTEXTS: dict[tuple, Context] = {}


def get_context(case: str | Path, decision: str) -> Context:
    """A cached :class:`Context` for a case folder and decision."""
    from procurement.report.notebook import find_case

    path = find_case(case).resolve()
    key = (str(path), decision)
    if key not in _CONTEXTS:
        _CONTEXTS[key] = Context.load(path, decision)
    return _CONTEXTS[key]


@dataclass
class Results:
    """Everything the workbench shows for one :class:`State`."""

    state: State
    message: str = ""  # shown instead of results (e.g. all weights zero)
    weights: pd.Series | None = None  # normalised weights used, criterion id -> share
    ranking: Any = None  # procurement.mcda.ranking.Ranking
    acceptability: pd.DataFrame | None = None  # option id x rank 1..m, shares
    stability: pd.DataFrame | None = None  # criterion: weight, low, high (normalised shares)
    what_it_takes: pd.DataFrame | None = None  # option: criterion, weight_now, weight_needed
    smaa_note: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    option_labels: dict[str, str] = field(default_factory=dict)
    criterion_labels: dict[str, str] = field(default_factory=dict)
    criteria: dict[str, Any] = field(default_factory=dict)  # criterion id -> models.Criterion

    @property
    def ok(self) -> bool:
        return not self.message

    @property
    def order(self) -> list[str]:
        return self.ranking.order if self.ranking is not None else []


def state_weights(state: State, ctx: Context) -> pd.Series:
    """The raw weights of a state: the slider values, or the profile's weights."""
    ids = ctx.decision.criterion_ids
    if state.weights is None:
        return ctx.base_weights(state.profile)
    unknown = [k for k in state.weights if k not in ids]
    if unknown:
        from procurement.case.errors import did_you_mean

        raise InputError(Problem("", "weights", f"unknown criterion '{unknown[0]}'", did_you_mean(unknown[0], ids)))
    return pd.Series([float(state.weights.get(c, 0.0)) for c in ids], index=ids, dtype=float)


def compute(state: State, context: Context | None = None, what_it_takes: bool = True) -> Results:
    """Ranking, SMAA summary, stability intervals and "what would it take" for `state`.

    The live workbench passes ``what_it_takes=False``, draws, then calls
    :func:`add_what_it_takes`, so the ranking and SMAA show without waiting
    for the slower search.

    Never raises for weights that are all zero: the :class:`Results` then
    carries a message instead. Unknown decision, profile or method raise
    :class:`~procurement.case.errors.InputError`.
    """
    from procurement.mcda.methods import get_method

    t0 = time.perf_counter()
    ctx = context or get_context(state.case, state.decision)
    dec = ctx.decision
    get_method(state.method)
    if state.profile is not None:
        dec.profile_weights(state.profile)
    res = Results(
        state=state,
        option_labels=dec.option_labels(state.language),
        criterion_labels=dec.criterion_labels(state.language),
        criteria={c.id: c for c in dec.criteria},
    )
    raw = state_weights(state, ctx)
    if (raw < 0).any() or not np.isfinite(raw).all():
        res.message = word("all_zero", state.language)
        return res
    if raw.sum() <= 0:
        res.message = word("all_zero", state.language)
        return res
    w = raw / raw.sum()
    res.weights = w
    res.ranking = ctx.rank(state.method, state.profile, w, state.language)
    t1 = time.perf_counter()
    res.timings["ranking_ms"] = 1000 * (t1 - t0)
    _smaa(res, ctx, w)
    t2 = time.perf_counter()
    res.timings["smaa_ms"] = 1000 * (t2 - t1)
    _stability(res, ctx, w)
    t3 = time.perf_counter()
    res.timings["stability_ms"] = 1000 * (t3 - t2)
    res.timings["total_ms"] = 1000 * (t3 - t0)
    if what_it_takes:
        add_what_it_takes(res, ctx)
    return res


def _fast_supported(method: str) -> bool:
    from procurement.mcda import fastrank

    return method in fastrank.SUPPORTED


def _smaa(res: Results, ctx: Context, w: pd.Series) -> None:
    """Rank acceptability (SMAA-2) of the kept options, as :func:`procurement.uncertainty.smaa.smaa` computes it.

    Weights: ``bounds`` around the chosen weights with ± `uncertainty` (``fixed``
    at 0); scores: triangular low–likely–high. Identical numbers to
    ``smaa.smaa(decision, method, samples, seed, weight_model="bounds",
    spread=u, weights=w)``; only the weight-independent part is cached.
    """
    from procurement.mcda import fastrank
    from procurement.uncertainty import smaa

    st = res.state
    kept, _ = ctx.screened()
    if not _fast_supported(st.method):
        res.smaa_note = word("smaa_unavailable", st.language, methods=", ".join(fastrank.SUPPORTED))
        return
    u = smaa.check_fraction("uncertainty", st.uncertainty)
    wv = w.loc[ctx.decision.criterion_ids].to_numpy(float)
    sampler = smaa.FixedWeights(wv) if u == 0 else smaa.BoundedWeights.around(wv / wv.sum(), u)
    m = len(kept)
    acc = np.zeros((m, m))
    sizes = smaa._block_sizes(st.samples)
    for k, (size, prep) in enumerate(zip(sizes, ctx.prepared_blocks(st.method, st.samples, st.seed))):
        rng_w, _ = smaa._rngs(st.seed, k)
        s = fastrank.aggregate_t(st.method, prep, sampler.draw(rng_w, size), normalised=True)  # (m, size)
        if s.shape[1] != size:
            s = np.broadcast_to(s, (m, size))
        _, first, tsize = fastrank.tie_groups_t(s)
        smaa._accumulate(acc, first, tsize)
    acc /= st.samples
    res.acceptability = pd.DataFrame(acc, index=kept, columns=range(1, m + 1))
    res.smaa_note = word(
        "smaa_note", st.language, samples=_fmt_int(st.samples, st.language), seed=st.seed, u=f"{100 * u:.0f}"
    )


#: Grid points of the weight sweep that gives stability intervals for methods other than wsm.
SWEEP_POINTS = 201


def _stability(res: Results, ctx: Context, w: pd.Series) -> None:
    """Per criterion, the weight interval that keeps the leader first (:mod:`procurement.uncertainty.sensitivity`).

    Exact for the weighted sum (:func:`sensitivity.stability_intervals`); for
    the other fast methods read off :func:`sensitivity.weight_sweep` on a grid
    of :data:`SWEEP_POINTS`.
    """
    from procurement.uncertainty import sensitivity

    st = res.state
    if not _fast_supported(st.method):
        return
    dec = ctx.decision
    if st.method == "wsm":
        t = sensitivity.stability_intervals(dec, weights=w)
        res.stability = pd.DataFrame({"weight": t["weight"], "low": t["top_low"], "high": t["top_high"]})
        return
    sweep = sensitivity.weight_sweep(dec, st.method, points=SWEEP_POINTS, weights=w)
    leader = res.ranking.winner
    rows = []
    for cid, part in sweep[sweep["option"] == leader].groupby("criterion", sort=False):
        grid = part["weight"].to_numpy(float)
        first = part["rank"].to_numpy() == 1
        now = float(w[cid])
        k = int(np.argmin(np.abs(grid - now)))
        lo = hi = k
        if first[k]:
            while lo > 0 and first[lo - 1]:
                lo -= 1
            while hi < len(grid) - 1 and first[hi + 1]:
                hi += 1
        rows.append({"criterion": cid, "weight": now, "low": min(grid[lo], now), "high": max(grid[hi], now)})
    res.stability = pd.DataFrame(rows).set_index("criterion").loc[[c for c in dec.criterion_ids if c in {r["criterion"] for r in rows}]]


def add_what_it_takes(res: Results, context: Context | None = None) -> Results:
    """Fill ``res.what_it_takes`` from :func:`procurement.uncertainty.sensitivity.what_would_it_take` (slower: ~0.1–0.5 s)."""
    from procurement.uncertainty import sensitivity

    if not res.ok or not _fast_supported(res.state.method):
        return res
    ctx = context or get_context(res.state.case, res.state.decision)
    t0 = time.perf_counter()
    res.what_it_takes = sensitivity.what_would_it_take(ctx.decision, res.state.method, weights=res.weights)
    res.timings["what_it_takes_ms"] = 1000 * (time.perf_counter() - t0)
    return res


# ---------------------------------------------------------------------------
# rendering: HTML tables and PNG figures, shared by the live and static views
# ---------------------------------------------------------------------------

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
    from procurement.report.i18n import label
    from procurement.mcda.methods import METHODS

    r = res.ranking
    t = r.table.sort_values("rank", kind="stable")
    first = None
    if res.acceptability is not None:
        first = res.acceptability[1]
    weights_json = json.dumps({k: float(v) for k, v in res.weights.items()})
    rows = []
    for oid, row in t.iterrows():
        cls = ' class="pw-first"' if int(row["rank"]) == 1 else ""
        acc = f'<td class="num">{_pct(first.get(oid, 0.0))}</td>' if first is not None else ""
        rows.append(
            f'<tr data-option="{_e(oid)}" data-rank="{int(row["rank"])}"{cls}><td class="num">{int(row["rank"])}</td>'
            f"<td>{_e(row['label'])}</td><td class=\"num\">{row['score']:.3f}</td>{acc}</tr>"
        )
    head_acc = f'<th class="num">{_e(word("first_rank", lang))}</th>' if first is not None else ""
    excluded = ""
    if len(r.excluded):
        names = sorted({res.option_labels.get(o, o) for o in r.excluded["option"]})
        excluded = f'<div class="pw-note">{_e(word("excluded", lang))}: {_e(", ".join(names))}</div>'
    method_label = METHODS[r.method].label if r.method in METHODS else r.method
    ms = res.timings.get("total_ms")
    timing = f" · {_e(word('compute_time', lang, ms=f'{ms:.0f}'))}" if ms is not None else ""
    return (
        f'{_CSS}<div class="pw-box pw-ranking-box" data-method="{_e(r.method)}" data-weights=\'{_e(weights_json)}\'>'
        f'<table class="pw-ranking"><thead><tr><th class="num">{_e(label("rank", lang))}</th>'
        f'<th>{_e(label("option", lang))}</th><th class="num">{_e(word("scores", lang))}</th>{head_acc}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>{excluded}"
        f'<div class="pw-note">{_e(word("method", lang))}: {_e(method_label)}{timing}</div></div>'
    )


def weights_table_html(res: Results) -> str:
    """Normalised weights used, by criterion label."""
    if not res.ok:
        return ""
    lang = res.state.language
    from procurement.report.i18n import label

    rows = "".join(
        f'<tr><td>{_e(res.criterion_labels.get(c, c))}</td><td class="num">{_pct(v, 1)}</td></tr>' for c, v in res.weights.items()
    )
    return f'{_CSS}<div class="pw-box"><table><thead><tr><th>{_e(label("criterion", lang))}</th><th class="num">{_e(label("weight", lang))}</th></tr></thead><tbody>{rows}</tbody></table></div>'


def _score_text(value: float, criterion) -> str:
    unit = f" {criterion.scale.unit}" if criterion.scale.unit else ""
    return f"{value:,.0f}{unit}".replace(",", "\u202f") if abs(value) >= 100 else f"{value:.1f}{unit}"


def what_it_takes_html(res: Results) -> str:
    """Per non-winning option: the smallest single-weight change and single-score change that make it first."""
    lang = res.state.language
    if not res.ok or res.what_it_takes is None:
        return ""
    from procurement.report.i18n import label

    rows = []
    for oid, row in res.what_it_takes.iterrows():
        name = res.option_labels.get(oid, oid)
        wc, sc = row.get("weight_criterion", ""), row.get("score_criterion", "")
        if wc:
            weight = (f"{_e(res.criterion_labels.get(wc, wc))}: <span style='white-space:nowrap'>{_pct(row['weight_from'])} → "
                      f"<b>{_pct(row['weight_to'])}</b></span>")
        else:
            weight = f'<span class="pw-note">{_e(word("no_weight_change", lang))}</span>'
        if sc:
            crit = res.criteria.get(sc)
            frm = _score_text(row["score_from"], crit) if crit else f"{row['score_from']:.3g}"
            to = _score_text(row["score_to"], crit) if crit else f"{row['score_to']:.3g}"
            score = f"{_e(res.criterion_labels.get(sc, sc))}: <span style='white-space:nowrap'>{_e(frm)} → <b>{_e(to)}</b></span>"
        else:
            score = f'<span class="pw-note">{_e(word("no_score_change", lang))}</span>'
        rows.append(f'<tr data-option="{_e(oid)}"><td class="num">{int(row["rank"])}</td><td>{_e(name)}</td><td>{weight}</td><td>{score}</td></tr>')
    return (
        f'{_CSS}<div class="pw-box"><div class="pw-note">{_e(word("what_it_takes_help", lang))}</div>'
        f'<table class="pw-what"><thead><tr><th class="num">{_e(label("rank", lang))}</th><th>{_e(label("option", lang))}</th>'
        f'<th>{_e(word("weight_change", lang))}</th><th>{_e(word("score_change", lang))}</th></tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table></div>'
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
    for (oid, row), v in zip(t.iterrows(), s):
        width = max(1.0, 100 * (v - lo) / span)
        colour = "#1f5fa8" if int(row["rank"]) == 1 else "#8fb3d9"
        rows.append(
            f'<div class="pw-row"><div class="pw-name">{_e(row["label"])}</div><div class="pw-track">'
            f'<div class="pw-fill" style="width:{width:.1f}%;background:{colour}"></div></div>'
            f'<div class="pw-val">{v:.3f}</div></div>'
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
            label = f"{100 * v:.0f}" if v >= 0.08 else ""
            segs.append(
                f'<div title="{_e(word("rank_n", lang, n=k + 1))}: {100 * v:.1f} %" '
                f'style="width:{100 * v:.2f}%;background:{bg};color:{_text_colour(bg)}">{label}</div>'
            )
        rows.append(
            f'<div class="pw-row" data-option="{_e(oid)}"><div class="pw-name">{_e(res.option_labels.get(oid, oid))}</div>'
            f'<div class="pw-track"><div class="pw-stack">{"".join(segs)}</div></div>'
            f'<div class="pw-val">{_pct(vals.iloc[0])}</div></div>'
        )
    axis = '<div class="pw-axis"><span>0 %</span><span>50 %</span><span>100 %</span></div>'
    return (
        f'{_BAR_CSS}<div class="pw-chart pw-acceptability"><div class="pw-legend">{legend}</div>{"".join(rows)}{axis}'
        f'<div class="pw-note">{_e(res.smaa_note)}</div></div>'
    )


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
            f'<div class="pw-row" data-criterion="{_e(cid)}"><div class="pw-name">{_e(res.criterion_labels.get(cid, cid))}</div>'
            f'<div class="pw-track"><div class="pw-fill" style="left:{lo:.1f}%;width:{max(hi - lo, 0.5):.1f}%;background:#b7d4b0"></div>'
            f'<div class="pw-dot" style="left:{w:.1f}%"></div></div>'
            f'<div class="pw-val">{lo:.0f}–{hi:.0f} %</div></div>'
        )
    axis = '<div class="pw-axis"><span>0 %</span><span>50 %</span><span>100 %</span></div>'
    return (
        f'{_BAR_CSS}<div class="pw-chart pw-stability-chart"><div class="pw-note">{_e(word("stability_help", lang))} '
        f'({_e(winner)})</div>{"".join(rows)}{axis}</div>'
    )


# ---------------------------------------------------------------------------
# front-end detection and the static view
# ---------------------------------------------------------------------------


def has_frontend() -> bool:
    """True when a widget front end will draw the controls (Voilà, JupyterLab, VS Code).

    papermill and nbval start kernels without any of these markers; there the
    workbench shows static results. ``PROCUREMENT_WIDGETS=static|live`` forces
    one or the other.
    """
    forced = os.environ.get("PROCUREMENT_WIDGETS", "").lower()
    if forced in ("static", "live"):
        return forced == "live"
    try:
        from IPython import get_ipython

        ip = get_ipython()
    except Exception:  # pragma: no cover
        ip = None
    if ip is None or not hasattr(ip, "kernel"):
        return False
    env = os.environ
    return any(k in env for k in ("VOILA_KERNEL_ID", "VOILA_BASE_URL", "VOILA_APP_PORT", "JPY_SESSION_NAME", "VSCODE_PID"))


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
    """Display the results as plain HTML and PNG outputs (for papermill, nbval and reports)."""
    from IPython.display import HTML, Markdown, display

    lang = res.state.language
    display(Markdown(f"*{word('static_note', lang)}*"))
    if not res.ok:
        display(HTML(message_html(res.message)))
        return
    for key, part in sections(res):
        display(Markdown(f"### {word(key, lang)}"))
        display(HTML(part))


# ---------------------------------------------------------------------------
# the live workbench
# ---------------------------------------------------------------------------


def _ordered_groups(decision) -> list[tuple[Any, int]]:
    """Groups of the value tree depth-first, with their depth."""
    groups = decision.criteria_set.groups
    children: dict[str | None, list] = {}
    for g in groups:
        children.setdefault(g.parent, []).append(g)
    out: list[tuple[Any, int]] = []

    def walk(parent, depth):
        for g in children.get(parent, []):
            out.append((g, depth))
            walk(g.id, depth + 1)

    walk(None, 0)
    seen = {g.id for g, _ in out}
    out += [(g, 0) for g in groups if g.id not in seen]
    return out


def _descendants(decision, gid: str) -> set[str]:
    groups = decision.criteria_set.groups
    out = {gid}
    changed = True
    while changed:
        changed = False
        for g in groups:
            if g.parent in out and g.id not in out:
                out.add(g.id)
                changed = True
    return out


class Workbench:
    """ipywidgets controls and outputs over :func:`compute`.

    Build it with :meth:`from_parameters` (the notebook's parameters) and call
    :meth:`show`. The widgets edit :attr:`state`; :meth:`refresh` recomputes
    and redraws. Nothing here ranks; everything goes through :func:`compute`.
    """

    def __init__(self, state: State, context: Context | None = None):
        self.context = context or get_context(state.case, state.decision)
        self.state = state
        self.results: Results | None = None
        self._busy = False
        self._built = False
        self.last_saved: Path | None = None

    @classmethod
    def from_parameters(
        cls,
        case: str | Path = "data/national-municipal-solution",
        decision: str = "contract-strategy",
        profile: str | None = None,
        methods: list[str] | str = ("wsm",),
        samples: int = 10_000,
        seed: int = 20261125,
        language: str = "nb",
        scenario: str = "workbench",
        uncertainty: float = 0.2,
        env: dict[str, str] | None = None,
    ) -> "Workbench":
        """A workbench for a notebook's parameters; ``PROCUREMENT_APP_*`` variables (set by `procurement app`) override them."""
        env = os.environ if env is None else env
        case = env.get("PROCUREMENT_APP_CASE") or case
        decision = env.get("PROCUREMENT_APP_DECISION") or decision
        language = env.get("PROCUREMENT_APP_LANGUAGE") or language
        if "PROCUREMENT_APP_PROFILE" in env:
            profile = env["PROCUREMENT_APP_PROFILE"] or None
        if env.get("PROCUREMENT_APP_METHOD"):
            methods = [env["PROCUREMENT_APP_METHOD"]]
        method = methods if isinstance(methods, str) else (list(methods) or ["wsm"])[0]
        from procurement.mcda.methods import get_method

        get_method(method)
        state = State(
            case=case, decision=decision, profile=profile, method=method, samples=int(samples), seed=int(seed),
            language=language, scenario=scenario, uncertainty=float(uncertainty),
        )
        wb = cls(state)
        if profile is not None:
            wb.context.decision.profile_weights(profile)
        return wb

    # --- computing --------------------------------------------------------
    def compute(self, what_it_takes: bool = True) -> Results:
        self.results = compute(self.state, self.context, what_it_takes=what_it_takes)
        return self.results

    def slider_weights(self) -> dict[str, float]:
        return {cid: float(s.value) for cid, s in self.sliders.items()}

    # --- building ---------------------------------------------------------
    def build(self):
        import ipywidgets as W

        from procurement.mcda.methods import METHODS

        st = self.state
        lang = st.language
        dec = self.context.decision
        case_meta = self.context.case.meta
        self.sliders: dict[str, Any] = {}
        self.shares: dict[str, Any] = {}
        self.group_headers: dict[str, Any] = {}

        stakeholders = {s.id: s.label.get(lang) for s in case_meta.stakeholders}
        profile_options = [(word("criteria_file", lang), NO_PROFILE)] + [
            (stakeholders.get(p, p), p) for p in dec.profiles
        ]
        self.profile_w = W.Dropdown(options=profile_options, value=st.profile or NO_PROFILE, description=word("profile", lang),
                                    style={"description_width": "170px"}, layout=W.Layout(width="500px"))
        self.method_w = W.Dropdown(options=[(m.label, k) for k, m in METHODS.items()], value=st.method,
                                   description=word("method", lang), style={"description_width": "170px"},
                                   layout=W.Layout(width="500px"))
        self.uncertainty_w = W.IntSlider(value=int(round(100 * st.uncertainty)), min=0, max=100, step=5,
                                         description=word("uncertainty", lang), readout_format="d",
                                         continuous_update=False, style={"description_width": "170px"},
                                         layout=W.Layout(width="500px"))
        self.uncertainty_w.add_class("pw-uncertainty")

        base = self.context.base_weights(st.profile)
        rows = []
        for g, depth in _ordered_groups(dec):
            crits = [c for c in dec.criteria if c.group == g.id]
            header = W.HTML(layout=W.Layout(margin=f"6px 0 0 {16 * depth}px"))
            self.group_headers[g.id] = (header, g)
            rows.append(header)
            for c in crits:
                s = W.FloatSlider(
                    value=self._slider_value(base[c.id]), min=0.0, max=SLIDER_MAX, step=STEP,
                    description=c.label.get(lang), readout_format=".0f", continuous_update=False,
                    description_allow_html=False, style={"description_width": "300px"},
                    layout=W.Layout(width=f"{540 - 16 * depth}px", margin=f"0 0 0 {16 * depth}px"),
                )
                s.tooltip = " ".join(c.description.split()) if c.description else c.label.get(lang)
                s.add_class(f"pw-weight-{c.id}")
                s.add_class("pw-weight")
                share = W.HTML(layout=W.Layout(width="70px"))
                share.add_class(f"pw-share-{c.id}")
                s.observe(self._on_slider, names="value")
                self.sliders[c.id] = s
                self.shares[c.id] = share
                rows.append(W.HBox([s, share]))
        self.profile_w.observe(self._on_profile, names="value")
        self.method_w.observe(self._on_method, names="value")
        self.uncertainty_w.observe(self._on_uncertainty, names="value")

        # outputs
        self.message_w = W.HTML()
        self.message_w.add_class("pw-messages")
        self.ranking_w = W.HTML()
        self.ranking_w.add_class("pw-ranking-out")
        self.scores_w = W.HTML()
        self.acceptability_w = W.HTML()
        self.acceptability_w.add_class("pw-acceptability-out")
        self.stability_w = W.HTML()
        self.stability_w.add_class("pw-stability-out")
        self.what_w = W.HTML()
        self.what_w.add_class("pw-what-out")

        # saving
        self.name_w = W.Text(value=st.scenario if st.scenario and st.scenario != "default" else "",
                             placeholder="ks-høy-kostnadsvekt" if lang == "nb" else "ks-high-cost-weight",
                             description=word("scenario_name", lang), style={"description_width": "60px"},
                             layout=W.Layout(width="340px"))
        self.name_w.add_class("pw-scenario-name")
        self.save_w = W.Button(description=word("save", lang), button_style="primary", icon="save")
        self.save_w.add_class("pw-save")
        self.overwrite_w = W.Button(description=word("overwrite", lang), button_style="warning")
        self.overwrite_w.add_class("pw-overwrite")
        self.cancel_w = W.Button(description=word("cancel", lang))
        self.cancel_w.add_class("pw-cancel")
        self.confirm_box = W.HBox([self.overwrite_w, self.cancel_w], layout=W.Layout(display="none"))
        self.save_status_w = W.HTML()
        self.save_status_w.add_class("pw-save-status")
        self.save_w.on_click(lambda _: self.save(overwrite=False))
        self.overwrite_w.on_click(lambda _: self.save(overwrite=True))
        self.cancel_w.on_click(lambda _: self._cancel_save())

        def h(key):
            return W.HTML(f"<h3 style='margin:10px 0 4px 0'>{_e(word(key, lang))}</h3>")

        title = f"{case_meta.title.get(lang)} — {dec.title.get(lang)}"
        illustrative = f"<div class='pw-note' style='color:#555'>{_e(__import__('procurement.report.i18n', fromlist=['label']).label('illustrative', lang))}</div>" if case_meta.illustrative else ""
        controls = W.VBox(
            [W.HTML(f"<h2 style='margin:4px 0'>{_e(title)}</h2>{illustrative}"), self.profile_w, self.method_w, self.uncertainty_w,
             h("weights_heading"), W.HTML(f"<div style='color:#555;font-size:12px'>{_e(word('weights_help', lang))}</div>"), *rows,
             h("save_heading"), W.HBox([self.name_w, self.save_w]), self.confirm_box, self.save_status_w],
            layout=W.Layout(flex="0 0 640px", padding="0 16px 0 0"),
        )
        outputs = W.VBox(
            [self.message_w, h("ranking"), self.ranking_w, self.scores_w, h("acceptability"), self.acceptability_w,
             h("stability"), self.stability_w, h("what_it_takes"), self.what_w],
            layout=W.Layout(flex="1 1 auto", min_width="480px", overflow="auto"),
        )
        self.widget = W.HBox([controls, outputs], layout=W.Layout(align_items="flex-start", width="100%"))
        self.widget.add_class("pw-workbench")
        self._built = True
        self.refresh()
        return self.widget

    @staticmethod
    def _slider_value(share: float) -> float:
        return float(min(SLIDER_MAX, max(0.0, round(100 * share / STEP) * STEP)))

    # --- observers -------------------------------------------------------
    def _on_slider(self, change) -> None:
        if self._busy:
            return
        self.state = self.state.with_weights(self.slider_weights())
        self.refresh()

    def _on_profile(self, change) -> None:
        if self._busy:
            return
        self.state = replace(self.state, profile=change["new"] or None, weights=None)
        base = self.context.base_weights(self.state.profile)
        self._busy = True
        try:
            for cid, s in self.sliders.items():
                s.value = self._slider_value(base[cid])
        finally:
            self._busy = False
        self.refresh()

    def _on_method(self, change) -> None:
        if self._busy:
            return
        self.state = replace(self.state, method=change["new"])
        self.refresh()

    def _on_uncertainty(self, change) -> None:
        if self._busy:
            return
        self.state = replace(self.state, uncertainty=change["new"] / 100.0)
        self.refresh()

    # --- drawing ---------------------------------------------------------
    def refresh(self) -> Results:
        """Recompute for the current state and redraw every output."""
        try:
            res = self.compute(what_it_takes=not self._built)
            if self._built:
                self._draw(res)
                add_what_it_takes(res, self.context)  # the slower part, after the ranking and SMAA show
                self.what_w.value = what_it_takes_html(res)
        except InputError as err:
            if self._built:
                self.message_w.value = message_html("\n".join(str(p) for p in err.problems), "error")
            return None  # type: ignore[return-value]
        return res

    def _draw(self, res: Results) -> None:
        lang = res.state.language
        raw = state_weights(res.state, self.context)
        total = raw.sum()
        for cid, share in self.shares.items():
            v = raw[cid] / total if total > 0 else 0.0
            share.value = f"<span style='font-variant-numeric:tabular-nums;color:#333'>{_pct(v)}</span>"
        dec = self.context.decision
        for gid, (header, g) in self.group_headers.items():
            members = _descendants(dec, gid)
            gsum = sum(raw[c.id] for c in dec.criteria if c.group in members)
            share = _pct(gsum / total) if total > 0 else "–"
            header.value = f"<b>{_e(g.label.get(lang))}</b> <span style='color:#555'>({share})</span>"
        # render everything first, then assign: the outputs change together
        parts = dict(sections(res)) if res.ok else {}
        ranking = ranking_html(res) if res.ok else ""
        self.message_w.value = "" if res.ok else message_html(res.message)
        self.scores_w.value = scores_chart_html(res)
        self.acceptability_w.value = parts.get("acceptability", "")
        self.stability_w.value = parts.get("stability", "")
        if not res.ok or res.what_it_takes is not None:
            self.what_w.value = parts.get("what_it_takes", "")
        self.ranking_w.value = ranking

    # --- saving ----------------------------------------------------------
    def scenario_settings(self, name: str) -> dict[str, Any]:
        st = self.state
        return dict(
            name=name, decision=st.decision, profile=st.profile, methods=[st.method], samples=st.samples,
            seed=st.seed, language=st.language, weights=st.weights,
        )

    def save(self, overwrite: bool = False) -> Path | None:
        """Write the current settings as a scenario; ask (show Overwrite/Cancel) when the name exists."""
        from procurement.app import scenario_io

        lang = self.state.language
        name = self.name_w.value.strip() if self._built else self.state.scenario
        try:
            if self.results is not None and not self.results.ok:
                raise InputError(Problem("", "weights", word("all_zero", lang)))
            path = scenario_io.save(self.context.case, overwrite=overwrite, **self.scenario_settings(name))
        except scenario_io.ScenarioExists:
            if self._built:
                self.save_status_w.value = message_html(word("exists", lang, name=name))
                self.confirm_box.layout.display = "flex"
            return None
        except InputError as err:
            if self._built:
                self.save_status_w.value = message_html("; ".join(str(p) for p in err.problems), "error")
                self.confirm_box.layout.display = "none"
            return None
        self.last_saved = path
        if self._built:
            from procurement.case.errors import display_path

            self.confirm_box.layout.display = "none"
            self.save_status_w.value = message_html(word("saved", lang, path=display_path(path)), "ok")
        return path

    def _cancel_save(self) -> None:
        self.confirm_box.layout.display = "none"
        self.save_status_w.value = message_html(word("not_saved", self.state.language))

    # --- showing ---------------------------------------------------------
    def show(self, live: bool | None = None):
        """Live controls when a front end draws them, else static results for the current state."""
        from IPython.display import display

        if live is None:
            live = has_frontend()
        if live:
            display(self.build())
        else:
            show_static(self.compute())
        return None


def workbench(**parameters: Any) -> Workbench:
    """Build and show the workbench for a notebook's parameters; return it."""
    wb = Workbench.from_parameters(**parameters)
    wb.show()
    return wb
