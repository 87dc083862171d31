"""What the report notebooks share: checked parameters, the loaded case, tables that reach Excel.

Every report notebook starts with the same two cells: its ``parameters``
cell, then ::

    from procurement.report.notebook import start
    report = start(globals(), "02-ranking")

:func:`start` checks the parameters (an unknown name or a wrongly typed
value stops the notebook here, naming it and listing the valid ones), finds
and loads the case, picks the decision, sets the figure style and returns a
:class:`Report`. Later cells call one analysis function each and show its
result with :meth:`Report.show`, which displays a rounded table and hands it
to the runner's Excel workbook (see :mod:`procurement.report.excel`).

The input overview tables of ``01-inputs`` live here too, since nothing
else needs them: :func:`criteria_table`, :func:`options_table`,
:func:`score_table`, :func:`data_checks`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import procurement as pw
from procurement.report import cases, excel
from procurement.report.params import check_namespace
from procurement.text import fmt
from procurement.plots import figures
from procurement.text.labels import METHOD_LABELS, label, method_label, translate_columns, unit_label
from procurement.text.sentences import Assumption, sentence


def find_case(case: str | Path) -> Path:
    """The case folder: `case` as given, else looked for from the current folder upwards (:func:`procurement.find_case`:
    notebooks run in ``notebooks/`` under nbval and JupyterLab, in the project folder under the runner)."""
    return pw.find_case(case)


class ResultTable:
    """A table shown in a notebook: HTML in the report, fixed-width text for nbval.

    Both representations are deterministic (rounded numbers, no random ids),
    so a cell showing one can be marked ``# NBVAL_CHECK_OUTPUT``. The HTML writes
    every number through :mod:`procurement.text.fmt` in the report language,
    by the column's kind (:func:`procurement.report.excel.column_kind`): shares as
    percentages, amounts with their unit in the header, dates as dates; text
    columns are left-aligned and numbers right-aligned. It has no index column:
    :meth:`Report.show` turns a meaningful index into a column first.
    """

    def __init__(self, frame: pd.DataFrame, title: str = "", decimals: int = 3, language: str = "en",
                 kinds: dict[str, str] | None = None):
        self.frame = frame
        self.title = title
        self.decimals = decimals
        self.language = language
        self.kinds = kinds or excel.column_kinds(frame)

    def _rounded(self) -> pd.DataFrame:
        df = self.frame.copy()
        for c in df.columns:
            if pd.api.types.is_float_dtype(df[c]):
                df[c] = df[c].round(self.decimals)
            elif isinstance(df[c].dtype, pd.api.extensions.ExtensionDtype) and df[c].isna().any():
                df[c] = df[c].astype(object).where(df[c].notna(), "–")
        return df

    def to_string(self) -> str:
        if self.frame.empty:
            return label("no_rows", self.language)
        with pd.option_context("display.width", 250, "display.max_columns", 60, "display.max_colwidth", 60):
            text = self._rounded().to_string(float_format=lambda v: f"{v:.{self.decimals}f}", index=_keeps_index(self.frame))
        return f"{self.title}\n{text}" if self.title else text

    def __repr__(self) -> str:
        return self.to_string()

    def cell(self, value: Any, kind: str) -> str:
        """One value as the report writes it (not yet HTML-escaped)."""
        lang = "en" if self.language == "en" else "nb"
        if value is None or value is pd.NA or (isinstance(value, float) and value != value):
            return fmt.MISSING
        if kind == "percent":
            return fmt.probability(value, lang, 1)
        if kind in ("money", "months"):
            return fmt.number(value, lang, min(self.decimals, 1))
        if kind == "year":
            return str(int(value))
        if kind == "integer" or (kind == "decimal" and isinstance(value, (int, np.integer))):
            return fmt.number(value, lang, 0)
        if kind == "decimal":
            return fmt.number(value, lang, self.decimals)
        if kind == "date":
            return fmt.date(value, lang)
        return str(value)

    def _repr_html_(self) -> str:
        if self.frame.empty:
            return f"<p><em>{label('no_rows', self.language)}</em></p>"
        frame = self.frame if _keeps_index(self.frame) is False else self.frame.reset_index()
        kinds = [self.kinds.get(str(c)) or excel.column_kind(c, frame[c]) for c in frame.columns]
        align = ["text" if k == "text" else "num" for k in kinds]
        head = "".join(
            f'<th class="{a}" scope="col">{_escape(excel.header_with_unit(str(c), k) if k == "money" else c)}</th>'
            for c, k, a in zip(frame.columns, kinds, align, strict=True)
        )
        body = "".join(
            "<tr>" + "".join(
                f'<td class="{a}">{_escape(self.cell(v, k))}</td>' for v, k, a in zip(row, kinds, align, strict=True)
            ) + "</tr>"
            for row in frame.itertuples(index=False, name=None)
        )
        caption = f"<p><strong>{_escape(self.title)}</strong></p>" if self.title else ""
        # many columns: a smaller font and, in print, vertical headers; very many: vertical headers on screen too
        wide = " wide wider" if len(frame.columns) >= 12 else " wide" if len(frame.columns) >= 8 else ""
        return (f'{caption}<div class="table-wrap"><table class="result-table{wide}">'
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")


def _keeps_index(frame: pd.DataFrame) -> bool:
    """False when the index carries nothing a reader needs (a plain row number)."""
    return not (isinstance(frame.index, pd.RangeIndex) and frame.index.name is None)


def for_reader(table: pd.DataFrame) -> pd.DataFrame:
    """`table` as a reader sees it: no index column of ids.

    A plain row-number index is dropped; an index of ids next to a ``label`` column
    (the option or criterion names) is dropped too, since the ids are the files' English
    keys; any other named index (criterion names, groups) becomes the first column.
    """
    if not _keeps_index(table):
        return table
    if "label" in table.columns or table.index.name in ("option", "criterion") and "name" in table.columns:
        return table.reset_index(drop=True)
    return table.reset_index(names=table.index.name if table.index.name is not None else " ")


def relabel_ids(table: pd.DataFrame, language: str) -> pd.DataFrame:
    """`table` with method ids (in a text column or as headers) and procedure ids shown by their names."""
    out = table.copy()
    for c in out.columns:
        col = out[c]
        if pd.api.types.is_numeric_dtype(col):
            continue
        values = col.dropna()
        if str(c) == "procedure" and "name" in out.columns:
            out = out.drop(columns=c)  # the ids next to the procedures' names
        elif str(c) == "procedure":
            out[c] = col.map(lambda v: pw.procedure_label(v, language) if isinstance(v, str) else v)
        elif len(values) and all(isinstance(v, str) and v in METHOD_LABELS for v in values):
            out[c] = col.map(lambda v: method_label(v, language) if isinstance(v, str) else v)
    return out


#: A number and the percent sign after it, written with an ordinary space in a case or rule file ("5 % av
#: kontraktsverdien"): joined by a no-break space so a line never ends between them (issue 25: "5" / "%" in the PDF).
_NUMBER_SPACE_PERCENT = re.compile(r"(\d) (%|‰)")


def keep_number_with_percent(text: str) -> str:
    return _NUMBER_SPACE_PERCENT.sub("\\1\u00a0\\2", text)


def _escape(text: object) -> str:
    import html

    return keep_number_with_percent(html.escape(str(text)))


@dataclass
class Report:
    """The context of one notebook run: parameters, case, decision and language."""

    notebook: str
    params: dict[str, Any]
    case: Any = None
    decision: Any = None
    analysis: Any = None  # procurement.analysis.Analysis: every result of the notebook comes from it
    _shown: list[str] = field(default_factory=list)

    # --- parameters -------------------------------------------------------
    def __getattr__(self, name: str) -> Any:
        params = self.__dict__.get("params", {})
        if name in params:
            return params[name]
        raise AttributeError(name)

    @property
    def language(self) -> str:
        return self.params.get("language", "nb")

    def label(self, key: str) -> str:
        return label(key, self.language)

    # --- data labels -----------------------------------------------------
    @property
    def option_labels(self) -> dict[str, str]:
        return self.decision.option_labels(self.language)

    @property
    def criterion_labels(self) -> dict[str, str]:
        return self.decision.criterion_labels(self.language)

    @property
    def weights(self) -> pd.Series:
        """The weights every result of this report uses (resolved once by the analysis)."""
        return self.analysis.weights

    def title(self) -> str:
        return f"{self.case.meta.title.get(self.language)} — {self.decision.title.get(self.language)}"

    # --- showing results --------------------------------------------------
    def show(self, table: pd.DataFrame, name: str, title: str = "", decimals: int = 3, translate: bool = True) -> ResultTable:
        """Display `table` (headers in the report language, no index of ids) and publish it for the Excel workbook."""
        plain = relabel_ids(for_reader(table), self.language)
        shown = translate_columns(plain, self.language) if translate else plain
        kinds = excel.column_kinds(plain, shown.columns)
        excel.publish(shown, name, title or name, self.notebook, kinds, machine=table)
        self._shown.append(name)
        return ResultTable(shown, title, decimals, self.language, kinds)

    def plot(self, fig, alt: str | None = None) -> None:
        """Show a figure once, as an embedded PNG with a text alternative, and close it.

        Numeric axes are labelled in the report language first
        (:func:`procurement.plots.figures.localise`); `alt` defaults to a description
        of the figure's titles, axes and categories (:func:`procurement.plots.figures.describe`).
        Rendering here (instead of relying on the inline backend) works the
        same for pyplot figures and plain ``matplotlib.figure.Figure`` objects,
        and leaves no "<Figure size ...>" text in the report.
        """
        import io

        import matplotlib.pyplot as plt
        from IPython.display import Image, display

        if fig is None:
            return
        figures.localise(fig, self.language)
        text = alt or figures.describe(fig, self.language)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
        plt.close(fig)
        display(Image(data=buf.getvalue(), format="png", metadata={"alt": text}))

    def header(self):
        """A Markdown block naming case, decision, scenario and the weights the analysis uses (a profile by its name)."""
        from IPython.display import Markdown

        lang = self.language
        lines = [
            f"**{label('case', lang)}:** {md(self.case.meta.title.get(lang))}  ",
            f"**{label('decision', lang)}:** {md(self.decision.title.get(lang))}  ",
            f"**{label('scenario', lang)}:** {md(self.params.get('scenario', ''))}  ",
            f"**{label('profile', lang)}:** {md(weights_name(self.analysis))}  ",
        ]
        if self.case.meta.illustrative:
            lines.append(f"\n*{label('illustrative', lang)}*")
        return Markdown("\n".join(lines))

    def describe(self, assumptions: list[Assumption]):
        """What a result assumed, one sentence each in the report language (Markdown): the analysis's own words
        (:mod:`procurement.text.sentences`), so the text always says what the numbers used."""
        from IPython.display import Markdown

        return Markdown(" ".join(md_sentences(assumptions, self.language)))


#: Notebook parameters that describe the scenario (the rest are the notebook's own).
SCENARIO_PARAMETERS = ("decision", "profile", "weights", "methods", "samples", "seed", "language", "uncertainty")


def start(namespace: dict[str, Any], notebook: str) -> Report:
    """Check the notebook's parameters, load the case and build the report's :class:`~procurement.analysis.Analysis`."""
    params = check_namespace(namespace, notebook)
    figures.set_theme()
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 50)
    case = cases.load(find_case(params["case"]))
    scenario = {k: params[k] for k in SCENARIO_PARAMETERS if params.get(k) is not None}
    scenario["name"] = params.get("scenario") or "default"
    analysis = pw.Analysis(case, scenario)
    return Report(notebook=Path(notebook).stem, params=params, case=case, decision=analysis.decision, analysis=analysis)


def weights_name(analysis) -> str:
    """The weights `analysis` uses, for a reader: a profile's name and id, the scenario's own weights or the criteria
    file's (the analysis resolved them; nothing here decides which)."""
    ws, lang = analysis.weight_set, analysis.language
    if ws.explicit:
        return label("scenario_weights", lang)
    if ws.source is None:
        return label("criteria_file", lang)
    name = stakeholder_labels(analysis.case, lang).get(ws.source) or label(ws.source, lang)
    return f"{name} ({ws.source})" if name != ws.source else ws.source


