"""The workbench's state and computation: what the advisor chose -> an Analysis -> results.

The state is a :class:`procurement.Scenario` (the one pydantic model that also validates scenario files and
notebook parameters) and the case folder it applies to; the workbench keeps no second list of scenario keys.
:func:`compute` is pure: a :class:`State` in, a :class:`Results` out. It builds a :class:`procurement.Analysis`
for the state's scenario and asks it for the ranking, the SMAA rank acceptability, the stability interval of every
weight and the "what would it take" table, so the workbench shows exactly the numbers that
``procurement rank``/``sensitivity`` and the report give for the same scenario. A :class:`Context` keeps the loaded
case and the base analysis; variants share its caches (the screened matrix, the SMAA score draws), so a slider move
costs a few milliseconds (``benchmarks/interactive.py``).
"""

from __future__ import annotations

import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError

import procurement as pw
from procurement.app.words import percent, word
from procurement.text import fmt

#: Grid points of the weight sweep that gives stability intervals for methods other than wsm.
SWEEP_POINTS = 201

#: What the workbench starts with where the scenario model's default is not the workbench's: its own name and one method.
WORKBENCH_NAME = "workbench"
WORKBENCH_METHODS = ["wsm"]


def scenario_problems(
    err: ValidationError, file: str, where: str = "key '{}'", given: Collection[str] | None = None,
    names: Mapping[str, str] | None = None,
) -> list[pw.Problem]:
    """One :class:`procurement.Problem` per mistake pydantic found in scenario keys, each named with `where`.

    `given`: only mistakes in these keys (a key left out is filled in later); `names`: a key -> the name the reader
    gave it (the notebook's ``scenario`` is the model's ``name``).
    """
    out = []
    for e in err.errors():
        loc = [str(x) for x in e.get("loc", ())]
        if given is not None and (not loc or loc[0] not in given):
            continue
        if loc and names:
            loc[0] = names.get(loc[0], loc[0])
        message = str(e.get("msg", "invalid")).removeprefix("Value error, ")
        if e.get("type") == "extra_forbidden":
            message = "unknown key"
        out.append(pw.Problem(file, where.format(".".join(loc) or "top level"), message,
                              f"got {e['input']!r}" if "input" in e else ""))
    return out


def validated(data: dict[str, Any], file: str = "workbench", strict: bool = False) -> pw.Scenario:
    """A :class:`procurement.Scenario` from `data`, or InputError naming each wrong key."""
    try:
        return pw.Scenario.model_validate(data, strict=strict)
    except ValidationError as err:
        raise pw.InputError(scenario_problems(err, file)) from None


def set_keys(scenario: pw.Scenario) -> dict[str, Any]:
    """The keys a scenario sets (given, not defaulted), each as the model dumps it (JSON types, no None)."""
    dumped = scenario.model_dump(mode="json", exclude_none=True)
    return {k: v for k, v in dumped.items() if k in scenario.model_fields_set}


