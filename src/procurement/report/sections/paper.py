"""The decision paper to one municipality (``notebooks/09-municipality.ipynb``, run by ``procurement papers``).

A :class:`Paper` gathers what a council needs from the national analysis — the recommendation and how robust it is,
the municipality's own payments if it joins and if it stays outside (:meth:`procurement.Analysis.municipality`),
how the case depends on uptake, the ranking with its cluster's weights, when the council must decide — and writes it
as short Markdown lines in the municipality's language: nynorsk where its written standard is nynorsk and the
scenario is Norwegian, else the scenario's language. Every number and parameter in the text comes from the engine's
results; every name from a case file is escaped (:func:`procurement.report.notebook.md`).

:meth:`Paper.figures` are the paper's key figures (full precision, NOK), which the notebook publishes in a hidden
output for the batch runner's index, CSV and workbook, so the index and the paper show the same numbers.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from functools import cached_property
from typing import Any

import pandas as pd

from procurement import procedure_label
from procurement.plots.municipal import payments_figure
from procurement.report.notebook import ResultTable, md, stakeholder_labels
from procurement.text import fmt
from procurement.text.labels import label
from procurement.text.sentences import sentence
from procurement.text.words_nn import PROCEDURES

#: The MIME type of the hidden output that carries a paper's key figures.
FIGURES_MIME = "application/vnd.procurement.paper+json"


#: The national analyses this kernel has made, by case and scenario: a worker's kernel renders many papers of one
#: scenario, and each would otherwise compute the same ranking, SMAA, uptake and timeline again.
_ANALYSES: dict[tuple[int, str], Any] = {}
_KEEP = 4


def shared_analysis(analysis: Any) -> Any:
    """The analysis this kernel already made for the same case (the same loaded object) and scenario, else
    `analysis`, kept for the next paper. Results are the same either way: the scenario fixes every seed."""
    key = (id(analysis.case), json.dumps(analysis.scenario.model_dump(), sort_keys=True, default=str))
    if key not in _ANALYSES:
        while len(_ANALYSES) >= _KEEP:
            _ANALYSES.pop(next(iter(_ANALYSES)))
        _ANALYSES[key] = analysis
    return _ANALYSES[key]


def paper_language(written_standard: str, scenario_language: str) -> str:
    """Nynorsk for a nynorsk municipality when the scenario is Norwegian; else the scenario's language."""
    return "nn" if written_standard == "nn" and scenario_language != "en" else scenario_language