def method_assumptions(analysis) -> list[Assumption]:
    """The ranking methods of `analysis`, in the scenario's order."""
    return [Assumption("report.methods", {"methods": list(analysis.methods)})]


def ranking_table(analysis, conditions: bool = False) -> pd.DataFrame:
    """Rank and score of every option by each of the analysis's methods, best first by the first method.

    Options removed by a must-pass rule are listed last with the rule that removed them. With `conditions`,
    options that pass only if a condition holds get the marker † on their name, the condition and the longest
    lead time (:meth:`procurement.Rankings.mark_conditions`).
    """
    result = analysis.rankings()
    labels = analysis.option_labels()
    cols: dict[str, pd.Series] = {}
    index = result.results[0].matrix.index if result.results else pd.Index([])
    for r in result.results:
        cols[f"rank_{r.method}"] = pd.Series(r.ranks, index=index).astype(int)
        cols[f"score_{r.method}"] = pd.Series(r.scores, index=index).astype(float)
    t = pd.DataFrame(cols, index=index)
    t.insert(0, "label", [labels[o] for o in t.index])
    if result.results:
        t = t.sort_values(f"rank_{result.results[0].method}", kind="stable")
    out = analysis.screened_out()
    if out:
        extra = pd.DataFrame({"label": [labels[o] for o in out], "excluded_by": list(out.values())}, index=list(out))
        t = pd.concat([t, extra])
    for skipped in result.skipped:
        t[f"rank_{skipped['method']}"] = pd.NA
    for c in t.columns:
        if c.startswith("rank_"):
            t[c] = t[c].astype("Int64")
    t.index.name = "option"
    if conditions:
        t = result.mark_conditions(t, analysis.language)
    return t