@dataclass(frozen=True)
class State:
    """What the advisor has chosen: a case folder and a :class:`procurement.Scenario` for it.

    The scenario sets every key the workbench shows (name, decision, profile, methods, samples, seed, language,
    uncertainty; weights once a slider moved), so *Save as scenario* writes all of them. ``zero_weights`` is True
    while every slider stands at zero: no scenario holds such weights (the model refuses them), and the page says so
    instead of ranking.
    """

    case: str | Path
    scenario: pw.Scenario
    zero_weights: bool = False

    @classmethod
    def make(cls, case: str | Path, **keys: Any) -> State:
        """A state for `case` with these scenario keys (the workbench's name and method unless given)."""
        keys = {"name": WORKBENCH_NAME, "methods": list(WORKBENCH_METHODS), **keys}
        full = validated(keys).model_dump(mode="json", exclude_none=True, exclude={"case", "notebooks", "description"})
        return cls(case, validated(full))

    def with_(self, **changes: Any) -> State:
        """This state with scenario keys changed (validated; InputError naming a wrong key)."""
        return replace(self, scenario=validated({**set_keys(self.scenario), **changes}), zero_weights=False)

    def with_weights(self, weights: dict[str, float] | None) -> State:
        """The slider weights (relative); None goes back to the profile's weights, all zero marks :attr:`zero_weights`."""
        if weights is not None and weights and not any(float(v) for v in weights.values()):
            return replace(self, zero_weights=True)
        return self.with_(weights=None if weights is None else {k: float(v) for k, v in weights.items()})

    def with_spread(self, spread: float) -> State:
        return self.with_(uncertainty={**set_keys(self.scenario).get("uncertainty", {}), "spread": float(spread)})

    def __getattr__(self, key: str) -> Any:
        """A scenario key of the state (``state.samples`` is ``state.scenario.samples``): one list of keys, the model's."""
        if key.startswith("_") or key not in pw.Scenario.model_fields:
            raise AttributeError(f"'State' has no attribute '{key}'")
        return getattr(self.scenario, key)

    @property
    def method(self) -> str:
        """The method the workbench shows: the scenario's first."""
        return self.scenario.methods[0]


def known_cases(start: str | Path | None = None) -> list[str]:
    """Case folders to offer in the case picker: every ``data/*/`` with a case.yaml, from `start` (the cwd) upwards."""
    return [str(d) for d in pw.known_cases(Path(start) if start is not None else None)]


def case_folder(case: str | Path) -> Path:
    """The case folder: `case` as given, else looked for from the current folder upwards (:func:`procurement.find_case`;
    the workbench notebook runs in ``notebooks/`` under JupyterLab, Voilà and nbval)."""
    return pw.find_case(case)


def first_decision(case: pw.Case) -> str:
    """The decision a case opens on: the engine's choice for a case without a scenario (its default scenario's)."""
    return pw.Analysis(case).decision.id


class Context:
    """The loaded case and the decision's base analysis; every state's analysis shares the caches of the one before.

    Each state's analysis is derived (:meth:`procurement.Analysis.with_`) from the previous state's, not from the base:
    the SMAA score draws an analysis makes on first use then stay with the next one, so a slider move does not draw
    the scores again (they depend on the decision, method, samples, seed and score model only, which the cache key
    holds).
    """

    def __init__(self, case: pw.Case, decision: str):
        self.case = case
        self.base = pw.Analysis(case, {"name": WORKBENCH_NAME, "decision": decision})
        self.decision = self.base.decision
        self._last = self.base

    @classmethod
    def load(cls, case_path: str | Path, decision: str, criteria: str | Path | None = None) -> Context:
        return cls(pw.load_case(case_folder(case_path), criteria), decision)

    @property
    def path(self) -> Path:
        return self.case.path

    def analysis(self, state: State) -> pw.Analysis:
        """The :class:`procurement.Analysis` of the state's scenario (explicit slider weights replace the profile's)."""
        self._last = self._last.with_(**state.scenario.model_dump(exclude={"case"}))  # the folder is the context's
        return self._last

    def base_weights(self, profile: str | None) -> pd.Series:
        """The weights a profile resolves to (None: the criteria file's, down the value tree), sum 1."""
        return self.base.with_(profile=profile, weights=None).weights


_CONTEXTS: dict[tuple, Context] = {}


def get_context(case: str | Path, decision: str) -> Context:
    """A cached :class:`Context` for a case folder and decision."""
    path = case_folder(case).resolve()
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
    ranking: Any = None  # procurement.Ranking
    acceptability: pd.DataFrame | None = None  # option id x rank 1..m, shares
    stability: pd.DataFrame | None = None  # criterion: weight, low, high (normalised shares)
    what_it_takes: pd.DataFrame | None = None  # option: criterion, weight_now, weight_needed
    smaa_note: str = ""  # what the SMAA shares assumed, in the engine's sentences
    timings: dict[str, float] = field(default_factory=dict)
    option_labels: dict[str, str] = field(default_factory=dict)
    criterion_labels: dict[str, str] = field(default_factory=dict)
    criteria: dict[str, Any] = field(default_factory=dict)  # criterion id -> the case's criterion (scale, unit)
    analysis: pw.Analysis | None = None  # the analysis these results come from

    @property
    def ok(self) -> bool:
        return not self.message

    @property
    def order(self) -> list[str]:
        return self.ranking.order if self.ranking is not None else []


