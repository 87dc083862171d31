"""The example case's municipalities.csv against its cited figures.

Independent of the code: the ids below are typed from helseplattformen.no's rollout plan and news pages (see the
file's header and /work/research/cba/findings.md § 2), the totals from SSB's published population on
1 January 2024 (5,550,203, ssb.no «Befolkning») and the sum of the 67 on the plan (756,870).
"""

from __future__ import annotations

from pathlib import Path

from procurement.cba.uptake import national, read_municipalities

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "national-municipal-solution"

#: Live by 27 April 2024 (28): «Med denne innføringen er ... 28 midtnorske kommuner påkoblet Helseplattformen».
LIVE_2024 = {
    "5001",  # Trondheim, 7 May 2022
    "5058", "5054", "5057", "5026", "3430", "5025",  # Nov 2022: Åfjord, Indre Fosen, Ørland, Holtålen, Os, Røros
    "5038", "5037",  # Feb 2023: Verdal, Levanger
    "1508",  # Ålesund, 28 April 2023 («kommune nummer ti»)
    "1505", "1579", "1506", "1539", "1547", "1535", "1578", "5061", "1531",  # Nov 2023: Kristiansund ... Sula
    "1580",  # Haram, from its split from Ålesund on 1 January 2024
    "5022", "5028", "5033", "5032", "1511", "5021", "5027", "5029",  # 27 April 2024
}
#: Scheduled on the plan (39): Nov 2024, April 2025, October 2025 (with Bindal), April 2026.
PLANNED = {
    "1573", "1554", "1576", "5055", "1566", "1563", "1560", "1557", "5056", "5014",
    "1516", "1577", "1515", "1528", "1525", "1517", "1514", "1520", "1532",
    "1811", "5052", "5044", "5060", "5042", "5020", "5047", "5045", "5046", "5043", "5049", "5007",
    "5035", "5034", "5036", "5006", "5053", "5041", "5031", "5059",
}


def test_helseplattformen_set_is_the_cited_67():
    m = read_municipalities(EXAMPLE / "municipalities.csv")
    outside = set(m.index[~m["in_national_solution"]])
    assert len(LIVE_2024) == 28 and len(PLANNED) == 39
    assert outside == LIVE_2024 | PLANNED
    # every municipality of Trøndelag and Møre og Romsdal, plus Bindal (Nordland) and Os (Innlandet)
    counties = m.loc[sorted(outside), "county"].value_counts().to_dict()
    assert counties == {"Trøndelag": 38, "Møre og Romsdal": 27, "Nordland": 1, "Innlandet": 1}
    assert m.loc["1811", "name"] == "Bindal" and m.loc["3430", "name"] == "Os"
    assert set(m.loc[sorted(LIVE_2024), "helseplattformen_status"]) == {"live"}
    assert set(m.loc[sorted(PLANNED), "helseplattformen_status"]) == {"planned"}
    assert all("helseplattformen.no" in s or "kommune.no" in s for s in m.loc[sorted(outside), "helseplattformen_source"])


def test_population_totals_match_the_cited_figures():
    m = read_municipalities(EXAMPLE / "municipalities.csv")
    assert len(m) == 357
    assert int(m["population"].sum()) == 5_550_203  # SSB, population 1 January 2024
    assert set(m["population_date"]) == {"2024-01-01"}
    assert int(m.loc[~m["in_national_solution"], "population"].sum()) == 756_870  # «cirka 750 000» in Midt-Norge
    nat = national(m)
    assert len(nat) == 290 and int(nat["population"].sum()) == 5_550_203 - 756_870


def test_the_header_cites_the_lists():
    head = [line for line in (EXAMPLE / "municipalities.csv").read_text(encoding="utf-8").splitlines()
            if line.startswith("#")]
    text = " ".join(head)
    for cite in ("ssb.no/en/statbank/table/07459", "5,550,203", "helseplattformen.no/nar-kommer-helseplattformen",
                 "34 av 67 kommuner"):
        assert cite in text
