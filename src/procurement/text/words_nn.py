"""Nynorsk (``nn``) for the words and sentences a municipality decision paper uses.

Papers to municipalities whose written standard is nynorsk (språklova § 11) are in nynorsk; the rest of the
workbench writes bokmål and English. Only the keys a paper uses are here, and :func:`procurement.text.labels.label`
and :func:`procurement.text.sentences.sentence` refuse a key in ``nn`` that has no nynorsk text, rather than mix in
bokmål unseen; a test checks that every key of :mod:`procurement.text.words_papers` has its nynorsk text here.
Names from the case files (options, groups) have no nynorsk field and are shown as the bokmål file gives them.
"""

from __future__ import annotations

LABELS: dict[str, str] = {
    "paper.title": "{name} kommune: tilslutning til felles journalløysing",
    "paper.kicker": "Saksframlegg",
    "paper.municipality": "Kommune",
    "paper.county": "Fylke",
    "paper.population": "Innbyggjarar",
    "paper.cluster": "Klynge",
    "paper.written_standard": "Målform",
    "paper.prepared": "Utarbeidd",
    "paper.case": "Sak",
    "paper.scenario": "Scenario",
    "paper.period": "Periode",
    "paper.join": "Slutte seg til: {name}",
    "paper.join_short": "Slutte seg til",
    "paper.stay_out_short": "Stå utanfor",
    "paper.stay_out": "Stå utanfor (0-alternativet)",
    "paper.difference": "Skilnad",
    "paper.per_inhabitant": "Per innbyggjar (kr)",
    "paper.payment_knok": "Betaling (1000 kr)",
    "paper.fig_title": "{name}: betaling per år, faste {year}-kroner",
    "paper.fig_y": "1000 kr per år",
    "paper.fig_x": "År",
    "paper.standard.nn": "nynorsk",
    "paper.standard.nb": "bokmål",
    "paper.standard.neutral": "språkleg nøytral",
    "paper.standard.": "ikkje avklart",
    "paper.index_title": "Saksframlegg for kommunane: {case}",
    "paper.index_intro": "Eitt saksframlegg per kommune i den nasjonale løysinga. Klikk på ei kolonneoverskrift for "
                         "å sortere.",
    "paper.index_paper": "Saksframlegg",
    "paper.col.kommunenummer": "Kommunenr.",
    "paper.col.payment_total": "Betaling i alt (1000 kr)",
    "paper.col.payment_per_inhabitant": "Per innbyggjar (kr)",
    "paper.col.zero_total": "Utan tilslutning (1000 kr)",
    "paper.col.difference": "Skilnad (1000 kr)",
    "paper.col.share": "Del av kommunane sin del",
    "paper.col.language": "Språk",
    "paper.col.deadline": "Vedtak seinast",
    "paper.col.status": "Status",
    # reused words of the report
    "illustrative": "Eksempelsaka er illustrativ: skårar og vekter er døme, ikkje offisielle vurderingar.",
}