def compute(state: State, context: Context | None = None, what_it_takes: bool = True) -> Results:
    """Ranking, SMAA acceptability, stability intervals and "what would it take" for `state`.

    The live workbench passes ``what_it_takes=False``, draws, then calls :func:`add_what_it_takes`, so the ranking
    and SMAA show without waiting for the slower search. Never raises for weights that are all zero: the
    :class:`Results` then carries a message instead. Unknown decision, profile or method raise
    :class:`procurement.InputError`.
    """
    t0 = time.perf_counter()
    ctx = context or get_context(state.case, state.decision)
    a = ctx.analysis(state)
    res = Results(
        state=state,
        option_labels=a.option_labels(),
        criterion_labels=a.criterion_labels(),
        criteria={c.id: c for c in a.decision.criteria},
    )
    if state.zero_weights:
        res.message = word("all_zero", state.language)
        return res
    res.analysis = a
    res.weights = a.weights
    res.ranking = a.ranking()
    t1 = time.perf_counter()
    res.timings["ranking_ms"] = 1000 * (t1 - t0)
    _smaa(res, a)
    t2 = time.perf_counter()
    res.timings["smaa_ms"] = 1000 * (t2 - t1)
    if fast_supported(state.method):
        res.stability = a.stability(points=SWEEP_POINTS).to_frame()
    t3 = time.perf_counter()
    res.timings["stability_ms"] = 1000 * (t3 - t2)
    res.timings["total_ms"] = 1000 * (t3 - t0)
    if what_it_takes:
        add_what_it_takes(res)
    return res


def fast_supported(method: str) -> bool:
    """True when the method has a vectorised kernel (SMAA and the weight intervals need one)."""
    return pw.METHODS[method].kernel is not None


def _smaa(res: Results, a: pw.Analysis) -> None:
    """Rank acceptability of the kept options, as ``analysis.smaa().acceptability`` gives it, and what it assumed."""
    lang = res.state.language
    if not fast_supported(res.state.method):
        kernels = ", ".join(k for k in pw.METHODS if fast_supported(k))
        res.smaa_note = word("smaa_unavailable", lang, methods=kernels)
        return
    res.acceptability = a.acceptability()
    res.smaa_note = smaa_note(a, lang)


def smaa_note(a: pw.Analysis, language: str) -> str:
    """What the SMAA shares assumed, from the analysis's own scenario: samples, seed and the uncertainty model.

    Every value comes from the analysis (never from the controls), written through :mod:`procurement.text.fmt`.
    When the engine's SMAA result carries its own sentences (issue 22, the ranking part), print those instead.
    """
    u, sc = a.uncertainty, a.scenario
    spread = percent(u.spread, 0, language)
    return word("smaa_note", language, samples=fmt.number(sc.samples, language), seed=sc.seed,
                weights=word(f"smaa_weights_{u.weights}", language, spread=spread),
                scores=word(f"smaa_scores_{u.scores}", language))


def add_what_it_takes(res: Results, context: Context | None = None) -> Results:
    """Fill ``res.what_it_takes`` from the analysis (slower: ~0.1–0.5 s)."""
    if res.analysis is None or not fast_supported(res.state.method):
        return res
    t0 = time.perf_counter()
    res.what_it_takes = res.analysis.what_would_it_take().to_frame()
    res.timings["what_it_takes_ms"] = 1000 * (time.perf_counter() - t0)
    return res
