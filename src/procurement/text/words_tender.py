"""Words and sentences of tender evaluation (tender/), in bokmål and English.

``LABELS``: key -> (bokmål, English) word or header, merged into :data:`procurement.text.labels.LABELS`.
``SENTENCES``: key -> (bokmål, English) template with ``{name:kind}`` fields, merged into
:data:`procurement.text.sentences.SENTENCES` (see that module for the kinds). Keys are prefixed with the part
they belong to (``tender.``); a key defined twice anywhere is an error at import.

A criterion's name comes from ``model.yaml`` in both languages: the assumptions carry it as ``label_nb`` and
``label_en``, and each language's template uses its own.
"""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    # report 08: column headers
    "tender.criterion": ("Kriterium", "Criterion"),
    "tender.kind": ("Type", "Kind"),
    "tender.weight": ("Vekt", "Weight"),
    "tender.priority": ("Prioritet", "Priority"),
    "tender.rule": ("Poengregel", "Scoring rule"),
    "tender.source": ("Kilde", "Source"),
    "tender.verified": ("Kontrollert mot kilden", "Checked against the source"),
    "tender.model": ("Prismodell", "Price model"),
    "tender.price_weight": ("Prisvekt", "Price weight"),
    "tender.paradox": ("Sannsynlighet for rangeringsparadoks", "Probability of a ranking paradox"),
    "tender.misses_best_value": ("Beste verdi for pengene vinner ikke", "Best value for money does not win"),
    "tender.tenderer": ("Tilbyder", "Tenderer"),
    "tender.evaluated_price": ("Evaluert pris", "Evaluated price"),
    "tender.total": ("Vektet sum", "Weighted total"),
    "tender.rank": ("Rangering", "Rank"),
    "tender.margin": ("Avstand til neste", "Margin to the next"),
    "tender.tie": ("Likt", "Tie"),
    "tender.score": ("Konsensus", "Consensus"),
    "tender.low": ("Lavest", "Lowest"),
    "tender.high": ("Høyest", "Highest"),
    "tender.spread": ("Sprik", "Spread"),
    "tender.evaluators": ("Evaluatorer", "Evaluators"),
    "tender.disagree": ("Uenighet", "Disagreement"),
    "tender.evaluator": ("Evaluator", "Evaluator"),
    "tender.justification": ("Begrunnelse", "Justification"),
    "tender.evaluator_score": ("Poeng", "Score"),
    "tender.gap": ("Poeng bak vinneren", "Points behind the winner"),
    "tender.price_to_win": ("Pris for å vinne", "Price to win"),
    "tender.price_change": ("Prisendring", "Price change"),
    "tender.winner": ("Vinner", "Winner"),
    "tender.change": ("Endring", "Change"),
    "tender.first": ("Tilbyder 1", "Tenderer 1"),
    "tender.second": ("Tilbyder 2", "Tenderer 2"),
    "tender.before": ("Før", "Before"),
    "tender.after": ("Etter", "After"),
    # report 08: cell values
    "tender.kind.price": ("pris", "price"),
    "tender.kind.quality": ("kvalitet", "quality"),
    "tender.yes": ("ja", "yes"),
    "tender.no": ("nei", "no"),
    "tender.removed": ("fjernet", "removed"),
    "tender.added": ("lagt til", "added"),
    "tender.ahead": ("foran", "ahead"),
    "tender.behind": ("bak", "behind"),
    "tender.tied": ("likt", "tied"),
    "tender.rule.linear": ("Lineær (DFØ)", "Linear (DFØ)"),
    "tender.rule.proportional": ("Forholdsmessig (DFØ)", "Proportional (DFØ)"),
    "tender.rule.fixed-reference": ("Lineær mot fast referansepris R", "Linear against a fixed reference price R"),
    "tender.rule.interpolation": ("Interpolasjon mellom oppgitt beste (B) og dårligste (W) pris",
                                  "Interpolation between the stated best (B) and worst (W) price"),
    "tender.rule.absolute": ("Absolutt skala", "Absolute scale"),
    "tender.rule.relative": ("Relativ skala (beste får M)", "Relative scale (the best gets M)"),
    "tender.floor": ("gulv", "floor"),
    "tender.model.linear": ("Lineær", "Linear"),
    "tender.model.proportional": ("Forholdsmessig", "Proportional"),
    # report 08: header
    "tender.competition": ("Konkurranse", "Competition"),
    "tender.scenario": ("Scenario", "Scenario"),
    "tender.seal": ("Forsegling", "Seal"),
    # figures
    "tender.plot.total": ("Vektet sum", "Weighted total"),
    "tender.plot.sweep": ("Vinneren når prisvekten endres", "The winner as the price weight changes"),
    "tender.plot.chosen": ("modellens prisvekt", "the model's price weight"),
}

