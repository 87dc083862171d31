"""The interactive workbench's ipywidgets UI: weight sliders, profile and method pickers, live results.

Three layers, kept apart so the arithmetic can be tested and timed without a
browser: :mod:`procurement.app.state` turns what the advisor chose into an
:class:`~procurement.analysis.Analysis` and its results,
:mod:`procurement.app.render` draws them as HTML, and this module builds the
ipywidgets controls and wires the observers. The widgets only edit a
:class:`~procurement.app.state.State`; every change calls
:func:`~procurement.app.state.compute` and redraws. *Save as scenario* writes
the state — uncertainty model included — through
:mod:`procurement.app.scenario_io` and asks before replacing a file.

Headless (papermill, nbval, ``procurement run``) no front end draws widgets
and no observer ever fires, so :meth:`Workbench.show` displays the results
for the parameters as static tables and figures instead; with a front end
(JupyterLab, Voilà) it displays the live controls.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from procurement.app.render import (
    _e,
    message_html,
    ranking_html,
    scores_chart_html,
    sections,
    show_static,
    what_it_takes_html,
)
from procurement.app.words import _pct, word
from procurement.app.state import Context, Results, State, add_what_it_takes, compute, get_context, state_weights
from procurement.case.errors import InputError, Problem
from procurement.text.labels import label

STEP = 1.0  # slider step, in weight points
SLIDER_MAX = 50.0  # weight points; weights are relative, so 50 against ten others at 5 is already 50 %
NO_PROFILE = ""  # the profile selector's value for "the criteria file's weights"


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


# ---------------------------------------------------------------------------
# the live workbench
# ---------------------------------------------------------------------------


_CASE_WORDS = {
    "case": {"nb": "Sak", "en": "Case"},
    "decision": {"nb": "Beslutning", "en": "Decision"},
    "open": {"nb": "Åpne", "en": "Open"},
    "placeholder": {"nb": "mappe med case.yaml, f.eks. data/min-sak", "en": "folder with case.yaml, e.g. data/my-case"},
    "opened": {"nb": "Åpnet: {title}", "en": "Opened: {title}"},
}


def _case_word(key: str, language: str, **values: Any) -> str:
    text = _CASE_WORDS[key]["en" if language == "en" else "nb"]
    return text.format(**values) if values else text


def known_cases(start: str | Path | None = None) -> list[str]:
    """Case folders to offer in the case picker: every ``data/*/`` with a case.yaml, from `start` (the cwd) upwards."""
    here = Path(start) if start is not None else Path.cwd()
    for folder in [here, *here.resolve().parents]:
        data = folder / "data"
        if data.is_dir():
            return sorted(str(d) for d in data.iterdir() if (d / "case.yaml").exists())
    return []


def first_decision(case) -> str:
    """The decision a case opens on: its default scenario's, else its first."""
    sc = case.scenarios.get("default")
    return sc.decision if sc is not None and sc.decision in case.decisions else next(iter(case.decisions))


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
        methods: Sequence[str] | str = ("wsm",),
        samples: int = 10_000,
        seed: int = 20261125,
        language: str = "nb",
        scenario: str = "workbench",
        uncertainty: dict[str, Any] | None = None,
        weights: dict[str, float] | None = None,
        env: Mapping[str, str] | None = None,
    ) -> Workbench:
        """A workbench for a notebook's parameters; ``PROCUREMENT_APP_*`` variables (set by `procurement app`) override them."""
        environ: Mapping[str, str] = os.environ if env is None else env
        case = environ.get("PROCUREMENT_APP_CASE") or case
        decision = environ.get("PROCUREMENT_APP_DECISION") or decision
        language = environ.get("PROCUREMENT_APP_LANGUAGE") or language
        if "PROCUREMENT_APP_PROFILE" in environ:
            profile = environ["PROCUREMENT_APP_PROFILE"] or None
        if environ.get("PROCUREMENT_APP_METHOD"):
            methods = [environ["PROCUREMENT_APP_METHOD"]]
        method = methods if isinstance(methods, str) else (list(methods) or ["wsm"])[0]
        context = get_context(case, decision)
        # the scenario resolves and checks everything (profile, method, weights, uncertainty) once
        a = context.base.with_(
            name=scenario,
            profile=profile,
            methods=[method],
            samples=int(samples),
            seed=int(seed),
            language=language,
            weights=weights,
            uncertainty=uncertainty or {},
        )
        sc = a.scenario
        state = State(
            case=case,
            decision=decision,
            profile=sc.profile,
            method=method,
            weights=sc.weights,
            samples=sc.samples,
            seed=sc.seed,
            language=sc.language,
            scenario=sc.name,
            uncertainty=sc.uncertainty,
        )
        return cls(state, context)

    def summary(self) -> pd.DataFrame:
        """The current ranking with each option's share of first places in SMAA, rounded (a deterministic table)."""
        res = self.results if self.results is not None else self.compute(what_it_takes=False)
        if not res.ok:
            return pd.DataFrame({"message": [res.message]})
        t = res.ranking.table[["label", "score", "rank"]].sort_values("rank", kind="stable").copy()
        if res.acceptability is not None:
            t["first"] = res.acceptability[1].reindex(t.index)
        return t.round(4)

    # --- computing --------------------------------------------------------
    def compute(self, what_it_takes: bool = True) -> Results:
        self.results = compute(self.state, self.context, what_it_takes=what_it_takes)
        return self.results

    def slider_weights(self) -> dict[str, float]:
        return {cid: float(s.value) for cid, s in self.sliders.items()}

    # --- building ---------------------------------------------------------
    def build(self):
        """The whole workbench: the case bar (any case folder, its decisions) above the controls and results."""
        import ipywidgets as W

        self.case_bar = self._build_case_bar()
        self.body = self._build_body()
        self.widget = W.VBox([self.case_bar, self.body], layout=W.Layout(width="100%"))
        self.widget.add_class("pw-workbench-root")
        self._built = True
        self.refresh()
        return self.widget

    def _build_case_bar(self):
        import ipywidgets as W

        lang = self.state.language
        self.case_w = W.Combobox(
            value=str(self.state.case),
            options=known_cases(),
            ensure_option=False,
            placeholder=_case_word("placeholder", lang),
            description=_case_word("case", lang),
            style={"description_width": "80px"},
            layout=W.Layout(width="560px"),
        )
        self.case_w.add_class("pw-case-path")
        self.decision_w = W.Dropdown(
            options=self._decision_options(),
            value=self.state.decision,
            description=_case_word("decision", lang),
            style={"description_width": "80px"},
            layout=W.Layout(width="420px"),
        )
        self.decision_w.add_class("pw-decision")
        self.open_w = W.Button(description=_case_word("open", lang), icon="folder-open")
        self.open_w.add_class("pw-open-case")
        self.case_status_w = W.HTML()
        self.case_status_w.add_class("pw-case-status")
        self.open_w.on_click(lambda _: self.open_case(self.case_w.value))
        self.decision_w.observe(self._on_decision, names="value")
        return W.VBox([W.HBox([self.case_w, self.open_w]), self.decision_w, self.case_status_w],
                      layout=W.Layout(margin="0 0 8px 0"))

    def _decision_options(self) -> list[tuple[str, str]]:
        lang = self.state.language
        return [(f"{d.title.get(lang)} ({d.id})", d.id) for d in self.context.case.decisions.values()]

    def _on_decision(self, change) -> None:
        if self._busy or change["new"] == self.state.decision:
            return
        self.open_case(self.state.case, change["new"])

    def open_case(self, path: str | Path, decision: str | None = None) -> bool:
        """Open another case folder (or another decision of this one); False, with the problems shown, if it fails."""
        from procurement.app.state import cache_context
        from procurement.case.loader import load_case
        from procurement.report.notebook import find_case

        lang = self.state.language
        try:
            folder = find_case(str(path).strip())
            case = load_case(folder)
            did = decision if decision in case.decisions else first_decision(case)
            context = Context(case, did)
        except InputError as err:
            if self._built:
                self.case_status_w.value = message_html("\n".join(str(p) for p in err.problems), "error")
            return False
        cache_context(folder, did, context)
        self.context = context
        self.state = replace(self.state, case=str(folder), decision=did, profile=None, weights=None, scenario="workbench")
        self.results = None
        if self._built:
            self._busy = True
            try:
                self.case_w.value = str(folder)
                self.decision_w.options = self._decision_options()
                self.decision_w.value = did
            finally:
                self._busy = False
            self.body = self._build_body()
            self.widget.children = [self.case_bar, self.body]
            self.refresh()
            title = f"{case.meta.title.get(lang)} — {context.decision.title.get(lang)}"
            self.case_status_w.value = message_html(_case_word("opened", lang, title=title), "ok")
        return True

    def _build_body(self):
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
        profile_options = [(word("criteria_file", lang), NO_PROFILE)] + [(stakeholders.get(p, p), p) for p in dec.profiles]
        self.profile_w = W.Dropdown(
            options=profile_options,
            value=st.profile or NO_PROFILE,
            description=word("profile", lang),
            style={"description_width": "170px"},
            layout=W.Layout(width="500px"),
        )
        from procurement.text.labels import method_label

        self.method_w = W.Dropdown(
            options=[(m.label if lang == "en" else method_label(k, lang), k) for k, m in METHODS.items()],  # names in nb too
            value=st.method,
            description=word("method", lang),
            style={"description_width": "170px"},
            layout=W.Layout(width="500px"),
        )
        self.uncertainty_w = W.IntSlider(
            value=int(round(100 * st.uncertainty.spread)),
            min=0,
            max=100,
            step=5,
            description=word("uncertainty", lang),
            readout_format="d",
            continuous_update=False,
            style={"description_width": "170px"},
            layout=W.Layout(width="500px"),
        )
        self.uncertainty_w.add_class("pw-uncertainty")

        raw = state_weights(st, self.context)
        base = raw / raw.sum() if raw.sum() > 0 else raw
        rows = []
        for g, depth in _ordered_groups(dec):
            crits = [c for c in dec.criteria if c.group == g.id]
            header = W.HTML(layout=W.Layout(margin=f"6px 0 0 {16 * depth}px"))
            self.group_headers[g.id] = (header, g)
            rows.append(header)
            for c in crits:
                s = W.FloatSlider(
                    value=self._slider_value(base[c.id]),
                    min=0.0,
                    max=SLIDER_MAX,
                    step=STEP,
                    description=c.label.get(lang),
                    readout_format=".0f",
                    continuous_update=False,
                    description_allow_html=False,
                    style={"description_width": "300px"},
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
        self.name_w = W.Text(
            value=st.scenario if st.scenario and st.scenario != "default" else "",
            placeholder="ks-høy-kostnadsvekt" if lang == "nb" else "ks-high-cost-weight",
            description=word("scenario_name", lang),
            style={"description_width": "60px"},
            layout=W.Layout(width="340px"),
        )
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
        illustrative = (
            f"<div class='pw-note' style='color:#555'>{_e(label('illustrative', lang))}</div>"
            if case_meta.illustrative
            else ""
        )
        controls = W.VBox(
            [
                W.HTML(f"<h2 style='margin:4px 0'>{_e(title)}</h2>{illustrative}"),
                self.profile_w,
                self.method_w,
                self.uncertainty_w,
                h("weights_heading"),
                W.HTML(f"<div style='color:#555;font-size:12px'>{_e(word('weights_help', lang))}</div>"),
                *rows,
                h("save_heading"),
                W.HBox([self.name_w, self.save_w]),
                self.confirm_box,
                self.save_status_w,
            ],
            layout=W.Layout(flex="0 0 640px", padding="0 16px 0 0"),
        )
        outputs = W.VBox(
            [
                self.message_w,
                h("ranking"),
                self.ranking_w,
                self.scores_w,
                h("acceptability"),
                self.acceptability_w,
                h("stability"),
                self.stability_w,
                h("what_it_takes"),
                self.what_w,
            ],
            layout=W.Layout(flex="1 1 auto", min_width="480px", overflow="auto"),
        )
        body = W.HBox([controls, outputs], layout=W.Layout(align_items="flex-start", width="100%"))
        body.add_class("pw-workbench")
        return body

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
        self.state = self.state.with_spread(change["new"] / 100.0)
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
        """Everything the current results used, as scenario settings (uncertainty model included)."""
        return self.state.scenario_data(name)

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


def start_workbench(namespace: Mapping[str, Any], notebook: str = "00-workbench") -> Workbench:
    """The workbench notebook's one call: check its parameters (unknown names and wrong types stop here, each on
    one line, see :func:`procurement.report.params.check_namespace`), then build and show the workbench."""
    from procurement.report.params import check_namespace

    return workbench(**check_namespace(namespace, notebook))
