"""Words and sentences of the municipality decision papers (``procurement papers``), in bokmål and English.

Nynorsk for every key here is in :mod:`procurement.text.words_nn`, which a test checks key by key. The municipal
budget's sentences (``cba.municipal_*``) describe :class:`procurement.cba.municipal.MunicipalBudget`; the
``paper.*`` ones are the paper's own lines, filled with values the engine computed.
"""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    "paper.title": ("{name} kommune: tilslutning til felles journalløsning",
                    "{name} municipality: joining the common record system"),
    "paper.kicker": ("Saksframlegg", "Decision paper"),
    "paper.municipality": ("Kommune", "Municipality"),
    "paper.county": ("Fylke", "County"),
    "paper.population": ("Innbyggere", "Inhabitants"),
    "paper.cluster": ("Klynge", "Cluster"),
    "paper.written_standard": ("Målform", "Written standard"),
    "paper.prepared": ("Utarbeidet", "Prepared"),
    "paper.case": ("Sak", "Case"),
    "paper.scenario": ("Scenario", "Scenario"),
    "paper.period": ("Periode", "Period"),
    "paper.join": ("Slutte seg til: {name}", "Join: {name}"),
    "paper.join_short": ("Slutte seg til", "Join"),
    "paper.stay_out_short": ("Stå utenfor", "Stay outside"),
    "paper.stay_out": ("Stå utenfor (0-alternativet)", "Stay outside (the 0-alternative)"),
    "paper.difference": ("Forskjell", "Difference"),
    "paper.per_inhabitant": ("Per innbygger (kr)", "Per inhabitant (NOK)"),
    "paper.payment_knok": ("Betaling (1000 kr)", "Payment (NOK 1000)"),
    "paper.fig_title": ("{name}: betaling per år, faste {year}-kroner", "{name}: payment per year, real {year} NOK"),
    "paper.fig_y": ("1000 kr per år", "NOK 1000 per year"),
    "paper.fig_x": ("År", "Year"),
    "paper.standard.nn": ("nynorsk", "Nynorsk"),
    "paper.standard.nb": ("bokmål", "Bokmål"),
    "paper.standard.neutral": ("språklig nøytral", "neutral"),
    "paper.standard.": ("ikke avklart", "not settled"),
    # the index of all papers
    "paper.index_title": ("Saksframlegg for kommunene: {case}", "Decision papers for the municipalities: {case}"),
    "paper.index_intro": ("Ett saksframlegg per kommune i den nasjonale løsningen. Klikk på en kolonneoverskrift for "
                          "å sortere.",
                          "One decision paper per municipality in the national solution. Click a column header to "
                          "sort."),
    "paper.index_paper": ("Saksframlegg", "Paper"),
    "paper.col.kommunenummer": ("Kommunenr.", "Number"),
    "paper.col.payment_total": ("Betaling i alt (1000 kr)", "Payment in all (NOK 1000)"),
    "paper.col.payment_per_inhabitant": ("Per innbygger (kr)", "Per inhabitant (NOK)"),
    "paper.col.zero_total": ("Uten tilslutning (1000 kr)", "Outside (NOK 1000)"),
    "paper.col.difference": ("Forskjell (1000 kr)", "Difference (NOK 1000)"),
    "paper.col.share": ("Andel av kommunenes del", "Share of the municipalities' part"),
    "paper.col.language": ("Språk", "Language"),
    "paper.col.deadline": ("Vedtak senest", "Decide by"),
    "paper.col.status": ("Status", "Status"),
}