SENTENCES: dict[str, tuple[str, str]] = {
    # the evaluation model (TenderResult.assumptions)
    "tender.illustrative": ("Eksempelet er illustrativt: tilbud, priser og poeng er oppdiktet.",
                            "The example is illustrative: tenders, prices and scores are invented."),
    "tender.points": ("Hvert kriterium gir 0–{max_points:number0} poeng (M = {max_points:number0}); totalen er "
                      "summen av poengene vektet med kriterienes vekter.",
                      "Each criterion gives 0–{max_points:number0} points (M = {max_points:number0}); the total is "
                      "the sum of the points weighted by the criteria's weights."),
    "tender.points.fine": ("Hvert kriterium gir 0–{max_points:number2} poeng (M = {max_points:number2}); totalen er "
                           "summen av poengene vektet med kriterienes vekter.",
                           "Each criterion gives 0–{max_points:number2} points (M = {max_points:number2}); the total "
                           "is the sum of the points weighted by the criteria's weights."),
    "tender.weight": ("{label_nb}: vekt {share:percent0}.", "{label_en}: weight {share:percent0}."),
    "tender.weight.fine": ("{label_nb}: vekt {share:percent2}.", "{label_en}: weight {share:percent2}."),
    "tender.weight_priority": ("{label_nb}: vekt {share:percent0}, prioritet {priority:number0} (FOA § 18-1).",
                               "{label_en}: weight {share:percent0}, priority {priority:number0} (FOA § 18-1)."),
    "tender.weight_priority.fine": ("{label_nb}: vekt {share:percent2}, prioritet {priority:number0} (FOA § 18-1).",
                                    "{label_en}: weight {share:percent2}, priority {priority:number0} (FOA § 18-1)."),
    "tender.lifecycle": ("Evaluert pris er nåverdien av hver tilbyders livsløpskostnader, diskontert til "
                         "{base_year:year} med R-109-rentene.",
                         "The evaluated price is the present value of each tenderer's life-cycle costs, discounted to "
                         "{base_year:year} with the R-109 rates."),
    "tender.price.linear": ("Prispoeng etter DFØs lineære modell: {formula}, der Pe er evaluert pris og Pb laveste pris.",
                            "Price points by DFØ's linear model: {formula}, where Pe is the evaluated price and Pb the "
                            "lowest price."),
    "tender.price.proportional": ("Prispoeng etter DFØs forholdsmessige modell: {formula}, der Pe er evaluert pris og "
                                  "Pb laveste pris.",
                                  "Price points by DFØ's proportional model: {formula}, where Pe is the evaluated price "
                                  "and Pb the lowest price."),
    "tender.price.fixed-reference": ("Prispoeng lineært mot en fast referansepris: {formula}, med R = {reference:money0} "
                                     "og s = {slope:number1}.",
                                     "Price points linear against a fixed reference price: {formula}, with "
                                     "R = {reference:money0} and s = {slope:number1}."),
    "tender.price.interpolation": ("Prispoeng ved interpolasjon: {formula}, med B = {best:money0} og W = {worst:money0}.",
                                   "Price points by interpolation: {formula}, with B = {best:money0} and "
                                   "W = {worst:money0}."),
    "tender.price.negative": ("Negative prispoeng er tillatt (KOFA 2015/60).",
                              "Negative price points are allowed (KOFA 2015/60)."),
    "tender.price.floor": ("Prispoengene går ikke under {floor:number1}.", "Price points do not go below {floor:number1}."),
    "tender.price.relative": ("Prismodellen er relativ: poengene avhenger av laveste pris, så et annet tilbud kan avgjøre "
                              "rekkefølgen mellom to tilbydere (rangeringsparadokset).",
                              "The price model is relative: points depend on the lowest price, so another tender can "
                              "decide the order of two tenderers (the ranking paradox)."),
    "tender.price.absolute": ("Prismodellen er absolutt: et tilbuds poeng avhenger ikke av de andre tilbudene.",
                              "The price model is absolute: a tender's points do not depend on the other tenders."),
    "tender.citation.given": ("{citation}", "{citation}"),
    "tender.source.given": ("Kilde (oppgitt i modellen): {citation}.", "Source (given in the model): {citation}."),
    "tender.source.verified": ("Formelen er kontrollert mot kilden.", "The formula was checked against the source."),
    "tender.source.unverified": ("Formelen er ikke kontrollert mot kilden.",
                                 "The formula was not checked against the source."),
    "tender.quality.absolute": ("{label_nb}: absolutt skala {min:number0}–{max:number0}, poeng {formula} av "
                                "konsensuspoengene s.",
                                "{label_en}: absolute scale {min:number0}–{max:number0}, points {formula} of the "
                                "consensus score s."),
    "tender.quality.relative": ("{label_nb}: relativ skala {min:number0}–{max:number0}, beste konsensuspoeng får M, de "
                                "andre {formula}.",
                                "{label_en}: relative scale {min:number0}–{max:number0}, the best consensus score gets M, "
                                "the others {formula}."),
    "tender.consensus.mean": ("Konsensus er gjennomsnittet av evaluatorenes poeng; sprik over {disagreement:number1} "
                              "poeng flagges.",
                              "The consensus is the mean of the evaluators' scores; a spread above "
                              "{disagreement:number1} points is flagged."),
    "tender.consensus.median": ("Konsensus er medianen av evaluatorenes poeng; sprik over {disagreement:number1} poeng "
                                "flagges.",
                                "The consensus is the median of the evaluators' scores; a spread above "
                                "{disagreement:number1} points is flagged."),
    "tender.tie_break.none": ("Ved likt på førsteplass angir modellen ingen regel for å skille: oppdragsgiver må avgjøre.",
                              "A tie for first has no tie-break rule in the model: the authority must decide."),
    "tender.tie_break.price": ("Ved likt på førsteplass vinner laveste pris.", "A tie for first goes to the lowest price."),
    "tender.tie_break.quality": ("Ved likt på førsteplass vinner høyeste vektede kvalitet.",
                                 "A tie for first goes to the highest weighted quality."),
    # the seal (SealStatus.assumptions)
    "tender.seal.none": ("Modellen ble IKKE forseglet før åpning.", "The model was NOT sealed before opening."),
    "tender.seal.unchanged": ("Modellen ble forseglet {sealed_at:date} og er uendret siden.",
                              "The model was sealed on {sealed_at:date} and is unchanged since."),
    "tender.seal.layout": ("Modellen ble forseglet {sealed_at:date}; filens SHA-256 stemmer ikke lenger med "
                           "forseglingen, men ingen parameter er endret (kommentarer eller oppsett er endret, eller "
                           "seal.json er redigert).",
                           "The model was sealed on {sealed_at:date}; the file's SHA-256 no longer matches the seal, but "
                           "no parameter changed (comments or layout changed, or seal.json was edited)."),
    "tender.seal.changed": ("Modellen ble ENDRET etter forseglingen {sealed_at:date}: {keys}.",
                            "The model CHANGED after it was sealed on {sealed_at:date}: {keys}."),
    "tender.seal.after_opening": ("Forseglingen skjedde etter åpningstidspunktet i modellen ({opening:date}).",
                                  "The seal was made after the opening time stated in the model ({opening:date})."),
    # the pre-opening simulation (TenderSimulation.assumptions)
    "tender.simulation.fields": ("{fields:number0} simulerte konkurranser med {low:number0}–{high:number0} tilbydere; "
                                 "frø {seed}.",
                                 "{fields:number0} simulated competitions with {low:number0}–{high:number0} tenderers; "
                                 "seed {seed}."),
    "tender.simulation.prices": ("Prisene er log-normalfordelt rundt estimatet {estimate:money0} (σ = {spread:number2}).",
                                 "Prices are log-normal around the estimate {estimate:money0} (σ = {spread:number2})."),
    "tender.simulation.quality": ("Kvaliteten (0–10) er normalfordelt rundt {mean:number1} med standardavvik "
                                  "{sd:number1} og korrelasjon {correlation:number2} med prisen.",
                                  "Quality (0–10) is normal around {mean:number1} with standard deviation {sd:number1} "
                                  "and correlation {correlation:number2} with the price."),
    "tender.simulation.value": ("Ett vektet kvalitetspoeng er verdt {value:money0}: tilbudet med høyest verdi av kvalitet "
                                "minus pris er beste verdi for pengene.",
                                "One weighted quality point is worth {value:money0}: the tender with the highest value "
                                "of quality minus price is the best value for money."),
    "tender.simulation.grid": ("{models:number0} prismodeller ved {weights:number0} prisvekter fra {low:percent0} til "
                               "{high:percent0}.",
                               "{models:number0} price models at {weights:number0} price weights from {low:percent0} "
                               "to {high:percent0}."),
    # report 08: cells and findings
    "tender.model.fixed-reference": ("Fast referanse (R = {reference:number0})", "Fixed reference (R = {reference:number0})"),
    "tender.model.interpolation": ("Interpolasjon ({best:number0}–{worst:number0})",
                                   "Interpolation ({best:number0}–{worst:number0})"),
    "tender.model.floor": ("{name}, gulv {floor:number1}", "{name}, floor {floor:number1}"),
    "tender.extra_tender": ("ekstra tilbud til {price:money0}", "extra tender at {price:money0}"),
    "tender.with_unit": ("{header} ({unit})", "{header} ({unit})"),
    "tender.finding.winner": ("{winner} vinner med {margin:number3} poeng foran {second}.",
                              "{winner} wins by {margin:number3} points ahead of {second}."),
    "tender.finding.tie": ("Likt på førsteplass: modellen angir ingen regel for å skille.",
                           "Tie for first: the model states no tie-break rule."),
    "tender.finding.paradox": ("Uten {removed} ville {second} gått foran {first} (rangeringsparadoks i en relativ "
                               "prismodell).",
                               "Without {removed}, {second} would overtake {first} (ranking paradox of a relative price "
                               "model)."),
}

#: The workbench's default source of each price model (:data:`procurement.tender.pricing.SOURCES`) in bokmål; the
#: English text is the citation itself. ``tender.citation.<kind>`` is the bare citation (a table cell),
#: ``tender.source.<kind>`` the sentence of a result's description.
_CITATIONS_NB = {
    "linear": "DFØ, Veileder i evaluering av tilbud, «Regne om pris til poeng»; negative poeng er lovlige etter "
              "KOFA 2015/60, sitert der",
    "proportional": "DFØ, Veileder i evaluering av tilbud, «Regne om pris til poeng»",
    "fixed-reference": "en variant av DFØs lineære modell med referansepris oppgitt i konkurransegrunnlaget; ikke "
                       "funnet som navngitt modell hos DFØ",
    "interpolation": "vanlig praksis; ingen offentlig tekst fra DFØ funnet som beskriver modellen",
}
SENTENCES.update({f"tender.citation.{kind}": (nb, "{citation}") for kind, nb in _CITATIONS_NB.items()})
SENTENCES.update({f"tender.source.{kind}": (f"Kilde: {nb}.", "Source: {citation}.") for kind, nb in _CITATIONS_NB.items()})