# ---------------------------------------------------------------------------
# Input overview tables (01-inputs)
# ---------------------------------------------------------------------------


def options_table(decision, language: str = "nb") -> pd.DataFrame:
    """Options of a decision: name, procedure, contract and description."""
    rows = [
        {
            "option": o.id,
            "name": o.label(language),
            "procedure": pw.procedure_label(o.procedure, language) if o.procedure else "",
            "contract": o.contract or "",
            "description": o.description,
        }
        for o in decision.options
    ]
    table = pd.DataFrame(rows).set_index("option")
    # the descriptions in options.csv are English: a bokmål report shows only bokmål text
    return table if language == "en" else table.drop(columns="description")


def criteria_table(decision, weights: pd.Series, language: str = "nb") -> pd.DataFrame:
    """Criteria with group, direction, scale, must-pass rule and the weight used (the analysis's weights)."""

    groups = {g.id: g.label.get(language) for g in decision.criteria_set.groups}
    w = weights
    rows = []
    for c in decision.criteria:
        lo, hi = (fmt.number(v, language, 0 if float(v).is_integer() else 1) for v in (c.scale.min, c.scale.max))
        scale = f"{lo}–{hi}" + (f" {unit_label(c.scale.unit, language)}" if c.scale.unit else "")
        rows.append(
            {
                "criterion": c.id,
                "name": c.label.get(language),
                "group": groups.get(c.group, c.group),
                "direction": label(c.direction, language),
                "scale": scale,
                "weight": float(w[c.id]),
                "rule": pw.must_pass_text(c, language) if c.must_pass else "",
            }
        )
    return pd.DataFrame(rows).set_index("criterion")


