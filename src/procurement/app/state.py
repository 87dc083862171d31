"""The workbench's state and computation: what the advisor chose -> an Analysis -> results.

:func:`compute` is pure: a :class:`State` (case, decision, profile, method,
slider weights, samples, seed, uncertainty model, language) in, a
:class:`Results` out. It builds a :class:`procurement.analysis.Analysis` for the
state and asks it for the ranking, the SMAA rank acceptability, the stability
interval of every weight and the "what would it take" table, so the workbench
shows exactly the numbers that ``procurement rank``/``sensitivity`` and the
report give for the same scenario. A :class:`Context` keeps the loaded case and
the base analysis; variants share its caches (the screened matrix, the SMAA
score draws), so a slider move costs a few milliseconds
(``benchmarks/interactive.py``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from procurement.app.words import _fmt_int, word
from procurement.case.errors import InputError, Problem
from procurement.case.models import Uncertainty

#: Grid points of the weight sweep that gives stability intervals for methods other than wsm.
SWEEP_POINTS = 201


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
    uncertainty: Uncertainty = field(default_factory=Uncertainty)
    language: str = "nb"
    scenario: str = "workbench"

    def with_weights(self, weights: dict[str, float] | None) -> State:
        return replace(self, weights=None if weights is None else dict(weights))

    def with_spread(self, spread: float) -> State:
        return replace(self, uncertainty=self.uncertainty.model_copy(update={"spread": float(spread)}))

    def scenario_data(self, name: str | None = None) -> dict[str, Any]:
        """The scenario this state describes (what *Save as scenario* writes and ``procurement run`` reads)."""
        return {
            "name": name or self.scenario,
            "decision": self.decision,
            "profile": self.profile,
            "methods": [self.method],
            "samples": int(self.samples),
            "seed": int(self.seed),
            "language": self.language,
            "weights": self.weights,
            "uncertainty": self.uncertainty.model_dump(exclude_none=True),
        }


class Context:
    """The loaded case and the decision's base analysis; every state's analysis shares its caches."""

    def __init__(self, case, decision: str):
        self.case = case
        self.base = case.analysis(None, decision=decision, profile=None, weights=None)
        self.decision = self.base.decision

    @classmethod
    def load(cls, case_path: str | Path, decision: str, criteria: str | Path | None = None) -> Context:
        from procurement.case.loader import load_case
        from procurement.report.notebook import find_case

        return cls(load_case(find_case(case_path), criteria), decision)

    @property
    def path(self) -> Path:
        return self.case.path

    def analysis(self, state: State):
        """The :class:`~procurement.analysis.Analysis` of `state` (explicit slider weights replace the profile's)."""
        return self.base.with_(
            name=_name(state.scenario),
            profile=state.profile,
            weights=state.weights,
            methods=[state.method],
            samples=state.samples,
            seed=state.seed,
            language=state.language,
            uncertainty=state.uncertainty,
        )

    def base_weights(self, profile: str | None) -> pd.Series:
        """The weights a profile resolves to (None: the criteria file's, down the value tree), sum 1."""
        return self.base.with_(profile=profile, weights=None).weights


def _name(scenario: str) -> str:
    from procurement.app.scenario_io import slugify

    return slugify(scenario) or "workbench"


_CONTEXTS: dict[tuple, Context] = {}


def get_context(case: str | Path, decision: str) -> Context:
    """A cached :class:`Context` for a case folder and decision."""
    from procurement.report.notebook import find_case

    path = find_case(case).resolve()
    key = (str(path), decision)
    if key not in _CONTEXTS:
        _CONTEXTS[key] = Context.load(path, decision)
    return _CONTEXTS[key]


def cache_context(case: str | Path, decision: str, context: Context) -> None:
    """Keep a context built elsewhere (the workbench's case picker) for :func:`get_context`."""
    _CONTEXTS[(str(Path(case).resolve()), decision)] = context


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
    analysis: Any = None  # the procurement.analysis.Analysis these results come from

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

        raise InputError(Problem("weights", "", f"unknown criterion '{unknown[0]}'", did_you_mean(unknown[0], ids)))
    return pd.Series([float(state.weights.get(c, 0.0)) for c in ids], index=ids, dtype=float)


def compute(state: State, context: Context | None = None, what_it_takes: bool = True) -> Results:
    """Ranking, SMAA acceptability, stability intervals and "what would it take" for `state`.

    The live workbench passes ``what_it_takes=False``, draws, then calls
    :func:`add_what_it_takes`, so the ranking and SMAA show without waiting
    for the slower search. Never raises for weights that are all zero: the
    :class:`Results` then carries a message instead. Unknown decision, profile
    or method raise :class:`~procurement.case.errors.InputError`.
    """
    t0 = time.perf_counter()
    ctx = context or get_context(state.case, state.decision)
    dec = ctx.decision
    res = Results(
        state=state,
        option_labels=dec.option_labels(state.language),
        criterion_labels=dec.criterion_labels(state.language),
        criteria={c.id: c for c in dec.criteria},
    )
    raw = state_weights(state, ctx)
    if (raw < 0).any() or not np.isfinite(raw).all() or raw.sum() <= 0:
        from procurement.mcda.methods import get_method

        get_method(state.method)
        res.message = word("all_zero", state.language)
        return res
    a = ctx.analysis(state)
    res.analysis = a
    res.weights = a.weights
    res.ranking = a.ranking()
    t1 = time.perf_counter()
    res.timings["ranking_ms"] = 1000 * (t1 - t0)
    _smaa(res, a)
    t2 = time.perf_counter()
    res.timings["smaa_ms"] = 1000 * (t2 - t1)
    if _fast_supported(state.method):
        res.stability = a.stability(points=SWEEP_POINTS).to_frame()
    t3 = time.perf_counter()
    res.timings["stability_ms"] = 1000 * (t3 - t2)
    res.timings["total_ms"] = 1000 * (t3 - t0)
    if what_it_takes:
        add_what_it_takes(res)
    return res


def _fast_supported(method: str) -> bool:
    """True when the method has a vectorised kernel (SMAA and the weight intervals need one)."""
    from procurement.mcda.methods import get_method

    return get_method(method).kernel is not None


def _smaa(res: Results, a) -> None:
    """Rank acceptability of the kept options, as ``analysis.smaa().acceptability`` gives it."""
    from procurement.mcda import fastrank

    st = res.state
    if not _fast_supported(st.method):
        res.smaa_note = word("smaa_unavailable", st.language, methods=", ".join(fastrank.SUPPORTED))
        return
    res.acceptability = a.acceptability()
    res.smaa_note = word(
        "smaa_note", st.language, samples=_fmt_int(st.samples, st.language), seed=st.seed, u=f"{100 * st.uncertainty.spread:.0f}"
    )


def add_what_it_takes(res: Results, context: Context | None = None) -> Results:
    """Fill ``res.what_it_takes`` from the analysis (slower: ~0.1–0.5 s)."""
    if not res.ok or not _fast_supported(res.state.method):
        return res
    t0 = time.perf_counter()
    res.what_it_takes = res.analysis.what_would_it_take().to_frame()
    res.timings["what_it_takes_ms"] = 1000 * (time.perf_counter() - t0)
    return res
