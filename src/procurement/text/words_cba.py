"""Words and sentences of cost-benefit analysis, financing and uptake (cba/), in bokmål and English.

``LABELS``: key -> (bokmål, English) word or header, merged into :data:`procurement.text.labels.LABELS`.
``SENTENCES``: key -> (bokmål, English) template with ``{name:kind}`` fields, merged into
:data:`procurement.text.sentences.SENTENCES` (see that module for the kinds). Keys are prefixed with the part
they belong to (``cba.``); a key defined twice anywhere is an error at import.
"""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    # marks and values in tables
    "cba.screened_out_mark": ("(silt ut)", "(screened out)"),
    "cba.point.expected": ("forventningsverdi", "expected value"),
    "cba.point.likely": ("mest sannsynlig verdi", "most likely value"),
    "cba.positive": ("positive", "positive"),
    "cba.negative": ("negative", "negative"),
    # the report's words for the point estimate, in a sentence
    "cba.point_long.expected": ("forventningsverdien (gjennomsnittet av hvert trepunktsestimat), som R-109 bruker",
                                "the expected value (the mean of each three-point estimate), as R-109 uses"),
    "cba.point_long.likely": ("den mest sannsynlige verdien av hvert trepunktsestimat (ikke forventningsverdien R-109 bruker)",
                              "the most likely value of each three-point estimate (not the expected value R-109 uses)"),
    # a column of the uptake scenarios' table: ΔNPV of one option
    "cba.col.delta_npv_option": ("ΔNNV {name} ({unit})", "ΔNPV {name} ({unit})"),
    # the measures as figures name them (axis and title, inside a phrase)
    "cba.fig.npv": ("nåverdi", "NPV"),
    "cba.fig.incremental_npv": ("ΔNNV", "ΔNPV"),
    "cba.fig.pv_costs": ("nåverdi av kostnader", "PV of costs"),
    "cba.fig.pv_benefits": ("nåverdi av nytte", "PV of benefits"),
    "cba.fig.investment": ("investering", "investment"),
    "cba.category.investment": ("investering", "investment"),
    "cba.category.operations": ("drift", "operations"),
    "cba.category.transition": ("omstilling", "transition"),
    "cba.category.benefit": ("nytte", "benefit"),
    "cba.category.risk": ("risiko", "risk"),
    "cba.fig.residual_value": ("restverdi", "residual value"),
    "cba.fig.net_public_spending": ("netto offentlige utgifter", "net public spending"),
    # the uptake figure
    "cba.fig.uptake_x": ("Andel av befolkningen i kommuner som slutter seg til",
                         "Share of the population in municipalities that join"),
    "cba.fig.uptake_title": ("Netto nåverdi etter hvor mange som slutter seg til", "Net present value by the share that joins"),
    "cba.fig.break_even": ("nullpunkt", "break-even"),
    "cba.fig.uptake_y": ("Netto nåverdi mot 0-alternativet ({unit}, {prices})",
                         "NPV against the 0-alternative ({unit}, {prices})"),
    "cba.fig.prices_year": ("faste {year}-kroner", "real {year} NOK"),
    "cba.fig.prices": ("faste kroner", "real NOK"),
    "cba.fig.condition": ("KS2 av Akson (annen modell): {share}", "KS2 of Akson (another model): {share}"),
    # text values of R-109 parameters
    "cba.value.base_year": ("basisåret", "the base year"),
    "cba.value.first_year": ("første år med kontantstrøm", "the first cash-flow year"),
    "cba.value.net_effects": ("nettovirkninger etter analyseperioden (NOU 2012:16)",
                              "net effects after the period (NOU 2012:16)"),
    "cba.value.linear": ("lineær bokført verdi", "linear book value"),
    "cba.value.none": ("ingen", "none"),
    "cba.value.mean": ("forventningsverdi", "expected value"),
    "cba.value.likely": ("mest sannsynlig verdi", "most likely value"),
    "cba.value.triangular": ("trekantfordeling", "triangular"),
    "cba.value.pert": ("PERT", "PERT"),
    # notes on the break-even share (procurement.cba.uptake)
    "cba.note.not profitable even if every municipality joins": ("ikke lønnsomt selv om alle kommunene blir med",
                                                                 "not profitable even if every municipality joins"),
    "cba.note.profitable at any uptake": ("lønnsomt uansett hvor mange som blir med", "profitable at any uptake"),
    "cba.note.ΔNPV = 0 at this share": ("ΔNNV = 0 ved denne andelen", "ΔNPV = 0 at this share"),
    "cba.note.ΔNPV falls below 0 above this share": ("ΔNNV blir negativ over denne andelen",
                                                     "ΔNPV falls below 0 above this share"),
}