def score_table(decision, which: str = "likely", language: str = "nb") -> pd.DataFrame:
    """Options × criteria of the `which` score, with report labels."""
    m = decision.matrix(which)
    m.index = [decision.option(o).label(language) for o in m.index]
    m.columns = [decision.criterion(c).label.get(language) for c in m.columns]
    m.index.name = label("option", language)
    return m


def uncertainty_table(decision, language: str = "nb") -> pd.DataFrame:
    """The widest three-point ranges relative to each criterion's scale: where the scores are least sure."""
    s = decision.scores.copy()
    spans = {c.id: c.scale.max - c.scale.min for c in decision.criteria}
    s["relative_range"] = (s["high"] - s["low"]) / s["criterion"].map(spans)
    s = s.sort_values(["relative_range", "option", "criterion"], ascending=[False, True, True]).head(10)
    s["option"] = [decision.option(o).label(language) for o in s["option"]]
    s["criterion"] = [decision.criterion(c).label.get(language) for c in s["criterion"]]
    # the rationales in scores.csv are English: a bokmål report shows only bokmål text
    columns = ["option", "criterion", "low", "likely", "high", "rationale", "source"]
    return s[[c for c in columns if language == "en" or c != "rationale"]].reset_index(drop=True)


def data_checks(analysis) -> pd.DataFrame:
    """What was checked on loading, with counts: the case passed every check if this table exists."""
    case, decision, lang = analysis.case, analysis.decision, analysis.language
    ok = "OK"
    kept = list(analysis.prepared.kept)
    excluded = analysis.excluded
    items = [
        ("check_files", len(case.files), ok),
        ("check_options", len(decision.options), ok),
        ("check_criteria", len(decision.criteria), ok),
        ("check_scores", len(decision.scores), ok),
        ("check_profiles", len(decision.profiles), ok),
        ("check_cashflows", int((case.cashflows["decision"] == decision.id).sum()) if len(case.cashflows) else 0, ok),
        ("check_passing", len(kept), ok if kept else label("check_none_pass", lang)),
        ("check_excluded", len(excluded["option"].unique()) if len(excluded) else 0, ok),
    ]
    return pd.DataFrame([(label(key, lang), count, status) for key, count, status in items],
                        columns=["item", "count", "status"])