SENTENCES: dict[str, tuple[str, str]] = {
    # the national recommendation
    "paper.leader": ("Den nasjonale analysen rangerer **{option:text}** først med {method:method}.",
                     "The national analysis ranks **{option:text}** first by {method:method}."),
    "paper.robust": ("Med usikre vekter og skårer kommer dette alternativet først i {share:percent0} av "
                     "{samples:number0} trekk.",
                     "With uncertain weights and scores, this option comes first in {share:percent0} of "
                     "{samples:number0} draws."),
    "paper.route": ("Det anskaffes ved {procedure:text}; tidligste kontraktsignering etter tidslinjen er {when:date}.",
                    "It is procured by {procedure:text}; the earliest contract signature in the timeline is "
                    "{when:date}."),
    # what joining costs
    "paper.cost_total": ("Over hele perioden {first:year}–{last:year} betaler {name:text} {join:money1} for å slutte "
                         "seg til, mot {zero:money1} for å stå utenfor.",
                         "Over the whole period {first:year}–{last:year} {name:text} pays {join:money1} to join, "
                         "against {zero:money1} to stay outside."),
    "paper.cost_cheaper": ("Å slutte seg til koster kommunen {diff:money1} mindre enn å stå utenfor.",
                           "Joining costs the municipality {diff:money1} less than staying outside."),
    "paper.cost_dearer": ("Å slutte seg til koster kommunen {diff:money1} mer enn å stå utenfor.",
                          "Joining costs the municipality {diff:money1} more than staying outside."),
    "paper.per_inhabitant": ("Det er {join:number0} kr per innbygger ved tilslutning og {zero:number0} kr uten.",
                             "That is NOK {join:number0} per inhabitant if it joins and NOK {zero:number0} if not."),
    # uptake
    "paper.break_even": ("For landet er løsningen lønnsom når kommuner med minst {share:percent0} av innbyggerne i "
                         "løsningens område slutter seg til (nullpunktet).",
                         "For the country the solution pays off when municipalities with at least {share:percent0} "
                         "of the inhabitants of its area join (the break-even share)."),
    "paper.break_even_none": ("For landet er løsningen ikke lønnsom selv om alle kommunene slutter seg til.",
                              "For the country the solution does not pay off even if every municipality joins."),
    "paper.p_above": ("Etter oppslutningsmodellen er sannsynligheten for at oppslutningen når nullpunktet "
                      "{p:percent0}.",
                      "Under the uptake model the probability that uptake reaches the break-even share is "
                      "{p:percent0}."),
    "paper.condition": ("Saken sammenligner med et vilkår fra en annen analyse: at kommuner med minst {share:percent0} "
                        "av befolkningen tar løsningen i bruk.",
                        "The case compares this with a condition from another analysis: that municipalities with at "
                        "least {share:percent0} of the population take the solution up."),
    "paper.own_weight": ("{name:text} har {share:percent2} av innbyggerne i løsningens område.",
                         "{name:text} has {share:percent2} of the inhabitants of the solution's area."),
    "paper.cluster": ("Kommunen hører til klyngen {cluster:text} med {count:number0} kommuner og {population:number0} "
                      "innbyggere.",
                      "The municipality belongs to the cluster {cluster:text} with {count:number0} municipalities and "
                      "{population:number0} inhabitants."),
    "paper.neighbours": ("Andre kommuner i {county:text} i løsningen: {names:text}.",
                         "Other municipalities of {county:text} in the solution: {names:text}."),
    # the cluster's own weights
    "paper.group_same": ("Med vektene til gruppen {group:text} kommer også **{option:text}** først.",
                         "With the weights of the group {group:text}, **{option:text}** also comes first."),
    "paper.group_other": ("Med vektene til gruppen {group:text} kommer **{first:text}** først og det nasjonale valget "
                          "på plass {rank:number0}.",
                          "With the weights of the group {group:text}, **{first:text}** comes first and the national "
                          "choice ranks {rank:number0}."),
    "paper.group_none": ("Saken har ingen vektprofil for kommunens klynge.",
                         "The case has no weight profile for the municipality's cluster."),
    # when to decide
    "paper.deadline": ("Oppdragsgivere som skal kunne bruke kontrakten, må være tydelig identifisert i "
                       "konkurransegrunnlaget (EU-domstolen, C-216/17). Kommunestyret må derfor vedta tilslutning før "
                       "konkurransen kunngjøres, etter tidslinjen {when:date}.",
                       "Contracting authorities that are to use the contract must be clearly identified in the tender "
                       "documents (CJEU, C-216/17). The council must therefore decide to join before the competition "
                       "is announced, by the timeline {when:date}."),
    "paper.deadline_past": ("Oppdragsgivere som skal kunne bruke kontrakten, må være tydelig identifisert i "
                            "konkurransegrunnlaget (EU-domstolen, C-216/17). Kunngjøringen var etter tidslinjen "
                            "{when:date}, før datoen for dette saksframlegget ({today:date}), så tidslinjen må "
                            "oppdateres før kommunestyret kan vite fristen.",
                            "Contracting authorities that are to use the contract must be clearly identified in the "
                            "tender documents (CJEU, C-216/17). By the timeline the announcement was {when:date}, "
                            "before the date of this paper ({today:date}), so the timeline must be updated before the "
                            "council can know its deadline."),
    # caveats
    "paper.illustrative_case": ("Eksempelsaken er illustrativ: skårer, vekter og kontantstrømmer er eksempler, ikke "
                                "offisielle vurderinger.",
                                "The example case is illustrative: scores, weights and cash flows are examples, not "
                                "official judgements."),
    "paper.illustrative_financing": ("Fordelingen mellom betalerne er illustrativ (financing.yaml).",
                                     "The split between payers is illustrative (financing.yaml)."),
    "paper.population_source": ("Folketall {population:number0} per {date:date} (SSB, tabell 07459).",
                                "Population {population:number0} on {date:date} (Statistics Norway, table 07459)."),
    # the municipal budget (cba/municipal.py)
    "cba.municipal_key.per_inhabitant": (
        "Kommunenes del fordeles etter innbyggertall; {name:text} bærer {share:percent2} av den.",
        "The municipalities' part is split by population; {name:text} carries {share:percent2} of it."),
    "cba.municipal_key.fixed_plus_per_inhabitant": (
        "Kommunenes del fordeles med {fixed:percent0} likt på de {members:number0} kommunene og resten etter "
        "innbyggertall; {name:text} bærer {share:percent2} av den.",
        "The municipalities' part is split {fixed:percent0} equally between the {members:number0} municipalities and "
        "the rest by population; {name:text} carries {share:percent2} of it."),
    "cba.municipal_key.by_use": (
        "Kommunenes del fordeles etter innbyggertall ganger klyngens bruksindeks; {name:text} bærer "
        "{share:percent2} av den.",
        "The municipalities' part is split by population times the cluster's use index; {name:text} carries "
        "{share:percent2} of it."),
    "cba.municipal_zero": (
        "Uten tilslutning betaler hver kommune sitt eget system; {name:text} bærer 0-alternativets kostnader etter sin "
        "andel av innbyggerne ({share:percent2} av {population:number0}).",
        "Outside, each municipality pays for its own system; {name:text} carries the 0-alternative's costs by its "
        "share of the population ({share:percent2} of {population:number0})."),
    "cba.municipal_prices": (
        "Beløpene er i faste {base_year:year}-kroner, uten neddiskontering og uten skattefinansieringskostnad.",
        "Amounts are in fixed {base_year:year} NOK, undiscounted and without the tax-financing cost."),
}