SENTENCES: dict[str, tuple[str, str]] = {
    # what the analysis assumed (procurement.cba.result.CostBenefit.assumptions)
    "cba.reference_zero": (
        "Hvert alternativ måles mot 0-alternativet «{reference}»: ΔNNV er alternativets netto nåverdi minus "
        "0-alternativets, i samme trekk i simuleringen.",
        "Each option is measured against the 0-alternative '{reference}': ΔNPV is the option's NPV minus the "
        "0-alternative's, in the same draw in the simulation.",
    ),
    "cba.reference_best": (
        "Beslutningen har ikke noe 0-alternativ, så hvert alternativ måles mot det med høyest nåverdi, «{reference}»: "
        "ΔNNV er det et annet valg gir fra seg.",
        "The decision has no 0-alternative, so each option is measured against the one with the highest NPV, "
        "'{reference}': ΔNPV is what choosing another option gives up.",
    ),
    "cba.prices": (
        "Beløpene er i {unit} i faste {base_year:year}-priser, neddiskontert til {discount_year:year}.",
        "Amounts are in {unit} of real {base_year:year} prices, discounted to {discount_year:year}.",
    ),
    "cba.analysis_period": (
        "Analyseperioden er {start:year}–{end:year} ({years:number0} år).",
        "The analysis period is {start:year}–{end:year} ({years:number0} years).",
    ),
    "cba.discount_single": (
        "Kalkulasjonsrenten er {rate:percentg} i alle år.",
        "The discount rate is {rate:percentg} in every year.",
    ),
    "cba.discount_band": (
        "Kalkulasjonsrenten er {rate:percentg} for år {first:number0}–{last:number0}.",
        "The discount rate is {rate:percentg} for years {first:number0}–{last:number0}.",
    ),
    "cba.discount_after": (
        "Fra år {first:number0} er kalkulasjonsrenten {rate:percentg}.",
        "From year {first:number0} the discount rate is {rate:percentg}.",
    ),
    "cba.benefit_growth": (
        "Nyttevirkningene får en realprisvekst på {growth:percentg} i året.",
        "Benefits grow in real price by {growth:percentg} a year.",
    ),
    "cba.tax_financing_cost": (
        "Skattefinansieringskostnaden er {tax:percentg} av netto offentlige utgifter.",
        "The tax-financing cost is {tax:percentg} of net public spending.",
    ),
    "cba.public_benefit_share": (
        "{share:percentg} av nytten regnes som kontante besparelser i offentlige budsjetter.",
        "{share:percentg} of the benefits count as cash savings in public budgets.",
    ),
    "cba.benefits_to_society": (
        "Nytten er nytte for samfunnet og reduserer ikke offentlige utgifter.",
        "Benefits are benefits to society and do not reduce public spending.",
    ),
    "cba.residual_net_effects": (
        "Restverdien er nåverdien av nettovirkningene etter analyseperioden (NOU 2012:16), gjennom tiltakets levetid "
        "på {years:number0} år.",
        "The residual value is the present value of the net effects after the analysis period (NOU 2012:16), through "
        "the measure's lifetime of {years:number0} years.",
    ),
    "cba.residual_linear": (
        "Restverdien er investeringenes gjenværende lineært avskrevne verdi ({years:number0} års levetid).",
        "The residual value is the investments' remaining straight-line book value ({years:number0}-year lifetime).",
    ),
    "cba.residual_none": (
        "Analysen regner ingen restverdi: saken dokumenterer ingen levetid ut over analyseperioden (NOU 2012:16 kap. 6).",
        "The analysis counts no residual value: the case documents no lifetime beyond the analysis period "
        "(NOU 2012:16 ch. 6).",
    ),
    "cba.point_expected": (
        "De deterministiske tallene bruker forventningsverdien av hvert trepunktsestimat, som R-109 gjør.",
        "The deterministic numbers use the expected value of each three-point estimate, as R-109 does.",
    ),
    "cba.point_likely": (
        "De deterministiske tallene bruker den mest sannsynlige verdien av hvert trepunktsestimat (ikke "
        "forventningsverdien R-109 bruker).",
        "The deterministic numbers use the most likely value of each three-point estimate (not the expected value "
        "R-109 uses).",
    ),
    "cba.simulation_triangular": (
        "Monte Carlo-simuleringen trekker hvert trepunktsestimat fra en trekantfordeling, {samples:number0} trekk "
        "med frø {seed:text}.",
        "The Monte Carlo simulation draws each three-point estimate from a triangular distribution, "
        "{samples:number0} draws with seed {seed:text}.",
    ),
    "cba.simulation_pert": (
        "Monte Carlo-simuleringen trekker hvert trepunktsestimat fra en PERT-fordeling, {samples:number0} trekk med "
        "frø {seed:text}.",
        "The Monte Carlo simulation draws each three-point estimate from a PERT distribution, {samples:number0} "
        "draws with seed {seed:text}.",
    ),
    "cba.no_simulation": ("Analysen er uten Monte Carlo-simulering.", "The analysis runs no Monte Carlo simulation."),
    "cba.common_full": (
        "Samme trekk av en usikkerhet gjelder alle alternativer og 0-alternativet (felles tilfeldige tall), så en "
        "differanse bærer bare alternativenes egen spredning.",
        "The same draw of an uncertainty drives every option and the 0-alternative (common random numbers), so a "
        "difference carries only the options' own spread.",
    ),
    "cba.common_none": (
        "Hvert alternativ trekkes for seg (ingen felles tilfeldige tall).",
        "Every option is drawn on its own (no common random numbers).",
    ),
    "cba.common_share": (
        "{share:percentg} av hver trekning er felles for alle alternativer og 0-alternativet (felles tilfeldige tall).",
        "{share:percentg} of each draw is shared by every option and the 0-alternative (common random numbers).",
    ),
    "cba.correlation": (
        "Kostnadskategoriene i et alternativ har rangkorrelasjon {rho:numberg}.",
        "The cost categories of an option have a rank correlation of {rho:numberg}.",
    ),
    "cba.no_cashflows": (
        "Beslutningen «{decision}» har ingen kontantstrømmer i cashflows.csv og derfor ingen samfunnsøkonomisk "
        "analyse; resten av rapporten bygger på rangeringen.",
        "The decision “{decision}” has no cash flows in cashflows.csv, so there is no cost-benefit analysis for it; "
        "the rest of the report rests on the ranking.",
    ),
    "cba.effects_matrix_unverified": (
        "Ikke-prissatte virkninger vurderes med pluss-minus-metoden; konsekvensmatrisen er ikke kontrollert mot DFØs "
        "veileder.",
        "Non-priced effects are judged with the plus-minus method; the consequence matrix is not verified in DFØ's "
        "guide.",
    ),
    "cba.effects_matrix_verified": (
        "Ikke-prissatte virkninger vurderes med pluss-minus-metoden (DFØs veileder).",
        "Non-priced effects are judged with the plus-minus method (DFØ's guide).",
    ),
    # who pays, how many must join (procurement.cba.financing.WhoPays)
    "cba.budget_view": (
        "Budsjettvisningen viser hva hver betaler betaler år for år, i faste {base_year:year}-priser, uten "
        "neddiskontering, uten realprisjustering og uten skattefinansieringskostnad (et effektivitetstap i den "
        "samfunnsøkonomiske analysen, ikke en utbetaling). Den samfunnsøkonomiske analysen (nåverdier med "
        "skattefinansieringskostnad etter R-109) er en annen visning; tallene kan ikke legges sammen.",
        "The budget view shows what each payer pays year by year, in fixed {base_year:year} prices, undiscounted, "
        "without real price growth and without the tax-financing cost (an efficiency loss in the welfare analysis, not "
        "a payment). The welfare analysis (present values with the tax-financing cost after R-109) is another view; "
        "the two are never added.",
    ),
    "cba.budget_population": (
        "Beløp per innbygger er delt på befolkningen i kommunene i den nasjonale løsningen, {population:number0}.",
        "Amounts per inhabitant are divided by the population of the national solution's municipalities, "
        "{population:number0}.",
    ),
    "cba.budget_periods": (
        "Summene er per periode på {years:number0} år fra første år, og for hele analyseperioden.",
        "The totals are per period of {years:number0} years from the first year, and for the whole analysis period.",
    ),
    "cba.combined_case": (
        "Den samlede rangeringen av prissatte og ikke-prissatte virkninger er sakens egen vurdering med begrunnelse "
        "({source}); den kan avvike fra rekkefølgen etter ΔNNV.",
        "The overall ranking of priced and non-priced effects is the case's own judgement with its reasons ({source}); it "
        "can differ from the ΔNPV order.",
    ),
    "cba.combined_npv_order": (
        "Saken gir ingen samlet rangering av prissatte og ikke-prissatte virkninger (assessment.yaml), så alternativene "
        "står i rekkefølge etter ΔNNV; den rekkefølgen er ikke DFØs samlede vurdering, som rådgiveren må gjøre.",
        "The case gives no overall ranking of priced and non-priced effects (assessment.yaml), so the options are in ΔNPV "
        "order; that order is not DFØ's combined assessment, which the advisor must make.",
    ),
    "cba.drivers": (
        "Tabellen viser hver gruppe av trepunktsestimater (ett alternativs kategori, alle år) som flytter et alternativs "
        "ΔNNV mot «{reference}» med mer enn {threshold:percent0} av den når den står på lav eller høy verdi, med "
        "kilden kontantstrømmene oppgir; «illustrativ» betyr at kilden selv kaller tallet en vurdering.",
        "The table shows each group of three-point estimates (one option's category, all years) that moves an option's "
        "ΔNPV against '{reference}' by more than {threshold:percent0} of it at its low or high value, with the source the "
        "cash flows give; 'illustrative' means the source itself calls the figure a judgement.",
    ),
    "cba.payer_tax_cost": (
        "Hver offentlige betaler belastes en skattefinansieringskostnad på {tax:percentg} av sine netto utgifter.",
        "Each public payer is charged a tax-financing cost of {tax:percentg} of its net spending.",
    ),
    "cba.uptake_condition": (
        "Til sammenligning, fra en annen modell: kvalitetssikringen (KS2) av Akson fant tiltaket lønnsomt om kommuner "
        "med minst {share:percent0} av befolkningen tar løsningen i bruk ({citation_nb}). Denne analysens nødvendige "
        "andel under er regnet i denne modellen og står for seg selv.",
        "For comparison, from another model: the quality assurance (KS2) of Akson found it profitable if municipalities "
        "with at least {share:percent0} of the population take it into use ({citation}). This analysis's break-even "
        "share below is computed in this model and stands on its own.",
    ),
    "cba.uptake_condition_unverified": (
        "Til sammenligning, fra en annen modell: kvalitetssikringen (KS2) av Akson fant tiltaket lønnsomt om kommuner "
        "med minst {share:percent0} av befolkningen tar løsningen i bruk ({citation_nb}; ikke kontrollert i kilden). "
        "Denne analysens nødvendige andel under er regnet i denne modellen og står for seg selv.",
        "For comparison, from another model: the quality assurance (KS2) of Akson found it profitable if municipalities "
        "with at least {share:percent0} of the population take it into use ({citation}; not verified in the source). "
        "This analysis's break-even share below is computed in this model and stands on its own.",
    ),
    "cba.no_financing_model": (
        "financing.yaml har ingen finansieringsmodell for beslutningen «{decision}».",
        "financing.yaml has no financing model for decision '{decision}'.",
    ),
    "cba.no_uptake_without_zero": (
        "Beslutningen «{decision}» har ikke noe 0-alternativ «{zero}», så det er ingen analyse av hvor mange kommuner "
        "som må bli med.",
        "Decision '{decision}' has no 0-alternative '{zero}', so there is no analysis of how many municipalities must "
        "join.",
    ),
    # the report's own sentences (procurement.report.sections.cba); names are escaped before they go in
    "cba.text.reference_zero": (
        "Hvert alternativ måles mot 0-alternativet (ΔNNV = alternativets netto nåverdi minus 0-alternativets, i samme "
        "trekk i simuleringen). De deterministiske tallene bruker {point}.",
        "Each option is measured against the 0-alternative (ΔNPV = the option's NPV minus the 0-alternative's, in the "
        "same draw in the simulation). The deterministic numbers use {point}.",
    ),
    "cba.text.reference_best": (
        "Beslutningen har ikke noe 0-alternativ (ett av alternativene gjennomføres uansett), så hvert alternativ måles "
        "mot det med høyest nåverdi, «{reference}»: ΔNNV er det et annet valg gir fra seg. De deterministiske tallene "
        "bruker {point}.",
        "This decision has no 0-alternative (some option is carried out in every case), so each option is measured "
        "against the one with the highest NPV, “{reference}”: ΔNPV is what choosing another option gives up. The "
        "deterministic numbers use {point}.",
    ),
    "cba.text.absolute_note": (
        "Kostnadene telles fullt ut (alle alternativer, også 0-alternativet, driver journalsystemer), mens nytten "
        "telles mot 0-alternativet. En absolutt nåverdi er derfor som regel negativ og sier lite alene; forskjellen "
        "mellom to alternativers nåverdi er deres ΔNNV. P(best) er sannsynligheten for at et alternativ har høyest "
        "nåverdi i et trekk.",
        "Costs are counted in full (every option, the 0-alternative too, runs record systems), while benefits are "
        "counted against the 0-alternative. An absolute NPV is therefore usually negative and means little alone; the "
        "difference between two options' NPVs is their ΔNPV. P(best) is the probability that an option has the "
        "highest NPV in a draw.",
    ),
    "cba.text.frames_note": (
        "Styringsramme = P50 og kostnadsramme = P85 av investeringsestimatet (summen av investeringsradene, faste "
        "priser, ikke neddiskontert), som i statens prosjektmodell (KS2). Nåverdien av livsløpskostnadene "
        "(investering, drift, omstilling og risiko i analyseperioden) står ved siden av med sine egne P50/P85; den er "
        "ikke en kostnadsramme.",
        "Steering frame = P50 and cost frame = P85 of the investment estimate (the sum of the investment rows, real "
        "prices, not discounted), as in the state project model (KS2). The present value of life-cycle costs "
        "(investment, operations, transition and risk over the analysis period) is shown beside them with its own "
        "P50/P85; it is not a cost frame.",
    ),
    "cba.text.combined_note": (
        "Samlet rangering følger ΔNNV (de prissatte virkningene); pluss-minus-tegnene gjøres ikke om til kroner. Der et "
        "alternativs ikke-prissatte virkninger er bedre enn for alternativet rangert over, står det i begrunnelsen: der "
        "må rådgiveren vurdere om de ikke-prissatte virkningene veier opp forskjellen i ΔNNV.",
        "The overall ranking follows ΔNPV (the priced effects); the plus-minus signs are not turned into money. Where "
        "an option's non-priced effects are better than those of the option ranked above it, the reasoning says so: "
        "that is where the advisor must judge whether the non-priced effects outweigh the difference in ΔNPV.",
    ),
    "cba.text.finding_best": (
        "Høyest netto nåverdi: **{reference}**; nest best, {name}, gir fra seg {amount} ({point}); sannsynligheten for "
        "at det slår {reference}, er {p}.",
        "Highest NPV: **{reference}**; the next best, {name}, gives up {amount} ({point}); the probability that it "
        "beats {reference} is {p}.",
    ),
    "cba.text.finding_zero": (
        "Høyest ΔNNV mot 0-alternativet blant de åpne alternativene: **{name}**, {amount} ({point}); P(ΔNNV > 0) = {p}; "
        "netto nytte per budsjettkrone på tilleggene {per}.",
        "Highest ΔNPV against the 0-alternative among the open options: **{name}**, {amount} ({point}); "
        "P(ΔNPV > 0) = {p}; net benefit per budget krone on the increments {per}.",
    ),
    "cba.text.signs": ("{plus} positive, {minus} negative", "{plus} positive, {minus} negative"),
    "cba.text.signs_strongest": ("{plus} positive, {minus} negative; sterkest: {words}",
                                 "{plus} positive, {minus} negative; strongest: {words}"),
    "cba.text.reason_priced": ("ΔNNV {amount:number0} {unit}, P(ΔNNV > 0) = {p}",
                               "ΔNPV {amount:number0} {unit}, P(ΔNPV > 0) = {p}"),
    "cba.text.reason_non_priced": ("ikke-prissatte virkninger {plus} positive og {minus} negative",
                                   "non-priced effects {plus} positive and {minus} negative"),
    "cba.text.reason_better_than_above": (
        "de ikke-prissatte virkningene er bedre enn for «{above}» over: vurder om de veier opp forskjellen i ΔNNV",
        "its non-priced effects are better than those of “{above}” ranked above: weigh whether they outweigh the "
        "difference in ΔNPV",
    ),
    "cba.text.reason_screened": ("silt ut av et ufravikelig krav, så ikke et åpent løp",
                                 "screened out by a must-pass rule, so not an open route"),
    "cba.text.no_budget": (
        "Saken har ingen financing.yaml for denne beslutningen, så rapporten viser ingen budsjettvisning.",
        "The case has no financing.yaml for this decision, so the report shows no budget view.",
    ),
    "cba.text.no_who_pays_files": (
        "Saken har ikke financing.yaml, uptake.yaml og municipalities.csv, så rapporten viser ikke hvem som betaler "
        "eller hvor mange som må bli med.",
        "The case has no financing.yaml, uptake.yaml and municipalities.csv, so the report does not show who pays or "
        "how many must join.",
    ),
    "cba.text.no_financing": ("financing.yaml har ingen finansieringsmodell for denne beslutningen.",
                              "financing.yaml has no financing model for this decision."),
    "cba.text.no_uptake": (
        "Beslutningen har ikke noe 0-alternativ, så det er ingen analyse av hvor mange kommuner som må bli med.",
        "The decision has no 0-alternative, so there is no analysis of how many municipalities must join.",
    ),
    "cba.text.population": ("Befolkningen i den nasjonale løsningen er {population:number0} innbyggere.",
                            "The national solution serves {population:number0} inhabitants."),
    "cba.text.illustrative": ("Fordelingen og oppslutningsscenarioene er illustrative.",
                              "The split and the uptake scenarios are illustrative."),
    "cba.text.never_pays_off": ("{name} er ikke lønnsomt i denne modellen selv om alle kommunene blir med.",
                                "{name} is not profitable in this model even if every municipality joins."),
    "cba.text.pays_off_within": (
        "I denne modellen er {name} lønnsomt når kommuner med minst {share:percent1} av befolkningen blir med (under de "
        "{condition:percent0} KS2 av Akson oppga, en annen modell).",
        "In this model {name} pays off when municipalities with at least {share:percent1} of the population join (below "
        "the {condition:percent0} the KS2 of Akson gave, another model).",
    ),
    "cba.text.pays_off_above": (
        "I denne modellen er {name} lønnsomt når kommuner med minst {share:percent1} av befolkningen blir med (over de "
        "{condition:percent0} KS2 av Akson oppga, en annen modell).",
        "In this model {name} pays off when municipalities with at least {share:percent1} of the population join (above "
        "the {condition:percent0} the KS2 of Akson gave, another model).",
    ),
    "cba.text.public_share": (
        "Det offentlige bærer {public:percent0} av nåverdien av kostnadene for {name}: {parts}.",
        "The public sector carries {public:percent0} of the PV of {name}'s costs: {parts}.",
    ),
    "cba.text.public_share_illustrative": (
        "Det offentlige bærer {public:percent0} av nåverdien av kostnadene for {name} (illustrativ fordeling): {parts}.",
        "The public sector carries {public:percent0} of the PV of {name}'s costs (illustrative split): {parts}.",
    ),
    "cba.text.payer_share": ("{payer} {share:percent0}", "{payer} {share:percent0}"),
    "cba.text.conditional": ("{option} † går videre bare på vilkår: {condition} ({citation}).",
                             "{option} † passes only on a condition: {condition} ({citation})."),
    "cba.text.conditional_lead": ("{option} † går videre bare på vilkår: {condition} ({citation}; ledetid {months:number0} "
                                  "måneder).",
                                  "{option} † passes only on a condition: {condition} ({citation}; lead time "
                                  "{months:number0} months)."),
}