def excluded_table(decision, language: str = "nb") -> pd.DataFrame:
    """Options removed by must-pass rules, with the rule and its citation."""
    _, excluded = pw.screen(decision)
    if not len(excluded):
        return pd.DataFrame(columns=["option", "criterion", "value", "rule", "citation"])
    ex = excluded.copy()
    criteria = decision.criterion_labels(language)
    if language != "en":  # bokmål rule texts: the screening's own, else the criterion's bound in bokmål
        given = ex["rule_nb"] if "rule_nb" in ex else pd.Series([None] * len(ex), index=ex.index)
        ex["rule"] = [nb if isinstance(nb, str) and nb and nb != en else
                      (pw.must_pass_text(decision.criterion(c), language) if c in criteria else en)
                      for c, en, nb in zip(ex["criterion"], ex["rule"], given, strict=True)]
    ex = ex.drop(columns=[c for c in ("rule_nb",) if c in ex])
    ex["option"] = [decision.option(o).label(language) for o in ex["option"]]
    if "criterion" in ex:
        ex["criterion"] = [criteria.get(c) or label(f"screen.{c}", language).removeprefix("screen.") for c in ex["criterion"]]
    return ex.reset_index(drop=True)


# ---------------------------------------------------------------------------
# Labels
# ---------------------------------------------------------------------------


def stakeholder_labels(case, language: str = "nb") -> dict[str, str]:
    """Stakeholder ids -> names from case.yaml, plus the workbench's own weight sets."""
    out = {s.id: s.label.get(language) for s in case.meta.stakeholders}
    out.update({"default": label("criteria_file", language), **{k: label(k, language) for k in ("panel-mean", "panel-geomean")}})
    return out


def relabel(df: pd.DataFrame, labels: dict[str, str], column: str = "option") -> pd.DataFrame:
    """A copy of a long table with ids in `column` replaced by labels."""
    return df.assign(**{column: df[column].map(lambda v: labels.get(v, v))})


# ---------------------------------------------------------------------------
# Sensitivity and SMAA (03-sensitivity)
# ---------------------------------------------------------------------------


