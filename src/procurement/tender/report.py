"""What report notebook 08 (tender evaluation) shows: one function per cell, in bokmål or English.

The notebook's first cell after its parameters is ``report = start(globals())``; each later cell shows one table
or figure from the :class:`TenderReport`. Text an advisor reads is built here from the results' data (never from
the English messages of the command line), numbers go through :mod:`procurement.text.fmt`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from procurement.report import excel
from procurement.text import fmt
from procurement.report.notebook import ResultTable, find_case, for_reader, md
from procurement.report.params import check_namespace
from procurement.tender import paradox, seal
from procurement.tender.competition import Competition, load_competition
from procurement.tender.evaluate import Evaluation, evaluate, weight_sweep, what_it_takes
from procurement.tender.pricing import source

NOTEBOOK = "08-tender-evaluation"

#: Column headers and words, (bokmål, English).
WORDS: dict[str, tuple[str, str]] = {
    "criterion": ("Kriterium", "Criterion"),
    "kind": ("Type", "Kind"),
    "p_weight": ("Vekt", "Weight"),
    "rule": ("Poengregel", "Scoring rule"),
    "source": ("Kilde", "Source"),
    "verified": ("Kontrollert mot kilden", "Checked against the source"),
    "model": ("Prismodell", "Price model"),
    "p_price_weight": ("Prisvekt", "Price weight"),
    "p_paradox": ("Sannsynlighet for rangeringsparadoks", "Probability of a ranking paradox"),
    "p_misses": ("Beste verdi for pengene vinner ikke", "Best value for money does not win"),
    "tenderer": ("Tilbyder", "Tenderer"),
    "evaluated_price": ("Evaluert pris", "Evaluated price"),
    "total": ("Vektet sum", "Weighted total"),
    "rank": ("Rangering", "Rank"),
    "margin": ("Avstand til neste", "Margin to the next"),
    "tie": ("Likt", "Tie"),
    "score": ("Konsensus", "Consensus"),
    "low": ("Lavest", "Lowest"),
    "high": ("Høyest", "Highest"),
    "spread": ("Sprik", "Spread"),
    "evaluators": ("Evaluatorer", "Evaluators"),
    "disagree": ("Uenighet", "Disagreement"),
    "evaluator": ("Evaluator", "Evaluator"),
    "justification": ("Begrunnelse", "Justification"),
    "gap": ("Poeng bak vinneren", "Points behind the winner"),
    "price_to_win": ("Pris for å vinne", "Price to win"),
    "p_price_change": ("Prisendring", "Price change"),
    "winner": ("Vinner", "Winner"),
    "change": ("Endring", "Change"),
    "first": ("Tilbyder 1", "Tenderer 1"),
    "second": ("Tilbyder 2", "Tenderer 2"),
    "before": ("Før", "Before"),
    "after": ("Etter", "After"),
    "kind_price": ("pris", "price"),
    "kind_quality": ("kvalitet", "quality"),
    "evaluator_score": ("Poeng", "Score"),
    "yes": ("ja", "yes"),
    "no": ("nei", "no"),
    "removed": ("fjernet", "removed"),
    "added": ("lagt til", "added"),
    "ahead": ("foran", "ahead"),
    "behind": ("bak", "behind"),
    "tie_rel": ("likt", "tied"),
}

_RULES = {
    "linear": ("Lineær (DFØ): 10 − 10·(Pe − Pb)/Pb", "Linear (DFØ): 10 − 10·(Pe − Pb)/Pb"),
    "proportional": ("Forholdsmessig (DFØ): 10·Pb/Pe", "Proportional (DFØ): 10·Pb/Pe"),
    "fixed-reference": ("Lineær mot fast referansepris R", "Linear against a fixed reference price R"),
    "interpolation": ("Interpolasjon mellom oppgitt beste og dårligste pris",
                      "Interpolation between stated best and worst price"),
}

_SOURCE_NB = {
    "linear": "DFØ, Veileder i evaluering av tilbud, «Regne om pris til poeng»; negative poeng er lovlige (KOFA 2015/60)",
    "proportional": "DFØ, Veileder i evaluering av tilbud, «Regne om pris til poeng»",
    "fixed-reference": "Variant av DFØs lineære modell med referansepris oppgitt i konkurransegrunnlaget; "
                       "ikke funnet som navngitt modell hos DFØ",
    "interpolation": "Vanlig praksis; ingen offentlig tekst fra DFØ funnet som beskriver modellen",
}


def word(key: str, language: str) -> str:
    pair = WORDS.get(key)
    return key if pair is None else pair[1] if language == "en" else pair[0]


@dataclass
class TenderReport:
    """The context of one run of notebook 08."""

    params: dict[str, Any]
    competition: Competition

    @property
    def language(self) -> str:
        return "en" if self.params.get("language") == "en" else "nb"

    @property
    def model(self):
        return self.competition.model

    @cached_property
    def evaluation(self) -> Evaluation | None:
        return evaluate(self.competition) if self.competition.opened else None

    @cached_property
    def seal_status(self) -> seal.SealStatus:
        return seal.status(self.competition)

    @cached_property
    def simulation(self) -> paradox.SimulationResult | None:
        return paradox.simulate(self.model) if self.model.simulation is not None else None

    def name(self, tenderer: Any) -> str:
        t = str(tenderer)
        return self.competition.tenderer_names().get(t, t) if self.language == "nb" else t

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
        if c in ("evaluated_price", "price_to_win"):
            return f"{word(c, self.language)} ({self.model.currency})"
        return word(c, self.language) if c in WORDS else self.criterion(c)

    def plot(self, fig) -> None:
        from procurement.report.notebook import Report

        Report(notebook=NOTEBOOK, params=self.params).plot(fig)

    def header(self):
        from IPython.display import Markdown

        nb = self.language == "nb"
        m = self.model
        lines = [f"**{'Konkurranse' if nb else 'Competition'}:** {md(m.title.get(self.language))}  ",
                 f"**{'Scenario' if nb else 'Scenario'}:** {md(self.params.get('scenario', ''))}  ",
                 f"**{'Forsegling' if nb else 'Seal'}:** {md(self.seal_line())}"]
        if m.illustrative:
            lines.append("\n*" + ("Eksempelet er illustrativt: tilbud, priser og poeng er oppdiktet." if nb else
                                  "The example is illustrative: tenders, prices and scores are invented.") + "*")
        return Markdown("\n".join(lines))

    def seal_line(self) -> str:
        st, nb = self.seal_status, self.language == "nb"
        if not st.sealed:
            return "IKKE forseglet før åpning" if nb else "NOT sealed before opening"
        when = fmt.timestamp(st.sealed_at, self.language) if st.sealed_at else ""
        if st.changes:
            keys = ", ".join(k for k, _, _ in st.changes)
            return (f"ENDRET etter forsegling {when}: {keys}" if nb else f"CHANGED after sealing {when}: {keys}")
        late = (" (etter åpningstidspunktet)" if nb else " (after the opening time)") if st.after_opening else ""
        return (f"forseglet {when}, modellen er uendret" if nb else f"sealed {when}, model unchanged") + late

    # --- tables ----------------------------------------------------------------------------------------------------

    def model_table(self) -> pd.DataFrame:
        lang, rows = self.language, []
        weights = self.model.weights()
        for c in self.model.criteria:
            if c.price_model is not None:
                pm = c.price_model
                rule = _RULES[pm.kind][1 if lang == "en" else 0]
                if pm.floor is not None:
                    rule += f" ({'gulv' if lang == 'nb' else 'floor'} {fmt.number(pm.floor, lang, 1)})"
                src = source(pm)
                cite, ok = (src.citation if pm.source is not None or lang == "en" else _SOURCE_NB[pm.kind]), src.verified
            else:
                assert c.scale is not None
                rel = c.scale.scoring == "relative"
                rule = (("Relativ: beste får 10" if rel else "Absolutt skala") if lang == "nb"
                        else ("Relative: best gets 10" if rel else "Absolute scale"))
                rule += f" {fmt.number(c.scale.min, lang)}–{fmt.number(c.scale.max, lang)}"
                cite, ok = "", True
            rows.append({"criterion": c.label.get(lang), "kind": word("kind_" + c.kind, lang), "p_weight": weights[c.id],
                         "rule": rule, "source": cite, "verified": word("yes" if ok else "no", lang) if cite else ""})
        return pd.DataFrame(rows)

    def simulation_table(self) -> pd.DataFrame:
        assert self.simulation is not None
        t = self.simulation.table
        names = [self.model_label(r) for r in t.to_dict("records")]
        return pd.DataFrame({"model": names, "p_price_weight": t["price_weight"], "p_paradox": t["paradox"],
                             "p_misses": t["misses_best_value"]})

    def model_label(self, row: dict) -> str:
        """A price model of the simulation table named in the report language."""
        lang = self.language
        nb = lang == "nb"
        kind = row["kind"]
        if kind == "fixed-reference":
            name = f"{'Fast referanse' if nb else 'Fixed reference'} (R = {fmt.number(row['reference'], lang)})"
        elif kind == "interpolation":
            name = (f"{'Interpolasjon' if nb else 'Interpolation'} "
                    f"({fmt.number(row['best'], lang)}–{fmt.number(row['worst'], lang)})")
        else:
            name = {"linear": ("Lineær", "Linear"), "proportional": ("Forholdsmessig", "Proportional")}[kind][0 if nb else 1]
        floor = row.get("floor")
        if floor is not None and floor == floor:
            name += f", {'gulv' if nb else 'floor'} {fmt.number(floor, lang, 1)}"
        return name

    def simulation_note(self):
        from IPython.display import Markdown

        return Markdown(md(self.simulation_text()))

    def simulation_text(self) -> str:
        s = self.model.simulation
        assert s is not None
        lang, nb = self.language, self.language == "nb"
        cur = self.model.currency
        if nb:
            return (f"{fmt.number(s.fields, lang)} simulerte konkurranser med {s.tenderers[0]}–{s.tenderers[1]} tilbydere, "
                    f"priser rundt estimatet {fmt.money(s.estimate, lang, cur)} "
                    f"(spredning σ = {fmt.number(s.price_spread, lang, 2)}), "
                    f"kvalitet rundt {fmt.number(s.quality_mean, lang, 1)}; ett kvalitetspoeng er verdt "
                    f"{fmt.money(s.value_per_point, lang, cur)}; frø {s.seed}.")
        return (f"{fmt.number(s.fields, lang)} simulated competitions with {s.tenderers[0]}–{s.tenderers[1]} tenderers, "
                f"prices around the estimate {fmt.money(s.estimate, lang, cur)} "
                f"(spread σ = {fmt.number(s.price_spread, lang, 2)}), "
                f"quality around {fmt.number(s.quality_mean, lang, 1)}; one quality point is worth "
                f"{fmt.money(s.value_per_point, lang, cur)}; seed {s.seed}.")

    def _ev(self) -> Evaluation:
        if self.evaluation is None:
            from procurement.case.errors import InputError, Problem

            raise InputError(Problem(str(self.competition.folder), "", "not opened yet: no tenders.csv"))
        return self.evaluation

    def evaluation_table(self) -> pd.DataFrame:
        t = self._ev().table.copy()
        t["tenderer"] = t["tenderer"].map(self.name)
        t["tie"] = t["tie"].map(lambda v: word("yes" if v else "no", self.language))
        return t

    def consensus_table(self) -> pd.DataFrame:
        c = self._ev().consensus.copy()
        c["tenderer"] = c["tenderer"].map(self.name)
        c["criterion"] = c["criterion"].map(self.criterion)
        c["disagree"] = c["disagree"].map(lambda v: word("yes" if v else "no", self.language))
        return c

    def justification_table(self) -> pd.DataFrame:
        ev = self.competition.evaluations
        assert ev is not None
        out = ev[["tenderer", "criterion", "evaluator", "score", "justification"]].rename(columns={"score": "evaluator_score"})
        order = {t: i for i, t in enumerate(self._ev().tenderers)}
        corder = {c.id: i for i, c in enumerate(self.model.quality)}
        out = out.assign(_t=out["tenderer"].map(order), _c=out["criterion"].map(corder))
        out = out.sort_values(["_t", "_c", "evaluator"]).drop(columns=["_t", "_c"]).reset_index(drop=True)
        out["tenderer"] = out["tenderer"].map(self.name)
        out["criterion"] = out["criterion"].map(self.criterion)
        return out

    def what_it_takes_table(self) -> pd.DataFrame:
        w = what_it_takes(self._ev()).copy()
        w["tenderer"] = w["tenderer"].map(self.name)
        w = w.rename(columns={"price_change": "p_price_change"})
        return w.rename(columns={f"{c.id}_to_win": c.id for c in self.model.quality})

    def weight_sweep_table(self, steps: int = 11) -> pd.DataFrame:
        s = weight_sweep(self._ev(), steps)
        return pd.DataFrame({"p_price_weight": s["price_weight"], "winner": s["winner"].map(self.name), "margin": s["margin"]})

    def paradox_table(self) -> pd.DataFrame:
        p = paradox.check(self._ev())
        lang = self.language
        if p.empty:
            return pd.DataFrame(columns=["change", "tenderer", "first", "second", "before", "after"])
        tender = [self.name(t) if c == "removed" else _extra_label(t, x, lang, self.model.currency)
                  for c, t, x in zip(p["change"], p["tender"], p["extra_price"], strict=True)]
        rel = {"ahead": "ahead", "behind": "behind", "tie": "tie_rel"}
        return pd.DataFrame({"change": [word(c, lang) for c in p["change"]], "tenderer": tender,
                             "first": p["first"].map(self.name), "second": p["second"].map(self.name),
                             "before": [word(rel[b], lang) for b in p["before"]],
                             "after": [word(rel[a], lang) for a in p["after"]]})

    def simulation_plot(self):
        from procurement.plots.tender import simulation_figure

        if self.simulation is None:
            return None
        t = self.simulation.table
        self.plot(simulation_figure(t.assign(model=[self.model_label(r) for r in t.to_dict("records")]), self.language))
        return None

    def sweep_plot(self):
        from procurement.plots.tender import sweep_figure

        ev = self._ev()
        self.plot(sweep_figure(ev.prices(), ev.quality_scores(), self.model, [self.name(t) for t in ev.tenderers],
                               self.language))
        return None

    def findings(self):
        """Three sentences for the advisor: the winner and its margin, the paradox, the seal."""
        from IPython.display import Markdown

        ev, lang, nb = self._ev(), self.language, self.language == "nb"
        t = ev.table
        lines = []
        if ev.winner:
            margin = fmt.number(float(t["margin"].iloc[0]), lang, 3)
            second = self.name(str(t["tenderer"].iloc[1])) if len(t) > 1 else "–"
            lines.append(f"- {md(self.name(ev.winner))} " + (f"vinner med {margin} poeng foran {md(second)}." if nb
                                                         else f"wins by {margin} points ahead of {md(second)}."))
        else:
            lines.append("- " + ("Likt på førsteplass: modellen angir ingen regel for å skille." if nb
                                 else "Tie for first: the model states no tie-break rule."))
        removed = paradox.check(ev)
        removed = removed[removed["change"] == "removed"]
        for r in removed[["tender", "first", "second"]].astype(str).itertuples():
            lines.append("- " + (f"Uten {md(self.name(r.tender))} ville {md(self.name(r.second))} gått foran "
                                 f"{md(self.name(r.first))} (rangeringsparadoks i en relativ prismodell)." if nb else
                                 f"Without {md(self.name(r.tender))}, {md(self.name(r.second))} would overtake "
                                 f"{md(self.name(r.first))} (ranking paradox of a relative price model)."))
        lines.append("- " + ("Modell: " if nb else "Model: ") + md(self.seal_line()) + ".")
        return Markdown("\n".join(lines))


def _extra_label(what: str, price: float, lang: str, currency: str) -> str:
    head = "ekstra tilbud til" if lang == "nb" else "extra tender at"
    return f"{head} {fmt.money(price, lang, currency)}"


def start(namespace: dict[str, Any], notebook: str = NOTEBOOK) -> TenderReport:
    """Check the notebook's parameters and load the competition the scenario names."""
    from procurement.case.errors import InputError, Problem

    params = check_namespace(namespace, notebook)
    case_dir = find_case(params["case"])
    comp_id = params.get("competition")
    if not comp_id:
        from procurement.tender.competition import competitions

        raise InputError(Problem(f"notebook {Path(notebook).stem}", "parameter 'competition'", "no competition given",
                                 f"one of: {', '.join(competitions(case_dir))}"))
    return TenderReport(params, load_competition(case_dir, comp_id))
