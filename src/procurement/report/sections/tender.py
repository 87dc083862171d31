"""What report notebook 08 (tender evaluation) shows: one method per cell, in bokmål or English.

The notebook's first cell after its parameters is ``report = start(globals())``; each later cell shows one table,
figure or block of sentences. Every number comes from the engine (``pw.evaluate_tender``, ``pw.simulate_tender``),
every word from :mod:`procurement.text` (``tender.*`` labels and sentences), every sentence that states a parameter
from the result's own description (``describe(language)``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
from IPython.display import Markdown

import procurement as pw
from procurement.plots.tender import simulation_figure, sweep_figure
from procurement.report import excel
from procurement.report.notebook import Report, ResultTable, find_case, for_reader, md
from procurement.report.params import check_namespace
from procurement.text import fmt
from procurement.text.labels import LABELS, label
from procurement.text.sentences import describe, sentence

NOTEBOOK = "08-tender-evaluation"

#: columns shown with the model's currency in the header
_MONEY = ("evaluated_price", "price_to_win")
_RELATION = {"ahead": "tender.ahead", "behind": "tender.behind", "tie": "tender.tied"}


@dataclass
class TenderReport:
    """The context of one run of notebook 08: its parameters and the competition (``pw.load_competition``)."""

    params: dict[str, Any]
    case: Path
    competition: Any  # procurement.tender.competition.Competition

    @property
    def language(self) -> str:
        return self.params.get("language") or "nb"

    @property
    def model(self):
        return self.competition.model

    @cached_property
    def result(self):
        """The evaluation (``pw.TenderResult``), None before opening; a model changed since its seal is evaluated and
        the change is said in the header."""
        if not self.competition.opened:
            return None
        return pw.evaluate_tender(self.case, self.competition.id, allow_changed_model=True)

    @cached_property
    def seal_status(self):
        return self.result.seal if self.result is not None else pw.tender_seal_status(self.case, self.competition.id)

    @cached_property
    def simulation(self):
        """The pre-opening simulation (``pw.TenderSimulation``), None when the model has no simulation settings."""
        return pw.simulate_tender(self.case, self.competition.id) if self.model.simulation is not None else None

    def word(self, key: str) -> str:
        return label(f"tender.{key}", self.language)

    def name(self, tenderer: Any) -> str:
        """A tenderer's name from tenders.csv (data, shown as written), else its id."""
        t = str(tenderer)
        return self.competition.tenderer_names().get(t, t)

    def criterion(self, cid: str) -> str:
        return next((c.label.get(self.language) for c in self.model.criteria if c.id == cid), cid)

    # --- showing ---------------------------------------------------------------------------------------------------

    def show(self, table: pd.DataFrame, name: str, title: str = "", decimals: int = 2) -> ResultTable:
        plain = for_reader(table)
        shown = plain.rename(columns=self._header)
        kinds = excel.column_kinds(plain, shown.columns)
        excel.publish(shown, name, title or name, NOTEBOOK, kinds)
        return ResultTable(shown, title, decimals, self.language, kinds)

    def _header(self, column: object) -> str:
        c = str(column)
        if any(k.id == c for k in self.model.criteria):
            return self.criterion(c)
        key = "tender." + c.removeprefix("p_")
        if key not in LABELS:
            return c
        if c in _MONEY:
            return sentence("tender.with_unit", self.language, header=label(key, self.language), unit=self.model.currency)
        return label(key, self.language)

    def plot(self, fig) -> None:
        Report(notebook=NOTEBOOK, params=self.params).plot(fig)

    def _sentences(self, lines: list[str]) -> Markdown:
        return Markdown("\n".join(f"- {md(line)}" for line in lines))

    def header(self) -> Markdown:
        lang = self.language
        lines = [f"**{self.word('competition')}:** {md(self.model.title.get(lang))}  ",
                 f"**{self.word('scenario')}:** {md(self.params.get('scenario', ''))}  ",
                 f"**{self.word('seal')}:** {md(self.seal_line())}"]
        return Markdown("\n".join(lines))

    def seal_line(self) -> str:
        """The seal state in the report language (the seal's own description)."""
        return " ".join(self.seal_status.describe(self.language))

    def model_notes(self) -> Markdown:
        """What the evaluation assumes, from the model itself: points, weights, price rule and source, scales,
        consensus and tie-break, and the seal."""
        return self._sentences(describe(self.competition.assumptions, self.language) + self.seal_status.describe(self.language))

    # --- tables ----------------------------------------------------------------------------------------------------

    def model_table(self) -> pd.DataFrame:
        lang = self.language
        rows = []
        for cid, c in self.competition.criteria().iterrows():
            rule = f"{self.word('rule.' + c['rule'])}"
            if c["kind"] == "quality":
                rule += f" {fmt.number(c['scale_min'], lang)}–{fmt.number(c['scale_max'], lang)}"
            rule += f": {c['formula']}"
            if pd.notna(c["floor"]):
                rule += f" ({self.word('floor')} {fmt.number(c['floor'], lang, 1)})"
            cite = ""
            if c["kind"] == "price":
                key = "tender.citation.given" if c["source_given"] else f"tender.citation.{c['rule']}"
                cite = sentence(key, lang, citation=c["citation"])
            rows.append({"criterion": self.criterion(str(cid)), "kind": self.word("kind." + c["kind"]),
                         "p_weight": c["weight"], "rule": rule, "source": cite,
                         "verified": self.word("yes" if c["verified"] else "no") if cite else ""})
        return pd.DataFrame(rows)

    def simulation_table(self) -> pd.DataFrame:
        assert self.simulation is not None
        t = self.simulation.table
        names = [self.model_label(r) for r in t.to_dict("records")]
        return pd.DataFrame({"model": names, "p_price_weight": t["price_weight"], "p_paradox": t["paradox"],
                             "p_misses_best_value": t["misses_best_value"]})

    def model_label(self, row: dict) -> str:
        """A price model of the simulation table named in the report language."""
        lang, kind = self.language, row["kind"]
        if kind in ("fixed-reference", "interpolation"):
            name = sentence(f"tender.model.{kind}", lang, reference=row["reference"], best=row["best"], worst=row["worst"])
        else:
            name = self.word(f"model.{kind}")
        floor = row.get("floor")
        if floor is not None and floor == floor:
            name = sentence("tender.model.floor", lang, name=name, floor=floor)
        return name

    def simulation_note(self) -> Markdown:
        """The simulation's own description: fields, distributions, the value of quality, the grid and the seed."""
        assert self.simulation is not None
        return self._sentences(self.simulation.describe(self.language))

    def _ev(self):
        if self.result is None:
            raise pw.InputError(pw.Problem(str(self.competition.folder), "", "not opened yet: no tenders.csv"))
        return self.result

    def _yes_no(self, values: pd.Series) -> pd.Series:
        return values.map(lambda v: self.word("yes" if v else "no"))

    def evaluation_table(self) -> pd.DataFrame:
        t = self._ev().table.copy()
        t["tenderer"] = t["tenderer"].map(self.name)
        t["tie"] = self._yes_no(t["tie"])
        return t

    def consensus_table(self) -> pd.DataFrame:
        c = self._ev().consensus.copy()
        c["tenderer"] = c["tenderer"].map(self.name)
        c["criterion"] = c["criterion"].map(self.criterion)
        c["disagree"] = self._yes_no(c["disagree"])
        return c

    def justification_table(self) -> pd.DataFrame:
        out = self._ev().justifications().rename(columns={"score": "evaluator_score"})
        out["tenderer"] = out["tenderer"].map(self.name)
        out["criterion"] = out["criterion"].map(self.criterion)
        return out

    def what_it_takes_table(self) -> pd.DataFrame:
        w = self._ev().what_it_takes.copy()
        w["tenderer"] = w["tenderer"].map(self.name)
        w = w.rename(columns={"price_change": "p_price_change"})
        return w.rename(columns={f"{c.id}_to_win": c.id for c in self.model.quality})

    def weight_sweep_table(self, steps: int = 11) -> pd.DataFrame:
        s = self._ev().weight_sweep(steps)
        return pd.DataFrame({"p_price_weight": s["price_weight"], "winner": s["winner"].map(self.name), "margin": s["margin"]})

    def paradox_table(self) -> pd.DataFrame:
        p = self._ev().paradox
        lang = self.language
        if p.empty:
            return pd.DataFrame(columns=["change", "tenderer", "first", "second", "before", "after"])
        tender = [self.name(t) if c == "removed" else sentence("tender.extra_tender", lang, price=(x, self.model.currency))
                  for c, t, x in zip(p["change"], p["tender"], p["extra_price"], strict=True)]
        return pd.DataFrame({"change": [self.word(c) for c in p["change"]], "tenderer": tender,
                             "first": p["first"].map(self.name), "second": p["second"].map(self.name),
                             "before": [label(_RELATION[b], lang) for b in p["before"]],
                             "after": [label(_RELATION[a], lang) for a in p["after"]]})

    # --- figures and findings --------------------------------------------------------------------------------------

    def simulation_plot(self) -> None:
        if self.simulation is None:
            return None
        t = self.simulation.table
        self.plot(simulation_figure(t.assign(model=[self.model_label(r) for r in t.to_dict("records")]), self.language))
        return None

    def sweep_plot(self) -> None:
        result = self._ev()
        totals = result.sweep_totals()
        self.plot(sweep_figure(totals.assign(tenderer=totals["tenderer"].map(self.name)), result.price_weight,
                               self.language))
        return None

    def findings(self) -> Markdown:
        """For the advisor: the winner and its margin, each ranking paradox of a removal, the seal."""
        result, lang = self._ev(), self.language
        t = result.table
        if result.winner:
            second = self.name(str(t["tenderer"].iloc[1])) if len(t) > 1 else "–"
            lines = [sentence("tender.finding.winner", lang, winner=self.name(result.winner),
                              margin=float(t["margin"].iloc[0]), second=second)]
        else:
            lines = [sentence("tender.finding.tie", lang)]
        removed = result.paradox[result.paradox["change"] == "removed"]
        for r in removed[["tender", "first", "second"]].astype(str).itertuples():
            lines.append(sentence("tender.finding.paradox", lang, removed=self.name(r.tender), first=self.name(r.first),
                                  second=self.name(r.second)))
        return self._sentences(lines + self.seal_status.describe(lang))


def start(namespace: dict[str, Any], notebook: str = NOTEBOOK) -> TenderReport:
    """Check the notebook's parameters and load the competition the scenario names."""
    params = check_namespace(namespace, notebook)
    case_dir = find_case(params["case"])
    comp_id = params.get("competition")
    if not comp_id:
        raise pw.InputError(pw.Problem(f"notebook {Path(notebook).stem}", "parameter 'competition'", "no competition given",
                                       f"one of: {', '.join(pw.tender_competitions(case_dir))}"))
    return TenderReport(params, case_dir, pw.load_competition(case_dir, comp_id))
