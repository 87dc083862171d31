"""The interactive workbench's ipywidgets UI: weight sliders, profile and method pickers, live results.

Three layers, kept apart so the arithmetic can be tested and timed without a
browser: :mod:`procurement.app.state` turns what the advisor chose into an
:class:`procurement.Analysis` and its results,
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
from pathlib import Path
from typing import Any

import ipywidgets as W
import pandas as pd
from IPython import get_ipython
from IPython.display import display

import procurement as pw
from procurement.app import scenario_io
from procurement.app.parameters import check_parameters
from procurement.app.render import (
    _e,
    message_html,
    ranking_html,
    scores_chart_html,
    sections,
    show_static,
    what_it_takes_html,
)
from procurement.app.state import (
    Context,
    Results,
    State,
    add_what_it_takes,
    cache_context,
    case_folder,
    compute,
    first_decision,
    get_context,
    known_cases,
    WORKBENCH_METHODS,
    WORKBENCH_NAME,
)
from procurement.app.words import percent, word
from procurement.text.labels import label, method_label

STEP = 1.0  # slider step, in weight points (percent of the total when the weights are first shown)
SLIDER_MAX = 100.0  # weight points: one criterion may carry the whole weight, so no weight is ever clipped
NO_PROFILE = ""  # the profile selector's value for "the criteria file's weights"
WIDE = {"description_width": "170px"}


def has_frontend() -> bool:
    """True when a widget front end will draw the controls (Voilà, JupyterLab, VS Code).

    papermill and nbval start kernels without any of these markers; there the
    workbench shows static results. ``PROCUREMENT_WIDGETS=static|live`` forces
    one or the other.
    """
    forced = os.environ.get("PROCUREMENT_WIDGETS", "").lower()
    if forced in ("static", "live"):
        return forced == "live"
    ip = get_ipython()
    if ip is None or not hasattr(ip, "kernel"):
        return False
    env = os.environ
    return any(k in env for k in ("VOILA_KERNEL_ID", "VOILA_BASE_URL", "VOILA_APP_PORT", "JPY_SESSION_NAME", "VSCODE_PID"))


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
        case: str | Path,
        scenario: str = WORKBENCH_NAME,
        decision: str | None = None,
        profile: str | None = None,
        weights: dict[str, float] | None = None,
        methods: Sequence[str] | str = tuple(WORKBENCH_METHODS),
        samples: int | None = None,
        seed: int | None = None,
        uncertainty: dict[str, Any] | None = None,
        language: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> Workbench:
        """A workbench for a notebook's parameters; ``PROCUREMENT_APP_*`` variables (set by `procurement app`) override them.

        None takes the scenario model's default (:class:`procurement.Scenario`); no decision takes the case's first.
        """
        environ: Mapping[str, str] = os.environ if env is None else env
        case = environ.get("PROCUREMENT_APP_CASE") or case
        decision = environ.get("PROCUREMENT_APP_DECISION") or decision
        language = environ.get("PROCUREMENT_APP_LANGUAGE") or language
        if "PROCUREMENT_APP_PROFILE" in environ:
            profile = environ["PROCUREMENT_APP_PROFILE"] or None
        if environ.get("PROCUREMENT_APP_METHOD"):
            methods = [environ["PROCUREMENT_APP_METHOD"]]
        method = methods if isinstance(methods, str) else (list(methods) or WORKBENCH_METHODS)[0]
        if decision is None:
            decision = first_decision(pw.load_case(case_folder(case)))
        given = {"profile": profile, "weights": weights, "samples": samples, "seed": seed, "uncertainty": uncertainty,
                 "language": language}
        state = State.make(case, name=scenario, decision=decision, methods=[method],
                           **{k: v for k, v in given.items() if v is not None})
        context = get_context(case, decision)
        context.analysis(state)  # the engine checks the profile, method and weights against the case, once
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
        """The weight points the analysis uses: each weight exactly as given (profile, file or scenario, in percent
        of the total) until its own slider is moved, then the slider's value. A slider shows its weight rounded to
        its step; moving one slider never rewrites the others by that rounding."""
        return dict(self._points)

    # --- building ---------------------------------------------------------
    def build(self):
        """The whole workbench: the case bar (any case folder, its decisions) above the controls and results."""
        self.case_bar = self._build_case_bar()
        self.body = self._build_body()
        self.widget = W.VBox([self.case_bar, self.body], layout=W.Layout(width="100%"))
        self.widget.add_class("pw-workbench-root")
        self._built = True
        self.refresh()
        return self.widget

    def _build_case_bar(self):
        lang = self.state.language
        narrow = {"description_width": "80px"}
        self.case_w = W.Combobox(value=str(self.state.case), options=known_cases(), ensure_option=False,
                                 placeholder=word("case_placeholder", lang), description=word("case", lang), style=narrow,
                                 layout=W.Layout(width="560px"))
        self.case_w.add_class("pw-case-path")
        self.decision_w = W.Dropdown(options=self._decision_options(), value=self.state.decision,
                                     description=word("decision", lang), style=narrow, layout=W.Layout(width="420px"))
        self.decision_w.add_class("pw-decision")
        self.open_w = W.Button(description=word("open", lang), icon="folder-open")
        self.open_w.add_class("pw-open-case")
        self.case_status_w = W.HTML()
        self.case_status_w.add_class("pw-case-status")
        self.open_w.on_click(lambda _: self.open_case(self.case_w.value))
        self.decision_w.observe(self._on_decision, names="value")
        intro = W.HTML(f"<h1 style='margin:4px 0'>{_e(word('title', lang))}</h1>"
                       f"<p style='max-width:900px'>{_e(word('intro', lang))}</p>")
        intro.add_class("pw-intro")
        return W.VBox([intro, W.HBox([self.case_w, self.open_w]), self.decision_w, self.case_status_w],
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
        lang = self.state.language
        try:
            folder = case_folder(str(path).strip())
            case = pw.load_case(folder)
            did = decision if decision in case.decisions else first_decision(case)
            context = Context(case, did)
        except pw.InputError as err:
            if self._built:
                self.case_status_w.value = message_html("\n".join(str(p) for p in err.problems), "error")
            return False
        cache_context(folder, did, context)
        self.context = context
        started = self.state.with_(decision=did, profile=None, weights=None, name=WORKBENCH_NAME)
        self.state = State(str(folder), started.scenario)
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
            self.case_status_w.value = message_html(word("opened", lang, title=title), "ok")
        return True

    def _build_body(self):
        st = self.state
        lang = st.language
        dec = self.context.decision
        case_meta = self.context.case.meta
        pickers = self._build_pickers()
        rows = self._build_sliders()
        outputs = self._build_outputs()
        saving = self._build_saving()

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
                *pickers,
                h("weights_heading"),
                W.HTML(f"<div style='color:#555;font-size:12px'>{_e(word('weights_help', lang))}</div>"),
                *rows,
                h("save_heading"),
                *saving,
            ],
            layout=W.Layout(flex="0 0 640px", padding="0 16px 0 0"),
        )
        results = [self.message_w]
        for key, out in outputs:
            results += [h(key), *out]
        body = W.HBox([controls, W.VBox(results, layout=W.Layout(flex="1 1 auto", min_width="480px", overflow="auto"))],
                      layout=W.Layout(align_items="flex-start", width="100%"))
        body.add_class("pw-workbench")
        return body

    def _build_pickers(self) -> list:
        """The profile and method pickers and the weight-uncertainty slider."""
        st = self.state
        lang = st.language
        stakeholders = {s.id: s.label.get(lang) for s in self.context.case.meta.stakeholders}
        groups = [(stakeholders.get(p, p), p) for p in self.context.decision.profiles]
        profiles = [(word("criteria_file", lang), NO_PROFILE), *groups]
        self.profile_w = W.Dropdown(options=profiles, value=st.profile or NO_PROFILE, description=word("profile", lang),
                                    style=WIDE, layout=W.Layout(width="500px"))
        self.method_w = W.Dropdown(options=[(_capital(method_label(k, lang)), k) for k in pw.METHODS], value=st.method,
                                   description=word("method", lang), style=WIDE, layout=W.Layout(width="500px"))
        self.uncertainty_w = W.IntSlider(value=int(round(100 * st.uncertainty.spread)), min=0, max=100, step=5,
                                         description=word("uncertainty", lang), readout_format="d",
                                         continuous_update=False, style=WIDE, layout=W.Layout(width="500px"))
        self.uncertainty_w.add_class("pw-uncertainty")
        self.profile_w.observe(self._on_profile, names="value")
        self.method_w.observe(self._on_method, names="value")
        self.uncertainty_w.observe(self._on_uncertainty, names="value")
        return [self.profile_w, self.method_w, self.uncertainty_w]

    def _build_sliders(self) -> list:
        """One slider per criterion with its share beside it, under its group's heading, as in the value tree."""
        lang = self.state.language
        dec = self.context.decision
        self.sliders: dict[str, Any] = {}
        self._points: dict[str, float] = {}
        self.shares: dict[str, Any] = {}
        self.group_headers: dict[str, Any] = {}
        base = self.context.analysis(self.state).weights
        rows: list = []
        for g, depth in _ordered_groups(dec):
            header = W.HTML(layout=W.Layout(margin=f"6px 0 0 {16 * depth}px"))
            self.group_headers[g.id] = (header, g)
            rows.append(header)
            for c in (c for c in dec.criteria if c.group == g.id):
                self._points[c.id] = 100.0 * float(base[c.id])
                s = W.FloatSlider(value=self._slider_value(base[c.id]), min=0.0, max=SLIDER_MAX, step=STEP,
                                  description=c.label.get(lang), readout_format=".0f", continuous_update=False,
                                  description_allow_html=False, style={"description_width": "300px"},
                                  layout=W.Layout(width=f"{540 - 16 * depth}px", margin=f"0 0 0 {16 * depth}px"))
                s.tooltip = " ".join(c.description.get(lang).split()) if c.description else c.label.get(lang)
                s.add_class(f"pw-weight-{c.id}")
                s.add_class("pw-weight")
                share = W.HTML(layout=W.Layout(width="70px"))
                share.add_class(f"pw-share-{c.id}")
                s.observe(self._on_slider, names="value")
                self.sliders[c.id] = s
                self.shares[c.id] = share
                rows.append(W.HBox([s, share]))
        return rows

    def _build_outputs(self) -> list[tuple[str, list]]:
        """(heading key, widgets) of the result sections; the message box above them."""
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
        return [("ranking", [self.ranking_w, self.scores_w]), ("acceptability", [self.acceptability_w]),
                ("stability", [self.stability_w]), ("what_it_takes", [self.what_w])]

    def _build_saving(self) -> list:
        """The scenario name, Save, and the Overwrite/Cancel question (hidden until a name exists)."""
        st = self.state
        lang = st.language
        self.name_w = W.Text(value=st.name if st.name != "default" else "", placeholder=word("name_placeholder", lang),
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
        return [W.HBox([self.name_w, self.save_w]), self.confirm_box, self.save_status_w]

    @staticmethod
    def _slider_value(share: float) -> float:
        return float(min(SLIDER_MAX, max(0.0, round(100 * share / STEP) * STEP)))

    # --- observers -------------------------------------------------------
    def _on_slider(self, change) -> None:
        if self._busy:
            return
        moved = next(cid for cid, s in self.sliders.items() if s is change["owner"])
        self._points[moved] = float(change["new"])
        self.state = self.state.with_weights(self.slider_weights())
        self.refresh()

    def _on_profile(self, change) -> None:
        if self._busy:
            return
        self.state = self.state.with_(profile=change["new"] or None, weights=None)
        base = self.context.base_weights(self.state.profile)
        self._busy = True
        try:
            for cid, s in self.sliders.items():
                self._points[cid] = 100.0 * float(base[cid])
                s.value = self._slider_value(base[cid])
        finally:
            self._busy = False
        self.refresh()

    def _on_method(self, change) -> None:
        if self._busy:
            return
        self.state = self.state.with_(methods=[change["new"]])
        self.refresh()

    def _on_uncertainty(self, change) -> None:
        if self._busy:
            return
        self.state = self.state.with_spread(change["new"] / 100.0)
        self.refresh()

    # --- drawing ---------------------------------------------------------
    def refresh(self) -> Results | None:
        """Recompute for the current state and redraw every output."""
        try:
            res = self.compute(what_it_takes=not self._built)
            if self._built:
                self._draw(res)
                add_what_it_takes(res, self.context)  # the slower part, after the ranking and SMAA show
                self.what_w.value = what_it_takes_html(res)
        except pw.InputError as err:
            if self._built:
                self.message_w.value = message_html("\n".join(str(p) for p in err.problems), "error")
            return None
        return res

    def _draw(self, res: Results) -> None:
        self._draw_shares(res)
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

    def _draw_shares(self, res: Results) -> None:
        """Each criterion's share of the weights used (sum 100 %), and each group's (its criteria and subgroups), to one
        decimal: the share a saved scenario reproduces to 0.1 percentage point (60:41 shows 59,4 % and 40,6 %)."""
        lang = res.state.language
        dec = self.context.decision
        used = res.weights if res.ok and res.weights is not None else pd.Series(0.0, index=dec.criterion_ids)
        for cid, share in self.shares.items():
            share.value = f"<span style='font-variant-numeric:tabular-nums;color:#333'>{percent(used[cid], 1, lang)}</span>"
        for gid, (header, g) in self.group_headers.items():
            members = _descendants(dec, gid)
            group = percent(sum(used[c.id] for c in dec.criteria if c.group in members), 1, lang) if res.ok else "–"
            header.value = f"<b>{_e(g.label.get(lang))}</b> <span style='color:#555'>({group})</span>"

    # --- saving ----------------------------------------------------------
    def save(self, overwrite: bool = False) -> Path | None:
        """Write the current scenario under the typed name; ask (show Overwrite/Cancel) when the name exists."""
        lang = self.state.language
        name = self.name_w.value.strip() if self._built else self.state.name
        try:
            if self.state.zero_weights:
                raise pw.InputError(pw.Problem("", "weights", word("all_zero", lang)))
            path = scenario_io.save(self.context.case, self.state.scenario, overwrite=overwrite, name=name)
        except scenario_io.ScenarioExists:
            if self._built:
                self.save_status_w.value = message_html(word("exists", lang, name=name))
                self.confirm_box.layout.display = "flex"
            return None
        except pw.InputError as err:
            if self._built:
                self.save_status_w.value = message_html("; ".join(str(p) for p in err.problems), "error")
                self.confirm_box.layout.display = "none"
            return None
        self.last_saved = path
        if self._built:
            self.confirm_box.layout.display = "none"
            self.save_status_w.value = message_html(word("saved", lang, path=pw.display_path(path)), "ok")
        return path

    def _cancel_save(self) -> None:
        self.confirm_box.layout.display = "none"
        self.save_status_w.value = message_html(word("not_saved", self.state.language))

    # --- showing ---------------------------------------------------------
    def show(self, live: bool | None = None) -> None:
        """Live controls when a front end draws them, else static results for the current state."""
        if live is None:
            live = has_frontend()
        if live:
            display(self.build())
        else:
            show_static(self.compute())


def _capital(text: str) -> str:
    """A method name as a menu entry: its first letter in capitals ("weighted sum" -> "Weighted sum")."""
    return text[:1].upper() + text[1:]


def workbench(**parameters: Any) -> Workbench:
    """Build and show the workbench for a notebook's parameters; return it."""
    wb = Workbench.from_parameters(**parameters)
    wb.show()
    return wb


def start_workbench(namespace: Mapping[str, Any]) -> Workbench:
    """The workbench notebook's one call: check its parameters against the scenario model (unknown names and wrong
    values stop here, each on one line, see :func:`procurement.app.parameters.check_parameters`), then build and
    show the workbench."""
    return workbench(**check_parameters(namespace))