def acceptability_table(result, decision, language: str = "nb") -> pd.DataFrame:
    """SMAA per option: share of draws at rank 1 (with its standard error), confidence factor,
    mean rank and the share at every rank; best first."""
    s = result.summary()
    acc = result.acceptability.loc[s.index]
    acc.columns = [f"{label('rank', language).lower()} {r}" for r in acc.columns]
    labels = decision.option_labels(language)
    t = pd.DataFrame({"label": [labels[o] for o in s.index]}, index=s.index)
    t["first"] = s["first"]
    t["first_se"] = s["first_se"]
    t["confidence"] = s["confidence"]
    t["mean_rank"] = s["mean_rank"]
    t = t.join(acc)
    t.index.name = "option"
    return t


def what_it_takes_table(table, decision, language: str = "nb") -> pd.DataFrame:
    """What would it take (:class:`procurement.WhatItTakes`, or its table) with option and criterion labels."""
    t = table.to_frame() if hasattr(table, "to_frame") else table.copy()
    labels = decision.option_labels(language)
    crit = decision.criterion_labels(language)
    t.insert(0, "label", [labels.get(o, o) for o in t.index])
    for c in ("weight_criterion", "score_criterion"):
        if c in t:
            t[c] = t[c].map(lambda v: crit.get(v, v) if isinstance(v, str) else v)
    if "easiest" in t:  # "weight" or "score": the kind of change, in the report language
        t["easiest"] = t["easiest"].map(lambda v: label(v, language) if isinstance(v, str) else v)
    return t


# ---------------------------------------------------------------------------
# Cost-benefit (04-cost-benefit): the tables and sentences are in procurement.report.sections.cba
# ---------------------------------------------------------------------------


# ---------------------------------------------------------------------------
# Procurement route and timeline (05-procurement-route): computed in procurement.law.route
# ---------------------------------------------------------------------------


def gantt(route: Any, decision, language: str = "nb"):
    """The Gantt chart of the options' phases, option names from the data files."""
    from procurement.plots.timeline import gantt_figure

    return gantt_figure(route.gantt_table(), labels=decision.option_labels(language), language=language)


def route_note(route: Any, language: str = "nb"):
    """The FOA part the route follows (or why there is no route), then what the route assumed, as Markdown."""
    from IPython.display import Markdown

    if not route.available:
        return Markdown(f"*{md(route.message)}*")
    lines = [f"**{label('foa_part', language)}:** {md(route.message)}", ""]
    lines += [f"- {md(x)}" for x in route.describe(language)]
    return Markdown("\n".join(lines))


# ---------------------------------------------------------------------------
# Stakeholders (06-stakeholders)
# ---------------------------------------------------------------------------


def _stakeholders(case, decision, method: str, language: str):
    """The engine's stakeholder analysis of `decision` by `method` (:class:`procurement.Stakeholders`)."""
    return pw.Analysis(case, {"name": "stakeholders", "decision": decision.id, "methods": [method],
                              "language": language}).stakeholders()


def stakeholder_weight_table(case, decision, language: str = "nb") -> pd.DataFrame:
    """Criteria × stakeholder groups of normalised weights, with labels."""
    w = _stakeholders(case, decision, "wsm", language).weights.copy()
    w.index = [decision.criterion_labels(language).get(c, c) for c in w.index]
    w.index.name = label("criterion", language)
    w.columns = [stakeholder_labels(case, language).get(g, g) for g in w.columns]
    return w


def stakeholder_rank_table(analysis) -> pd.DataFrame:
    """Options × weight sets (the criteria file, each group, the panel) of ranks by the analysis's first method."""
    t = analysis.stakeholders().to_frame()
    names = stakeholder_labels(analysis.case, analysis.language)
    t = t.rename(columns={c: names.get(c, c) for c in t.columns if c != "label"})
    first = [c for c in t.columns if c != "label"][0]
    return t.sort_values(first, kind="stable")