class Paper:
    """What one municipality's decision paper says, from one :class:`procurement.Analysis`."""

    def __init__(self, analysis: Any, kommunenummer: str, today: dt.date | None = None):
        self.analysis = analysis
        self.budget = analysis.municipality(str(kommunenummer))
        self.language = paper_language(self.budget.written_standard, analysis.language)
        self.today = today or dt.date.today()

    # --- the national answer ---------------------------------------------
    @cached_property
    def leader(self) -> str:
        """The option the national analysis ranks first (the scenario's first method)."""
        frame = self.analysis.ranking().to_frame()
        return str(frame.dropna(subset=["rank"]).sort_values("rank", kind="stable").index[0])

    @property
    def _labels(self) -> dict[str, str]:
        return self.analysis.option_labels()

    def _name(self, option: str) -> str:
        return md(self._labels.get(option, option))

    def _s(self, key: str, **values: Any) -> str:
        return sentence(key, self.language, **values)

    def _w(self, key: str) -> str:
        return label(key, self.language)

    @cached_property
    def _timeline(self) -> pd.DataFrame:
        return self.analysis.timeline().to_frame()

    @cached_property
    def announcement(self) -> dt.date:
        """When the leader's competition is announced by the timeline (the start of its first phase after
        preparation); the contract date for a route without a competition."""
        schedule = self.analysis.timeline().schedule
        rows = schedule[(schedule["option"] == self.leader) & (schedule["phase"] != "preparation")]
        when = rows["start"].iloc[0] if len(rows) else self._timeline.loc[self.leader, "contract"]
        return dt.date.fromisoformat(str(when)[:10])

    def procedure(self) -> str:
        name = procedure_label(str(self._timeline.loc[self.leader, "procedure"]), "nb" if self.language == "nn" else
                               self.language)
        return PROCEDURES.get(name, name) if self.language == "nn" else name

    def recommendation(self) -> list[str]:
        smaa = self.analysis.smaa(progress=False)
        share = float(smaa.acceptability.loc[self.leader].iloc[0])
        contract = str(self._timeline.loc[self.leader, "contract"])[:10]
        return [self._s("paper.leader", option=self._name(self.leader), method=self.analysis.method),
                self._s("paper.robust", share=share, samples=smaa.samples),
                self._s("paper.route", procedure=md(self.procedure()).lower(), when=contract)]

    # --- what it costs -----------------------------------------------------
    def _totals(self, period: str = "all") -> tuple[float, float]:
        zero = self.budget.zero or "zero"
        return self.budget.total(self.leader, "payment", period), self.budget.total(zero, "payment", period)

    def cost(self) -> list[str]:
        b = self.budget
        join, zero = self._totals()
        whole = b.totals[b.totals["period"] == "all"].iloc[0]
        lines = [self._s("paper.cost_total", first=int(whole["first_year"]), last=int(whole["last_year"]),
                         name=md(b.name), join=(join / 1e6, "MNOK"), zero=(zero / 1e6, "MNOK"))]
        diff = join - zero
        key = "paper.cost_cheaper" if diff < 0 else "paper.cost_dearer"
        lines.append(self._s(key, diff=(abs(diff) / 1e6, "MNOK")))
        lines.append(self._s("paper.per_inhabitant", join=join / b.population, zero=zero / b.population))
        return lines

    def cost_basis(self) -> list[str]:
        """How the municipality's part is found: the allocation key, the 0-alternative's share, the prices."""
        return [sentence(a.key, self.language, **_escaped(a.values)) for a in self.budget.assumptions]

    def cost_table(self) -> ResultTable:
        """Per period: the payment if it joins, if it stays outside, the difference (NOK 1000), and per inhabitant."""
        b = self.budget
        cols = [self._w(k) for k in ("paper.period", "paper.join_short", "paper.stay_out_short", "paper.difference",
                                     "paper.per_inhabitant")]
        rows = []
        for period in dict.fromkeys(b.totals["period"]):
            join, out = self._totals(period)
            shown = _all_years(b) if period == "all" else period.replace("-", "–")
            rows.append([shown, join / 1000, out / 1000, (join - out) / 1000, join / b.population])
        kinds = {c: ("text" if i == 0 else "decimal") for i, c in enumerate(cols)}
        return ResultTable(pd.DataFrame(rows, columns=cols), self._w("paper.payment_knok"), 0, self.language, kinds)

    def figure_alt(self) -> str:
        """The figure's text alternative: its title and what the bars are."""
        b = self.budget
        return (self._w("paper.fig_title").format(name=b.name, year=b.base_year) + ": "
                + self._w("paper.join").format(name=self._labels.get(self.leader, self.leader)) + "; "
                + self._w("paper.stay_out"))

    def figure(self):
        b, zero = self.budget, self.budget.zero or "zero"
        yearly = b.yearly([self.leader, zero])
        names = (self._w("paper.join").format(name=self._labels.get(self.leader, self.leader)), self._w("paper.stay_out"))
        return payments_figure(yearly, names, self._w("paper.fig_title").format(name=b.name, year=b.base_year),
                               self._w("paper.fig_y"), self._w("paper.fig_x"), self.language)

    # --- uptake, cluster, neighbours --------------------------------------
    @cached_property
    def _uptake(self) -> pd.Series:
        return self.analysis.uptake().break_even.loc[self.leader]

    def uptake(self) -> list[str]:
        b, row = self.budget, self._uptake
        share = float(row["break_even_share"])
        lines = [self._s("paper.break_even", share=share) if not math.isnan(share) else self._s("paper.break_even_none")]
        p = float(row.get("p_share_above_break_even", float("nan")))
        if not math.isnan(p) and not math.isnan(share):
            lines.append(self._s("paper.p_above", p=p))
        condition = self.analysis.uptake().condition
        if condition is not None:
            lines.append(self._s("paper.condition", share=condition.min_population_share))
        lines.append(self._s("paper.own_weight", name=md(b.name), share=b.zero_share))
        members = self._members
        same = members[members["cluster"] == b.cluster]
        lines.append(self._s("paper.cluster", cluster=md(self._group(b.cluster)), count=len(same),
                             population=int(same["population"].sum())))
        county = members[(members["county"] == b.county) & (members.index != b.kommunenummer)]
        if len(county):
            names = fmt.join([md(n) for n in sorted(county["name"])], self.language)
            lines.append(self._s("paper.neighbours", county=md(b.county), names=names))
        return lines

    @cached_property
    def _members(self) -> pd.DataFrame:
        return self.analysis.municipalities(participating=True)

    def _group(self, group: str) -> str:
        return stakeholder_labels(self.analysis.case, "nb" if self.language == "nn" else self.language).get(group, group)

    def cluster_view(self) -> list[str]:
        cluster = self.budget.cluster
        if cluster not in self.analysis.all_profiles():
            return [self._s("paper.group_none")]
        ranked = self.analysis.with_(profile=cluster).ranking().to_frame().dropna(subset=["rank"])
        ranked = ranked.sort_values("rank", kind="stable")
        first = str(ranked.index[0])
        group = md(self._group(cluster))
        if first == self.leader:
            return [self._s("paper.group_same", group=group, option=self._name(first))]
        rank = int(ranked.loc[self.leader, "rank"]) if self.leader in ranked.index else 0
        return [self._s("paper.group_other", group=group, first=self._name(first), rank=rank)]

    # --- when, caveats -----------------------------------------------------
    def deadline(self) -> list[str]:
        when = self.announcement
        if when < self.today:
            return [self._s("paper.deadline_past", when=when.isoformat(), today=self.today.isoformat())]
        return [self._s("paper.deadline", when=when.isoformat())]

    def caveats(self) -> list[str]:
        b = self.budget
        lines = []
        if self.analysis.case.meta.illustrative:
            lines.append(self._s("paper.illustrative_case"))
        if b.illustrative:
            lines.append(self._s("paper.illustrative_financing"))
        date = self._members.loc[b.kommunenummer].get("population_date") or ""
        if str(date).strip():
            lines.append(self._s("paper.population_source", population=b.population, date=str(date)))
        return lines

    # --- the page ------------------------------------------------------------
    def heading(self) -> str:
        b, lang = self.budget, self.language
        rows = [(self._w("paper.municipality"), f"{md(b.name)} ({b.kommunenummer})"),
                (self._w("paper.county"), md(b.county)),
                (self._w("paper.population"), fmt.number(b.population, lang)),
                (self._w("paper.cluster"), md(self._group(b.cluster))),
                (self._w("paper.written_standard"), self._w(f"paper.standard.{b.written_standard}")),
                (self._w("paper.case"), md(self.analysis.case.meta.title.get(lang))),
                (self._w("paper.scenario"), md(self.analysis.scenario.name)),
                (self._w("paper.prepared"), fmt.date(self.today, lang))]
        head = f"*{self._w('paper.kicker')}*\n\n# {md(self.title)}\n\n"
        return head + "  \n".join(f"**{k}:** {v}" for k, v in rows)

    @property
    def title(self) -> str:
        return self._w("paper.title").format(name=self.budget.name)

    def figures(self) -> dict[str, Any]:
        """The paper's key figures, full precision (NOK), for the index, the CSV and the workbook."""
        b = self.budget
        join, zero = self._totals()
        share = float(self._uptake["break_even_share"])
        return {
            "kommunenummer": b.kommunenummer, "name": b.name, "county": b.county, "cluster": b.cluster,
            "population": b.population, "written_standard": b.written_standard, "language": self.language,
            "option": self.leader, "share": b.share, "payment_total": join, "zero_total": zero,
            "difference": join - zero, "payment_per_inhabitant": join / b.population,
            "zero_per_inhabitant": zero / b.population, "deadline": self.announcement.isoformat(),
            "break_even_share": None if math.isnan(share) else share, "title": self.title,
            "yearly": {str(y): float(v) for y, v in b.yearly([self.leader]).iloc[:, 0].items()},
        }


def _all_years(b: Any) -> str:
    whole = b.totals[b.totals["period"] == "all"].iloc[0]
    return f"{int(whole['first_year'])}–{int(whole['last_year'])}"


def _escaped(values: Any) -> dict[str, Any]:
    return {k: md(v) if isinstance(v, str) else v for k, v in dict(values).items()}


def markdown(lines: list[str]):
    """Lines as one Markdown paragraph for the notebook."""
    from IPython.display import Markdown

    return Markdown(" ".join(lines))


def publish(paper: Paper) -> None:
    """Display the key figures as a hidden output (the cell is tagged ``remove-cell``) for the batch runner."""
    from IPython.display import display

    display({FIGURES_MIME: paper.figures()}, raw=True)