SENTENCES: dict[str, str] = {
    "paper.leader": "Den nasjonale analysen rangerer **{option:text}** først med {method:method}.",
    "paper.robust": "Med usikre vekter og skårar kjem dette alternativet først i {share:percent0} av "
                    "{samples:number0} trekk.",
    "paper.route": "Anskaffinga skjer ved {procedure:text}; tidlegaste kontraktsignering etter tidslinja er "
                   "{when:date}.",
    "paper.cost_total": "Over heile perioden {first:year}–{last:year} betaler {name:text} {join:money1} for å slutte "
                        "seg til, mot {zero:money1} for å stå utanfor.",
    "paper.cost_cheaper": "Å slutte seg til kostar kommunen {diff:money1} mindre enn å stå utanfor.",
    "paper.cost_dearer": "Å slutte seg til kostar kommunen {diff:money1} meir enn å stå utanfor.",
    "paper.per_inhabitant": "Det er {join:number0} kr per innbyggjar ved tilslutning og {zero:number0} kr utan.",
    "paper.break_even": "For landet er løysinga lønsam når kommunar med minst {share:percent0} av innbyggjarane i "
                        "området til løysinga sluttar seg til (nullpunktet).",
    "paper.break_even_none": "For landet er løysinga ikkje lønsam sjølv om alle kommunane sluttar seg til.",
    "paper.p_above": "Etter oppslutnadsmodellen er sannsynet for at oppslutnaden når nullpunktet {p:percent0}.",
    "paper.condition": "Saka samanliknar med eit vilkår frå ein annan analyse: at kommunar med minst {share:percent0} "
                       "av folketalet tek løysinga i bruk.",
    "paper.own_weight": "{name:text} har {share:percent2} av innbyggjarane i området til løysinga.",
    "paper.cluster": "Kommunen høyrer til klynga {cluster:text} med {count:number0} kommunar og {population:number0} "
                     "innbyggjarar.",
    "paper.neighbours": "Andre kommunar i {county:text} i løysinga: {names:text}.",
    "paper.group_same": "Med vektene til gruppa {group:text} kjem òg **{option:text}** først.",
    "paper.group_other": "Med vektene til gruppa {group:text} kjem **{first:text}** først og det nasjonale valet på "
                         "plass {rank:number0}.",
    "paper.group_none": "Saka har ingen vektprofil for klynga til kommunen.",
    "paper.deadline": "Oppdragsgivarar som skal kunne bruke kontrakten, må vere tydeleg identifiserte i "
                      "konkurransegrunnlaget (EU-domstolen, C-216/17). Kommunestyret må difor vedta tilslutning før "
                      "konkurransen vert kunngjord, etter tidslinja {when:date}.",
    "paper.deadline_past": "Oppdragsgivarar som skal kunne bruke kontrakten, må vere tydeleg identifiserte i "
                           "konkurransegrunnlaget (EU-domstolen, C-216/17). Kunngjeringa var etter tidslinja "
                           "{when:date}, før datoen for dette saksframlegget ({today:date}), så tidslinja må "
                           "oppdaterast før kommunestyret kan vite fristen.",
    "paper.illustrative_case": "Eksempelsaka er illustrativ: skårar, vekter og kontantstraumar er døme, ikkje "
                               "offisielle vurderingar.",
    "paper.illustrative_financing": "Fordelinga mellom betalarane er illustrativ (financing.yaml).",
    "paper.population_source": "Folketal {population:number0} per {date:date} (SSB, tabell 07459).",
    "cba.municipal_key.per_inhabitant":
        "Delen til kommunane vert fordelt etter folketal; {name:text} ber {share:percent2} av denne delen.",
    "cba.municipal_key.fixed_plus_per_inhabitant":
        "Delen til kommunane vert fordelt med {fixed:percent0} likt på dei {members:number0} kommunane og resten "
        "etter folketal; {name:text} ber {share:percent2} av denne delen.",
    "cba.municipal_key.by_use":
        "Delen til kommunane vert fordelt etter folketal gonger bruksindeksen til klynga; {name:text} ber "
        "{share:percent2} av denne delen.",
    "cba.municipal_zero":
        "Utan tilslutning betaler kvar kommune sitt eige system; {name:text} ber kostnadene i 0-alternativet etter "
        "sin del av innbyggjarane ({share:percent2} av {population:number0}).",
    "cba.municipal_prices":
        "Beløpa er i faste {base_year:year}-kroner, utan neddiskontering og utan skattefinansieringskostnad.",
}

#: MCDA method id -> nynorsk name (acronyms are the methods' proper names).
METHODS: dict[str, str] = {
    "wsm": "vekta sum", "wsm-sum": "vekta sum (sumnormalisering)", "wpm": "vekta produkt",
}

#: A procedure's bokmål name (reference procedures.yaml) -> its nynorsk name.
PROCEDURES: dict[str, str] = {
    "Åpen anbudskonkurranse": "Open anbodskonkurranse",
    "Åpen tilbudskonkurranse": "Open tilbodskonkurranse",
    "Begrenset anbudskonkurranse": "Avgrensa anbodskonkurranse",
    "Begrenset tilbudskonkurranse": "Avgrensa tilbodskonkurranse",
    "Konkurranse med forhandling etter forutgående kunngjøring": "Konkurranse med forhandling etter "
                                                                  "førehandskunngjering",
    "Tilbudskonkurranse med forhandling": "Tilbodskonkurranse med forhandling",
    "Konkurransepreget dialog": "Konkurranseprega dialog",
    "Begrenset tilbudskonkurranse med dialog og forhandling": "Avgrensa tilbodskonkurranse med dialog og forhandling",
    "Innovasjonspartnerskap": "Innovasjonspartnarskap",
    "Konkurranse med forhandling uten forutgående kunngjøring": "Konkurranse med forhandling utan "
                                                                 "førehandskunngjering",
    "Anskaffelse uten konkurranse": "Anskaffing utan konkurranse",
    "Dynamisk innkjøpsordning": "Dynamisk innkjøpsordning",
    "Utvidet egenregi": "Utvida eigenregi",
    "Avrop på rammeavtale": "Avrop på rammeavtale",
    "Ingen felles anskaffelse (0-alternativet)": "Inga felles anskaffing (0-alternativet)",
}