def agreement_table(case, decision, method: str = "wsm", language: str = "nb") -> pd.DataFrame:
    """Kendall's τ between every pair of groups' rankings, with group names.

    For a large panel (more groups than :data:`procurement.plots.figures.MAX_GROUP_BARS`) the full
    matrix is unreadable: each group gets one row instead, its mean and lowest τ with the others and
    the group it agrees with least.
    """
    from procurement.plots.figures import MAX_GROUP_BARS

    tau = _stakeholders(case, decision, method, language).agreement["kendall_tau"]
    names = stakeholder_labels(case, language)
    tau = tau.rename(index=names, columns=names)
    if len(tau) <= MAX_GROUP_BARS:
        return tau
    others = tau.mask(pd.DataFrame(np.eye(len(tau), dtype=bool), index=tau.index, columns=tau.columns))
    out = pd.DataFrame({"mean_tau": others.mean(axis=1), "min_tau": others.min(axis=1),
                        "least_agreeing": others.idxmin(axis=1)})
    out.index.name = "group"
    return out.sort_values(["mean_tau", "group"], kind="stable")


def leave_one_out_table(case, decision, method: str = "wsm", language: str = "nb") -> pd.DataFrame:
    """Which group, left out of the panel (the mean of the groups' weights), would change the winner."""
    t = _stakeholders(case, decision, method, language).leave_one_out["mean"].copy()
    names = stakeholder_labels(case, language)
    labels = decision.option_labels(language)
    t["group"] = t["group"].map(lambda g: names.get(g, g))
    t["winner_without"] = t["winner_without"].map(lambda o: " = ".join(labels.get(x, x) for x in o.split(" = ")))
    t["changes_winner"] = [label("yes" if v else "no", language) for v in t["changes_winner"]]
    return t


# ---------------------------------------------------------------------------
# Summary (07-summary)
# ---------------------------------------------------------------------------


def key_findings(
    decision,
    ranking: pd.DataFrame,
    acceptability: pd.DataFrame | None = None,
    npv: pd.DataFrame | None = None,
    route: Any = None,
    stakeholder_ranks: pd.DataFrame | None = None,
    language: str = "nb",
    today: date | None = None,
):
    """The main findings as short Markdown bullets, from the tables the summary shows (months from `today`, the run
    date by default)."""
    from IPython.display import Markdown

    lines = finding_lines(ranking, acceptability, npv, route, stakeholder_ranks, language, today)
    return Markdown("\n".join(f"- {x}" for x in lines))


def finding_lines(
    ranking: pd.DataFrame,
    acceptability: pd.DataFrame | None = None,
    npv: pd.DataFrame | None = None,
    route: Any = None,
    stakeholder_ranks: pd.DataFrame | None = None,
    language: str = "nb",
    today: date | None = None,
) -> list[str]:
    """The key findings as Markdown lines: leader, screened out, SMAA, NPV, route (months counted from `today`, the run
    date by default) and stakeholders.

    Names from the case files are escaped (:func:`md`), so they show as written and never as markup;
    numbers, shares and dates are written by :mod:`procurement.text.fmt` in the report language.
    """
    lang = "en" if language == "en" else "nb"
    rank_cols = [c for c in ranking.columns if str(c).startswith("rank_")]
    ranked = ranking.dropna(subset=rank_cols[:1]) if rank_cols else ranking
    if not len(ranked):
        return []
    leader, name = ranked.index[0], md(ranked.iloc[0]["label"])
    lines = [_leader_line(ranked, rank_cols, name, lang)]
    excluded = ranking[ranking[rank_cols[0]].isna()] if rank_cols else ranking.iloc[0:0]
    if len(excluded):
        lines.append(sentence("report.excluded", lang, names=", ".join(md(x) for x in excluded["label"])))
    if acceptability is not None and leader in acceptability.index:
        lines.append(_smaa_line(acceptability, leader, name, lang))
    if npv is not None:
        lines += _npv_lines(npv.loc[[o for o in npv.index if o in ranked.index]], leader, name, lang)
    if route is not None and route.available and leader in route.table.index:
        lines.append(_route_line(route, leader, name, lang, today))
    if stakeholder_ranks is not None and leader in stakeholder_ranks.index:
        groups = [c for c in stakeholder_ranks.columns if c != "label"]
        firsts = sum(int(stakeholder_ranks.loc[leader, g]) == 1 for g in groups)
        lines.append(sentence("report.stakeholders_first", lang, firsts=firsts, groups=len(groups), name=name))
    return lines


def md_sentences(assumptions: list[Assumption], language: str) -> list[str]:
    """The sentences of `assumptions` for Markdown: every text value (a name from a case file) escaped by :func:`md`."""
    return [sentence(a.key, language, **{k: md(v) if isinstance(v, str) else v for k, v in a.values.items()})
            for a in assumptions]


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md(text: object) -> str:
    """`text` from an input file, safe inside Markdown: HTML escaped and Markdown punctuation backslashed,
    so ``<iframe …>`` or ``[x](http://…)`` in a name shows as written and never becomes markup."""
    import html

    return keep_number_with_percent(_MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(" ".join(str(text).split()), quote=False)))


def _leader_line(ranked: pd.DataFrame, rank_cols: list[str], name: str, lang: str) -> str:
    agree = all(int(ranked.iloc[0][c]) == 1 for c in rank_cols if pd.notna(ranked.iloc[0][c]))
    key = "report.leader_agree" if agree else "report.leader_disagree"
    return sentence(key, lang, name=name, method=rank_cols[0].removeprefix("rank_"))


def _smaa_line(acceptability: pd.DataFrame, leader: str, name: str, lang: str) -> str:
    share = float(acceptability["first"].astype(float)[leader])
    others = [
        md(acceptability.loc[o, "label"])
        for o in acceptability.index
        if o != leader and float(acceptability.loc[o, "first"]) >= 0.05
    ]
    if others:
        return sentence("report.smaa_first_others", lang, name=name, share=share, others=", ".join(others))
    return sentence("report.smaa_first", lang, name=name, share=share)


def _npv_lines(npv: pd.DataFrame, leader: str, name: str, lang: str) -> list[str]:
    if not len(npv):
        return []
    best = str(npv["npv"].idxmax())
    b: dict[Any, Any] = npv.loc[best].to_dict()
    lines = [sentence("report.npv_best", lang, name=md(b["label"]), npv=float(b["npv"]), p50=float(b["npv_P50"]))]
    if leader in npv.index and leader != best:
        lines.append(sentence("report.npv_leader", lang, name=name, npv=float(npv["npv"].astype(float)[leader])))
    return lines


#: Mean days of a month (365.25 / 12), to count months from the run date.
DAYS_PER_MONTH = 365.25 / 12


def _as_date(text: str) -> date | None:
    """A date as the route table writes it (dd.mm.yyyy or yyyy-mm-dd), or None."""
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip()[:10], pattern).date()
        except ValueError:
            continue
    return None


def _route_line(route: Any, leader: str, name: str, lang: str, today: date | None = None) -> str:
    """The leader's procedure and earliest contract signature, with the months counted from the run date (`today`,
    default the day the report runs), not from the timeline's start; a date already past says so."""
    r: dict[Any, Any] = route.table.loc[leader].to_dict()
    procedure = md(pw.procedure_label(str(r["procedure"]), lang))
    values = {"name": name, "procedure_lower": procedure.lower(),
              "procedure_initial_lower": procedure[:1].lower() + procedure[1:], "part": md(route.message),
              "when": str(r["contract"])}
    when, today = _as_date(str(r["contract"])), today or date.today()
    if when is None:
        line = sentence("law.route_line", lang, months=float(r["months"]), **values)
    elif when < today:
        line = sentence("report.route_line_past", lang, today=today.isoformat(), **values)
    else:
        line = sentence("law.route_line", lang, months=(when - today).days / DAYS_PER_MONTH, **values)
    if r.get("procedure_needs"):  # the route disagrees with the ranking: say so beside the first-ranked option
        line += " " + sentence("law.route_line_needs", lang, needs=md(str(r["procedure_needs"])))
    return line
