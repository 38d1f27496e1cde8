"""Build the default Canada-Korea dataset (the CSV tables in ``data/``).

Run from the repository root::

    .venv/bin/python data/scripts/build_dataset.py

The CSV files are the dataset; this script records how every derived number
was computed from the sourced figures (each cited by its id in
``data/sources.csv``) so that a change of one input can be propagated. Editing a CSV by hand and then
re-running this script overwrites the edit: change the script instead.

Conventions: tonnes of contained element (t) inside the model, GWh for cells,
battery packs and eol batteries, t of product for pCAM, CAM and magnets (their
element content is in ``commodity_content.csv``). Every row has ``source`` (an
id of ``sources.csv``) or ``assumption`` with the reasoning in ``note``.
"""

from __future__ import annotations

import csv
import math
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
sys.path.insert(0, str(ROOT))
from mfa.inputs.tables import TABLES  # noqa: E402  (the schema: column order)

A = "assumption"
T: dict[str, list[dict]] = defaultdict(list)


def add(table: str, **row) -> None:
    T[table].append(row)


# ---------------------------------------------------------------------------
# Stoichiometry (IUPAC/CIAAW standard atomic weights)
# ---------------------------------------------------------------------------
AW = dict(Li=6.94, Ni=58.693, Co=58.933, Mn=54.938, O=15.999, H=1.008, Fe=55.845, P=30.974, W=183.84)
LI_IN_LIOH_H2O = 0.1654   # CIAAW: 6.94 / 41.96
LI_IN_LCE = 0.1879
LI_IN_LI2O = 0.4645
LI_IN_SC6 = 0.0279
NI_IN_NISO4_6H2O = 0.2233
CO_IN_COSO4_7H2O = 0.2097
CO_IN_COSO4 = 0.3802
MN_IN_MNSO4_H2O = 0.3251
NDPR_IN_OXIDE = 0.850
DY_IN_DY2O3 = 0.871
REO_TO_METAL = 0.85
W_IN_WO3 = AW["W"] / (AW["W"] + 3 * AW["O"])


def nmc(x_ni, x_mn, x_co):
    metals = x_ni * AW["Ni"] + x_mn * AW["Mn"] + x_co * AW["Co"]
    cam = AW["Li"] + metals + 2 * AW["O"]
    pcam = metals + 2 * (AW["O"] + AW["H"])
    return dict(
        cam_Li=AW["Li"] / cam, cam_Ni=x_ni * AW["Ni"] / cam, cam_Mn=x_mn * AW["Mn"] / cam,
        cam_Co=x_co * AW["Co"] / cam, pcam_per_cam=pcam / cam,
        pcam_Ni=x_ni * AW["Ni"] / pcam, pcam_Mn=x_mn * AW["Mn"] / pcam, pcam_Co=x_co * AW["Co"] / pcam,
    )


STO = {"NMC811": nmc(0.8, 0.1, 0.1), "NMC622": nmc(0.6, 0.2, 0.2)}
LFP_LI = AW["Li"] / (AW["Li"] + AW["Fe"] + AW["P"] + 4 * AW["O"])

# BatPaC 5.1 default cell designs, kg element per kWh = t per GWh (Busch et al. 2024 tabulation)
BATPAC = {
    "NMC811": dict(Li=99.8, Ni=658.4, Co=82.6, Mn=77.0, C=924.1, Cu=369.5),
    "NMC622": dict(Li=110.2, Ni=546.3, Co=182.8, Mn=170.4, C=909.6, Cu=388.4),
    "LFP": dict(Li=91.5, Ni=0.0, Co=0.0, Mn=0.0, C=984.6, Cu=551.1),
}
CHEMS = ["NMC811", "NMC622", "LFP"]
CELL_SCRAP = 0.02     # NA downstream scrap 2.34 % (2025) -> 1.51 % (2030+), Busch et al. 2025; one value (process_io has no year)
CAM_LOSS = 0.03       # NA midstream scrap 4.38 % -> 2.83 %, treated as a net loss
ELECTROLYTE_LI = 2.5  # t Li/GWh in LiPF6: BatPaC Li minus CAM Li (NMC811 2.5, NMC622 2.5)

CAM_PER_GWH = {c: BATPAC[c]["Ni"] / STO[c]["cam_Ni"] for c in ("NMC811", "NMC622")}
CAM_PER_GWH["LFP"] = (BATPAC["LFP"]["Li"] - ELECTROLYTE_LI) / LFP_LI
CAM_LI = {"NMC811": STO["NMC811"]["cam_Li"], "NMC622": STO["NMC622"]["cam_Li"], "LFP": LFP_LI}
BM_YIELD = 0.95       # EverBatt 2023 pre-processing: 95 % of CAM, graphite and carbon black go into the black mass
FOIL_TO_BM = 0.05     # EverBatt 2023: about 5 % of the binder and of the Cu/Al foils go with the black mass
FOIL_RECOVERY = 0.90  # EverBatt 2023: 90 % of Al, Cu and steel recovered as scrap at pre-processing
BM_PER_GWH = {c: BM_YIELD * (CAM_PER_GWH[c] + BATPAC[c]["C"]) for c in CHEMS}  # black mass t/GWh (EverBatt 2023: 95 % of CAM+graphite)
# element content of black mass (t per t): 95 % of the cell's Li, Ni, Co, Mn and graphite, 5 % of its Cu
BM_CONTENT = {c: {el: (FOIL_TO_BM if el == "Cu" else BM_YIELD) * v / BM_PER_GWH[c] for el, v in BATPAC[c].items() if v > 0} for c in CHEMS}
# cell specific energy 2020, mean (min-max) in kWh/kg cell, and the battery-management (BoP) mass share of a pack
# (hasselwander2023, as transcribed in premise_lci): NMC811 0.28 (0.24-0.34), 29 %; NMC622 0.24 (0.20-0.28), 27 %;
# LFP 0.16 (0.14-0.19), 27 %
CELL_KWH_PER_KG = {"NMC811": 0.28, "NMC622": 0.24, "LFP": 0.16}
CELL_T_PER_GWH = {c: 1000 / CELL_KWH_PER_KG[c] for c in CHEMS}
BOP_SHARE = {"NMC811": 0.29, "NMC622": 0.27, "LFP": 0.27}
PACK_PER_CELL = {c: 1 / (1 - BOP_SHARE[c]) for c in CHEMS}  # t of pack per t of cells
CELL_RANGE = {"NMC811": "0.24-0.34", "NMC622": "0.20-0.28", "LFP": "0.14-0.19"}

# magnets: 31.5 wt% REE (Yang 2017), Dy(+Tb) about 4 % (Heim & Vander Wal 2023)
MAG_HREE = 0.04
MAG_NDPR = 0.315 - MAG_HREE
MAG_SCRAP = 0.25      # manufacturing scrap, within the 6-73 % range (Metals 2023)
MAG_PER_GWH_EV = 13.3  # t magnet per GWh of EV battery: 1 kg per vehicle [U] / 75 kWh mean pack

EUR_USD = 1.08  # USD per EUR (about the 2023-2024 average), used only to restate EUR capex in USD
LB_PER_T = 2204.62  # pounds per tonne
SHORT_TON_T = 0.90718  # tonnes per short ton
FX_KRW = 1320.0  # KRW per USD (about the 2022-2023 average), used only to restate KRW capex in USD


def r(x, n=4):
    if x == 0:
        return 0
    return float(f"{x:.{n}g}")


# ---------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------
SOURCES = [
    ("usgs_mcs2025", "U.S. Geological Survey", "Mineral Commodity Summaries 2025 - World Data Release (MCS2025_World_Data.csv)", 2025, "PROD_2023, PROD_EST_2024, RESERVES_2024", "https://doi.org/10.5066/P13XCP3R", "mine and plant production 2023/2024 and reserves by country (Li, Co, Ni, graphite, Mn, Cu, REO, Ga, W, Si)"),
    ("usgs_mcs2025_ree", "U.S. Geological Survey", "Mineral Commodity Summaries 2025 - Rare Earths", 2025, "salient statistics, prices", "https://doi.org/10.3133/mcs2025", "Nd oxide, Dy oxide, Tb oxide prices 2023-2024"),
    ("iea_cm_explorer", "International Energy Agency", "Critical Minerals Data Explorer (2023 vintage, base year 2022), as compiled in robyistrate/decarbonization_LIB_raw_materials", 2023, "clean-technology demand by scenario", "https://www.iea.org/data-and-statistics/data-tools/critical-minerals-data-explorer", "world clean-tech Li demand STEPS and APS 2022-2050 used as growth indices"),
    ("iea_gcmo2024", "International Energy Agency", "Global Critical Minerals Outlook 2024", 2024, "refining shares; total demand 2023", "https://www.iea.org/reports/global-critical-minerals-outlook-2024", "refining shares (Ni, REE), world demand 2023 (as reported by secondary sources)"),
    ("iea_gcmo2025", "International Energy Agency", "Global Critical Minerals Outlook 2025", 2025, "refining shares 2024", "https://www.iea.org/reports/global-critical-minerals-outlook-2025", "China shares of Li refining (~70 %), refined Co (~80 %), battery-grade graphite (>90 %) (via Argus)"),
    ("iea_recycling2024", "International Energy Agency", "Recycling of Critical Minerals", 2024, "GHG of recycled vs primary", "https://www.iea.org/reports/recycling-of-critical-minerals", "recycled material about 80 % lower GHG than primary"),
    ("visualcapitalist_refining", "Visual Capitalist (using USGS and IEA data)", "Refining shares of battery minerals", 2023, "infographic", "https://www.visualcapitalist.com/", "Li chemicals China 65 % / Chile 29 %; refined Co China 74 % Finland 10 % Canada 4 % (2022)"),
    ("benchmark_cam2025", "Benchmark Mineral Intelligence", "Infographic: Regional trends in cathode production capacity", 2025, "infographic", "https://www.benchmarkminerals.com/", "China 87 % of CAM capacity (2024)"),
    ("busch2024", "Busch P. et al.", "Critical-Minerals-EV replication repository (lithium demand and recycling); BatPaC 5.1 intensities as tabulated", 2024, "Parameters/Demand_Region.csv; intensity table", "https://github.com/pmbusch/Critical-Minerals-EV", "BatPaC 5.1 kg element per kWh by chemistry; cathode scrap 4 %; CA/KR Li demand"),
    ("busch2025", "Busch P. et al.", "Nature Sustainability (2025) lithium supply; Data S2 deposit database; lifetimes", 2025, "Data S2; model settings", "https://doi.org/10.1038/s41893-025-01561-5", "Li mining/refining opex and capex medians; EV battery lifetime 15 y (sd 4); stationary 20 y; laptop battery Weibull"),
    ("busch2025_na", "Busch P. et al.", "EoL-LIB-NorthAmerica replication repository (North American recycling capacity, scrap rates)", 2025, "announced capacity; scrap rates", "https://github.com/pmbusch/EoL-LIB-NorthAmerica", "Canada pre-processing and black-mass refining capacity 2025-2032; NA cell scrap 2.34->1.51 %, CAM scrap 4.38->2.83 %; Canada consumer-electronics Li-ion demand 2.41 (2025), 2.85 (2030), 3.56 (2035), 4.26 GWh (2040-2050) (Inputs/consumerElectronics.csv: RMI baseline x 2024 GDP share); stationary-storage rule 20 % of added solar+wind power x 4 h (Scripts/Prepare Data/01b-Sales_Stationary.R)"),
    ("busch_etm", "Busch P. et al. (submitted)", "ETM-Regional-Sufficiency-Circularity repository, Inputs/Processed/battery_size_country.csv (EV Volumes basis)", 2025, "battery_size_country.csv", "https://github.com/pmbusch/ETM-Regional-Sufficiency-Circularity", "BEV sales (units, GWh) Canada and Korea 2015-2024; PHEV units 2015-2022; mean pack sizes"),
    ("everbatt2019", "Argonne National Laboratory", "EverBatt: A Closed-loop Battery Recycling Cost and Environmental Impacts Model (Dai et al., ANL-19/16)", 2019, "Tables 10, 12, 18", "https://publications.anl.gov/anlpubs/2019/07/153050.pdf", "recovery by route (Table 12), energy per kg recycled (Table 10), CAM inputs (Table 18), plant life 10 y"),
    ("everbatt2023", "Argonne National Laboratory", "EverBatt 2023 model workbook (default formulas)", 2023, "pre-processing and recovery sheets; price sheet", "https://www.anl.gov/amd/everbatt", "pre-processing 95 % CAM to black mass, 90 % foil recovery; hydro 98 % Ni/Co/Mn, 90 % Li; default prices"),
    ("istrate2024", "Istrate R. et al.", "Decarbonizing lithium-ion battery primary raw materials supply chain, Joule; LCI workbook robyistrate/decarbonization_LIB_raw_materials", 2024, "LCI workbook; results file", "https://github.com/robyistrate/decarbonization_LIB_raw_materials", "feed, electricity, heat and water per kg LiOH, Li2CO3, NiSO4, CoSO4, graphite; cradle-to-gate GHG"),
    ("ipcc2006", "IPCC", "2006 IPCC Guidelines for National Greenhouse Gas Inventories, Vol. 2 Energy, Ch. 2 Stationary Combustion", 2006, "Table 2.2 default CO2 emission factors", "https://www.ipcc-nggip.iges.or.jp/public/2006gl/vol2.html", "CO2 per TJ: natural gas 56.1 t, other bituminous coal 94.6 t, gas/diesel oil 74.1 t, petroleum coke 97.5 t"),
    ("ciaaw", "IUPAC Commission on Isotopic Abundances and Atomic Weights", "Standard atomic weights", 2021, "table of standard atomic weights", "https://www.ciaaw.org/atomic-weights.htm", "stoichiometric conversion factors (computed in data/scripts/build_dataset.py)"),
    ("kcs_argus2025", "Argus Media (Korea Customs Service data)", "South Korea's lithium imports fall in 2024", 2025, "news article, Jan 2025", "https://www.argusmedia.com/", "Korea LiOH+Li2O imports 101,447 t (2024) by origin; Li2CO3 imports 26,965 t by origin"),
    ("kita2024", "Korea International Trade Association (via BusinessKorea/Yonhap)", "Korea critical mineral import dependence", 2024, "news, 13 Mar 2024", "https://www.businesskorea.co.kr/", "LiOH+Li2O import value shares China 79.6 %, Chile 17.5 % (2023); NdFeB magnets 84.7 % China, 14.3 % Philippines (2023)"),
    ("kita2023", "Korea International Trade Association (via Dong-A Ilbo)", "Korea's import dependence on China for battery minerals, 2022", 2023, "news, 24 Jan 2023", "https://www.donga.com/en/", "import value shares from China 2022: LiOH+Li2O 87.9 %, cobalt oxide+hydroxide 72.8 %, graphite 93.9 %"),
    ("motie_graphite2023", "Ministry of Trade, Industry and Energy of Korea (via Fastmarkets)", "China grants graphite export approval to South Korea but concerns remain", 2024, "news, Jan 2024", "https://www.fastmarkets.com/?p=42729", "Korea imported about US$241 M of artificial and natural graphite in 2022, 93.7 % of it from China"),
    ("kr_rare_metals2024", "Korean government data on managed rare metals (via a secondary Chinese-language summary, reportify.ai) [U]", "Import shares from China of managed rare metals and battery materials, 2024", 2024, "summary table [U]", "https://reportify.ai/", "shares from China 2024: natural graphite 97.6 %, synthetic graphite 98.8 %, precursor (pCAM) 94.1 %, nickel hydroxide 96.4 % (uncertain: secondary summary)"),
    ("nrcan_facts2024", "Natural Resources Canada", "Minerals and metals facts: nickel, cobalt and graphite", 2024, "facts pages (key facts, production)", "https://natural-resources.canada.ca/minerals-mining/mining-data-statistics-and-analysis/minerals-metals-facts", "Canada nickel in concentrate 158,668 t (2023); cobalt in concentrate 3,063 t (2022); natural graphite 13,597 t (2022) and 4,261 t (2023)"),
    ("peters2003", "Peters M.S., Timmerhaus K.D., West R.E.", "Plant Design and Economics for Chemical Engineers, 5th ed., McGraw-Hill", 2003, "Ch. 6 Cost estimation, p. 203 and Table 25 (maintenance and repairs)", "https://digilib.universitaspertamina.ac.id/ebook/Plant%20design%20and%20economics%20for%20chemical%20engineers/files/basic-html/page232.html", "maintenance and repairs about 6 % of fixed-capital investment a year on average (2-6 % simple processes, up to 20 % of equipment cost in severe service); at a 50 % operating rate 75 % of the full-rate cost"),
    ("nrel_second_use", "National Renewable Energy Laboratory (via Carnegie Mellon Mobility21)", "Battery second use offsets electric vehicle expenses, improves grid stability", 2016, "news summary of NREL battery second-use studies", "http://mobility21.cmu.edu/battery-second-use-offsets-electric-vehicle-expenses-improves-grid-stability/", "batteries retain about 70 % of initial capacity after about 15 years in vehicles and can operate about 10 more years in second use (NREL degradation model)"),
    ("kr_eeev_act", "Ministry of Environment of Korea (IEA Policies database 16960; MoE press release Sep 2025)", "Act on Resource Circulation of Electrical and Electronic Equipment and Vehicles (EEEV Act), enforcement ordinance 2019, amended 2021", 2023, "policy summary; press release on used EV batteries", "https://www.iea.org/policies/16960-act-on-resource-circulation-of-electrical-and-electronic-equipment-and-vehicles-eeev-act", "extended producer responsibility for waste electrical equipment and vehicles incl. EV batteries; batteries of EVs subsidised before 2021 must be returned to government and are evaluated and sold for reuse or recycling; collection centres run by the Korea Environment Corporation"),
    ("qc_epr2021", "Government of Quebec (via CTV News)", "Quebec to impose new recycling measures on electric vehicle batteries", 2021, "news, 14 Oct 2021", "https://montreal.ctvnews.ca/quebec-to-impose-new-recycling-measures-on-electric-vehicle-batteries-pharmaceuticals-1.5623600", "extended producer responsibility with minimum recovery and recycling rates for EV batteries under the Regulation respecting the recovery and reclamation of products by enterprises (Q-2, r. 40.1); first such rule in North America"),
    ("kcci2022", "Korea Chamber of Commerce and Industry", "Supply-chain dependence report (UN Comtrade 2020)", 2022, "report, Dec 2022", "https://www.korcham.net/", "import shares 2020 (UN Comtrade): nickel sulfate 59 % from Finland; natural graphite 87.4 % from China; Li2CO3 >89 % from Chile"),
    ("motie2023", "Ministry of Trade, Industry and Energy (Korea)", "Strategy for securing a reliable critical minerals supply (IEA Policies database 17942)", 2023, "strategy summary", "https://www.iea.org/policies/17942", "<=50 % from one country by 2030; 100-day stockpile; recycling 2 % -> 20 % by 2030; import shares 2021: cobalt sulfate 97 % China, Li2CO3 82 % Chile"),
    ("eu_2023_1542", "European Union", "Regulation (EU) 2023/1542 concerning batteries and waste batteries", 2023, "Art. 8 (recycled content), Annex XII (recovery)", "https://eur-lex.europa.eu/eli/reg/2023/1542/oj", "recycled content Co 16/Li 6/Ni 6 % (2031) and Co 26/Li 12/Ni 15 % (2036); recovery Li 50->80 %, Co/Ni/Cu 90->95 %"),
    ("ca_cms2022", "Government of Canada", "The Canadian Critical Minerals Strategy", 2022, "strategy", "https://www.canada.ca/en/campaign/critical-minerals-in-canada.html", "priority minerals; funding"),
    ("ca_evas2023", "Environment and Climate Change Canada", "Electric Vehicle Availability Standard (final, Dec 2023)", 2023, "regulation summary", "https://www.canada.ca/en/environment-climate-change/news/2023/12/electric-vehicle-availability-standard.html", "ZEV share of new light-duty sales 20 % (2026), 60 % (2030), 100 % (2035)"),
    ("ckfta", "Global Affairs Canada", "Canada-Korea Free Trade Agreement (in force 1 January 2015)", 2015, "tariff schedules", "https://www.international.gc.ca/trade-commerce/trade-agreements-accords-commerciaux/agr-acc/korea-coree/index.aspx", "zero tariffs between Canada and Korea on the covered minerals, chemicals and batteries"),
    ("mou_cakr2023", "NRCan/ISED and MOTIE", "MOU on Cooperation in Critical Mineral Supply Chains, the Clean Energy Transition and Energy Security", 2023, "MOU text, 17 May 2023", "https://natural-resources.canada.ca/", "partnership scope (context only)"),
    ("posco_pilbara", "Yonhap; Power Technology (POSCO Pilbara Lithium Solution)", "POSCO Pilbara LiOH plant, Gwangyang", 2024, "news", "https://en.yna.co.kr/", "2 x 21,500 t/yr LiOH (Nov 2023, Nov 2024); capex KRW 760 bn (US$615 M)"),
    ("posco_futurem", "POSCO Future M (via just-auto; Yonhap)", "Gwangyang cathode plant and precursor capacity", 2023, "news", "https://www.poscofuturem.com/", "Gwangyang CAM 90,000 t/yr (2021); POSCO pCAM 150,000 t/yr (2023); Pohang JV KRW 1.2 trn; anode utilisation <30 %"),
    ("lgchem_cam", "Korea Herald; Yonhap (LG Chem)", "LG Chem cathode capacity (Cheongju, Gumi, Tennessee)", 2024, "news", "https://www.koreaherald.com/", "Cheongju 70,000 t; Gumi 60,000 t (capex KRW 475 bn); Tennessee US$3.2 bn for 120,000 t"),
    ("korea_zinc", "Korea Zinc / KEMCO / KPC (via Edaily, Asia Economy, Seoul Reporter)", "Onsan nickel refinery, KPC precursor, minor metals plans", 2025, "news", "https://www.koreazinc.co.kr/", "KEMCO 42,600 t Ni/yr (2026, KRW 506.3 bn); KPC pCAM 20,000 t (2025); Ga 15 t and Ge 12 t from 2028"),
    ("kr_recyclers", "POSCO HY Clean Metal; SungEel HiTech; GS Energy Materials; DS Dansuk (trade press)", "Korean black-mass recycling capacity", 2024, "news 2023-2024", "https://www.sungeel.com/", "HY Clean Metal 12,000 t BM (2023); SungEel Hydro Center 3 40,000 t BM (20,000 t phase 1, 2024); GS 20,000 t BM (KRW 150 bn); DS Dansuk 5,000 t BM"),
    ("almonty_sangdong", "Almonty Industries (via Northern Miner, Project Blue)", "Sangdong tungsten mine", 2025, "news", "https://almonty.com/", "phase 1 about 2,300 t WO3/yr, doubled in phase 2; oxide plant about 4,000 t/yr; reserves 7.9 Mt at 0.47 % WO3; capex US$217 M"),
    ("ultium_cam", "Electrive; Automotive News Canada", "Ultium CAM (POSCO Future M / GM), Becancour QC", 2023, "news", "https://www.electrive.com/", "30,000 t CAM/yr, about US$400 M, start early 2026; phase 2 on hold"),
    ("ecopro_ford", "C&EN", "EcoPro BM, SK On and Ford cathode plant, Becancour QC", 2023, "news, Aug 2023", "https://cen.acs.org/", "45,000 t NCM CAM/yr, about US$900 M (status after 2024 not verified)"),
    ("nextstar", "LG Energy Solution; Stellantis (press releases)", "NextStar Energy battery plant, Windsor ON", 2025, "press releases", "https://www.lgensol.com/", ">45 GWh/yr (up to 49.5 GWh), >C$5 bn; pivot to ESS cells (Nov 2025)"),
    ("vale_ca", "Vale (via CBC, e-MJ, Northern Miner, Mining Journal, MarketScreener)", "Long Harbour and Sudbury nickel operations", 2022, "news", "https://www.vale.com/", "Long Harbour 50,000 t Ni/yr, C$4.25-4.75 bn; Sudbury about 65,000 t Ni/yr; GHG 4.4 (LH) and 7.3 (Copper Cliff) t CO2e/t Ni (2020); Becancour NiSO4 cancelled (C$325 M, 25 kt)"),
    ("sherritt", "Sherritt International (sustainability report; Mining.com)", "Fort Saskatchewan refinery, Moa JV", 2020, "sustainability report 2019", "https://www.sherritt.com/", "33,108 t Ni and 3,376 t Co refined (2019)"),
    ("nrcan_refining", "Natural Resources Canada (as quoted)", "Nickel and cobalt facts", 2023, "facts pages", "https://natural-resources.canada.ca/our-natural-resources/minerals-mining/mining-data-statistics-and-analysis/minerals-metals-facts", "Canada refined nickel >124,000 t (2020, 3 refineries)"),
    ("reportlinker_co", "ReportLinker (from USGS data)", "Cobalt refinery capacity by country 2023", 2023, "table [U]", "https://www.reportlinker.com/dataset/53e5788b75f32384bc106fd9a5aee1dcbb8df9b4", "Canada refined cobalt capacity 8,740 t (unit basis unclear); ten largest 2023: China 170,910, Finland 18,210, Zambia 9,850, Canada 8,740, Russia 7,700, Australia 6,950, Madagascar 6,480, Japan 6,240, Norway 5,250, DRC 4,110 t (sum 244,440 t)"),
    ("electra", "Electra Battery Materials (trade press)", "Cobalt refinery, Temiskaming Shores ON", 2025, "news [U]", "https://www.electrabmc.com/", "6,500 t/yr cobalt (basis ambiguous); about US$60 M still needed"),
    ("nemaska", "Nemaska Lithium (2018 feasibility study; trade press)", "Whabouchi mine and Becancour LiOH plant", 2023, "FS 2018; news", "https://www.nemaskalithium.com/", "33,000 t/yr LCE LiOH plant; project about C$1.5 bn; construction 2023-2025"),
    ("nmg2022", "Nouveau Monde Graphite (2022 FS; Metal Tech News; Mining.com)", "Matawinie mine and Becancour anode plant", 2022, "feasibility study", "https://nmg.com/", "103,328 t/yr concentrate; 42,616 t/yr coated spherical graphite"),
    ("src2025", "Saskatchewan Research Council (via Canadian Mining Journal)", "SRC rare earth processing facility, Saskatoon", 2025, "news", "https://www.src.sk.ca/", "400 t/yr NdPr metal at full operation (2025); proposed about 1,000 t/yr magnets by 2028 [U]"),
    ("teck_ge", "Reuters (via trade press)", "Teck Trail germanium", 2025, "news", "https://www.teck.com/", "Trail is the 4th-largest germanium producer worldwide; volume not disclosed"),
    ("kr_nickel_capex", "Korea Zinc disclosure (via trade press)", "KEMCO Onsan nickel refinery investment", 2023, "news", "https://www.koreazinc.co.kr/", "KRW 506.3 bn for 42,600 t Ni/yr"),
    ("ni_indonesia_wp", "White paper", "Decarbonizing the nickel industry in Indonesia", 2023, "GHG by route", "https://www.iesr.or.id/", "HPAL about 20, RKEF about 54 t CO2e/t Ni"),
    ("lowcarbonpower", "lowcarbonpower.org", "Electricity carbon intensity by country", 2024, "country pages", "https://lowcarbonpower.org/", "Canada 137 g/kWh (2024), Korea 413 g/kWh (2023), South Africa 681.86 g/kWh (2023), Japan 457.52 g/kWh (2023; an earlier snapshot of the page 453.35), United States 353.73 (2023; other snapshots 352.47, 356.86), Philippines 595.47 (2023; other snapshot 599.41), EU 210.89 (2023; other snapshot 227.57), Indonesia 621.56 g/kWh (2021), life-cycle"),
    ("ember2024", "Ember (via Statista)", "World average carbon intensity of electricity 2023", 2024, "statistic", "https://ember-energy.org/", "world average 481 g CO2/kWh (2023)"),
    ("uk_ghg_factors", "UK Government (DESNZ/DEFRA)", "Greenhouse gas reporting: conversion factors (freight), as coded in a public repository", 2023, "freighting goods: cargo ship", "https://www.gov.uk/government/collections/government-conversion-factors-for-company-reporting", "bulk carrier 60-100k dwt 4.15 g CO2e/t-km"),
    ("drewry_wci2024", "Drewry World Container Index (via Hellenic Shipping News)", "World Container Index composite", 2024, "weekly index 2024", "https://www.drewry.co.uk/", "composite about US$3,966 per 40 ft (2024 average to 28 Nov)"),
    ("bigmint2024", "BigMint", "Capesize and Supramax freight assessments", 2024, "Jun-Jul 2024", "https://www.bigmint.co/", "WA-China Capesize US$10.2-10.7/t; Brazil-China US$27.1/t; Supramax US$13.5-14.1/t"),
    ("searoute", "Eurostat SeaRoute network via the searoute Python package 1.6.0", "Shortest sea paths between ports (computed)", 2025, "marnet network", "https://github.com/genthalili/searoute-py", "port-to-port sea distances (km), computed for this dataset"),
    ("unu_weibull", "UNITAR/UNU (e-waste statistics, UNU-KEYs)", "Weibull lifetime parameters (IT set), via OliverLysa/ce_observatory_data_scripts", 2020, "UNU-KEY 0002 (PV panels)", "https://github.com/OliverLysa/ce_observatory_data_scripts", "PV panel Weibull shape 3.5, scale 25 y (analogue for wind turbines)"),
    ("yang2017", "Yang Y. et al.", "REE recovery from end-of-life NdFeB permanent magnet scrap: a critical review, J. Sustain. Metall. 3:122", 2017, "review", "https://doi.org/10.1007/s40831-016-0090-4", "NdFeB magnets 31-32 wt % REE; 20-30 y in wind, 2-3 y in electronics"),
    ("heim2023", "Heim J.W. and Vander Wal R.L.", "NdFeB permanent magnet uses, projected growth rates and Nd plus Dy demands, Minerals 13:1274", 2023, "magnet intensities", "https://doi.org/10.3390/min13101274", "Dy about 4 % of the magnet; 0.5 t magnet per MW as the average over all turbines (Moss 2013 gives 0.625-0.85 t/MW for low-speed PM generators alone), applied to all wind additions; EV motor >1 kg [U]"),
    ("metals2023", "Metals 13:779", "NdFeB magnet manufacturing scrap", 2023, "review", "https://doi.org/10.3390/met13040779", "magnet production generates 6-73 % manufacturing scrap"),
    ("mp_10k2021", "MP Materials", "Form 10-K 2021", 2022, "Mountain Pass ore composition", "https://investors.mpmaterials.com/", "NdPr 15.7 % of TREO at Mountain Pass"),
    ("statista_prices2023", "Statista (as compiled in pmbusch/USA-EV-Lithium-GHG Inputs/Mineral_Price.xlsx)", "Average mineral prices 2023", 2023, "Mineral_Price.xlsx", "https://github.com/pmbusch/USA-EV-Lithium-GHG", "Li2CO3 41,300 US$/t LCE; Ni 21,521; Co 37,900 (17.2 $/lb); Cu 8,478 US$/t (2023)"),
    ("ali_bartie2023", "Ali H., Bartie N. et al.", "Simulation-based LCA of NMC hydrometallurgical recycling, SSRN 4516667", 2023, "abstract", "https://ssrn.com/abstract=4516667", "recycled CoSO4 87 %, Li2CO3 61 %, NiSO4 36 % lower GHG than primary"),
    ("primobius2022", "Neometals / Primobius (trade press)", "Primobius spoke plant economics", 2022, "news", "https://www.neometals.com.au/", "US$103.9 M for 21,000 t feed/yr; opex US$1,400/t feed"),
    ("fineprint2021", "FINEPRINT", "Brief 14: water use of lithium chemicals", 2021, "brief", "https://www.fineprint.global/", "109 bn litres freshwater for 247 kt LCE (2017): about 441 m3/t LCE"),
    ("hypromag", "HyProMag / University of Birmingham (trade press)", "Hydrogen processing of magnet scrap (HPMS)", 2026, "news", "https://hypromag.com/", "about 88 % less energy than primary magnet production; Tyseley up to 300 t/yr magnets"),
    ("fraunhofer_wind", "Fraunhofer IEE", "Windmonitor", 2024, "turbine design life", "https://www.windmonitor.iee.fraunhofer.de/", "wind turbines designed for 20 y"),
    ("unep_irp2011", "UNEP International Resource Panel", "Recycling Rates of Metals - A Status Report", 2011, "EoL recycling rates", "https://www.resourcepanel.org/reports/recycling-rates-metals", "EoL recycling <1 % for Li, Nd, Dy, Ga, In, Ge"),
    ("eccc_fuel_lca", "Environment and Climate Change Canada", "Fuel Life Cycle Assessment model, provincial electricity intensities (as coded in a public repository)", 2023, "electricity intensities", "https://www.canada.ca/en/environment-climate-change/services/managing-pollution/fuel-life-cycle-assessment-model.html", "QC 16.9, ON 45.7, AB 627.8 g CO2e/kWh (for README context)"),
    ("sne_argus2025", "SNE Research (via Argus)", "EV battery installations by maker", 2025, "news", "https://www.sneresearch.com/", "LGES+SK On+Samsung SDI 18.4 % of 894 GWh (2024); 23.1 % (2023)"),
    ("kr_ev_exports", "Ministry of Trade, Industry and Energy of Korea (via Chosun Biz, 21 Dec 2025: automobile industry trends)", "Korea domestic EV sales 2022-2024; EV exports 2024 [S]", 2025, "news, automobile industry trends", "https://biz.chosun.com/en/en-policy/2025/12/21/TB5VOYMEFFCBLII5WTYJI5INMM/", "domestic EV sales 157,000 (2022), 158,000 (2023), 142,000 (2024); about 255,000 EVs exported in 2024 (secondary report, [U])"),
    # sources added for the scenarios (partnership, supply_shock, net_zero, circular)
    ("basel1989", "Secretariat of the Basel Convention (UNEP)", "Basel Convention on the Control of Transboundary Movements of Hazardous Wastes and their Disposal (as amended; e-waste amendments in force 1 Jan 2025)", 1989, "Art. 4 and 6 (prior informed consent); Annex VIII A1170, A1181", "https://www.basel.int/TheConvention/Overview/TextoftheConvention/tabid/1275/Default.aspx", "waste batteries and e-waste move between countries only with prior informed consent: used as the default closure of end-of-life routes"),
    ("mofcom_2023_39", "Ministry of Commerce of the PRC and General Administration of Customs", "Announcement No. 39 of 2023 on optimising and adjusting temporary export control measures for graphite items", 2023, "Announcement No. 39 (20 Oct 2023), in force 1 Dec 2023", "http://www.mofcom.gov.cn/article/zwgk/gkzcfb/202310/20231003447368.shtml", "export licences for high-purity synthetic graphite, natural flake graphite and spherical graphite products"),
    ("mofcom_2025_18", "Ministry of Commerce of the PRC and General Administration of Customs", "Announcement No. 18 of 2025 on implementing export control of certain medium and heavy rare earth items", 2025, "Announcement No. 18 (4 Apr 2025)", "http://www.mofcom.gov.cn/", "export licences for Sm, Gd, Tb, Dy, Lu, Sc, Y and their oxides, alloys and compounds (incl. magnets containing them); exports fell sharply in April-May 2025"),
    ("eccc_carbon2021", "Environment and Climate Change Canada", "Update to the Pan-Canadian Approach to Carbon Pollution Pricing 2023-2030", 2021, "federal benchmark price schedule", "https://www.canada.ca/en/environment-climate-change/services/climate-change/pricing-pollution-how-it-will-work/carbon-pollution-pricing-federal-benchmark-information/federal-benchmark-2023-2030.html", "minimum carbon price CAD 65/t CO2e (2023) rising CAD 15/t a year to CAD 170/t in 2030; applies to large emitters through output-based systems"),
    # sources of the responsible-sourcing data (origin_risk.csv, policy/sourcing_limit_governance.csv)
    ("wb_wgi2024", "World Bank", "Worldwide Governance Indicators, edition with estimates to 2023 (CC, GE, PV, RQ, RL, VA estimates), as downloaded from the WGI website in OHI-Science/ohiprep_v2025, globalprep/prs_res_wgi/v2025/raw/worldbank_wgi_from_web_2025.csv", 2024, "estimates CC.EST, GE.EST, PV.EST, RQ.EST, RL.EST, VA.EST, year 2023", "https://www.worldbank.org/en/publication/worldwide-governance-indicators", "2023 estimates (-2.5 weak to 2.5 strong) of the six governance dimensions for 26 countries; their mean rescaled to a 0-1 governance risk"),
    ("gulley2023", "Gulley A.L. (U.S. Geological Survey)", "China, the Democratic Republic of the Congo, and artisanal cobalt mining from 2000 through 2020, PNAS 120(26) e2212037120", 2023, "abstract", "https://doi.org/10.1073/pnas.2212037120", "artisanal cobalt 9-11 % of DRC and 6-8 % of world cobalt mine production in 2020; artisanal output chiefly exported to China or processed in the DRC by Chinese firms"),
    # sources of the origin rules (origin_rules.csv) and of the ira_compliance scenario
    ("irc_30d", "U.S. Congress (Office of the Law Revision Counsel)", "26 U.S.C. 30D Clean vehicle credit, as amended by the Inflation Reduction Act of 2022 (P.L. 117-169, sec. 13401)", 2022, "subsec. (e)(1) critical minerals (A) extracted or processed in the US or an FTA country, or recycled in North America, (B) applicable percentage; subsec. (d)(7) excluded entities", "https://www.law.cornell.edu/uscode/text/26/30D", "what confers origin for critical minerals (extraction, processing, recycling); applicable percentage 40 % before 2024, 50 % 2024, 60 % 2025, 70 % 2026, 80 % after 2026; no battery components from a foreign entity of concern after 2023, no critical minerals extracted, processed or recycled by one after 2024"),
    ("td9995", "U.S. Department of the Treasury, Internal Revenue Service", "T.D. 9995, Clean Vehicle Credits Under Sections 25E and 30D; Transfer of Credits; Critical Minerals and Battery Components; Foreign Entities of Concern (final regulations, 89 FR 37706), codified at 26 CFR 1.30D-3", 2024, "26 CFR 1.30D-3: definitions of extraction, processing, recycling, constituent materials and battery components; critical mineral and battery component requirements", "https://www.ecfr.gov/current/title-26/chapter-I/subchapter-A/part-1/section-1.30D-3", "processing of critical minerals is kept apart from the manufacturing of constituent materials and battery components (cathode active materials, cells), which count under the battery component requirement; recycling is an alternative to extraction and processing"),
    ("crs_in12322", "Congressional Research Service", "Foreign Entity of Concern Requirements in the Section 30D Clean Vehicle Credit (CRS Insight IN12322), updated 30 Sep 2024", 2024, "full text", "https://www.everycrsreport.com/reports/IN12322.html", "vehicles acquired after 2023 may not use battery components made by a FEOC, after 2024 no critical minerals extracted, processed or recycled by a FEOC; FEOC covers entities of China, Russia, North Korea and Iran"),
    ("yonhap_cam2023", "Yonhap (Korea Herald)", "S. Korea's cathode exports to US nearly triple this year on EV battery demand, IRA effects", 2023, "news, 7 Aug 2023 (KITA data)", "https://m.koreaherald.com/view.php?ud=20230807000290", "cathode exports to the US US$1.83 bn in Jan-Jul 2023; cathode and anode active material powders are constituent materials under the IRA guidance, counted like minerals rather than as components, so they can be made in Korea"),
    ("kita_cam2023", "Korea International Trade Association (via Yonhap / Pulse)", "Korea's cathode material exports US$7.49 bn in the first half of 2023 (KITA report on the IRA guidelines, 5 Sep 2023)", 2023, "news, Sep 2023", "https://www.kita.org/", "Korea's cathode material exports totalled US$7.49 bn in H1 2023"),
    ("irs_notice_2023_29", "U.S. Department of the Treasury, Internal Revenue Service", "Notice 2023-29: Critical mineral and battery component requirements of the clean vehicle credit (section 3.05: countries with which the United States has a free trade agreement in effect)", 2023, "sec. 3.05; Japan added by the US-Japan Critical Minerals Agreement of 28 Mar 2023", "https://www.irs.gov/pub/irs-drop/n-23-29.pdf", "US free-trade partners for 30D: Australia, Bahrain, Canada, Chile, Colombia, Costa Rica, Dominican Republic, El Salvador, Guatemala, Honduras, Israel, Jordan, Korea, Mexico, Morocco, Nicaragua, Oman, Panama, Peru, Singapore, and Japan"),
    # sources of the black-mass step
    ("yonhap_hycm2023", "Yonhap", "POSCO Holdings builds secondary battery recycling plant in Suncheon", 2023, "news, 9 Jul 2023", "https://en.yna.co.kr/view/AEN20230709002100320", "POSCO HY Clean Metal processes 12,000 t black mass/yr (2,500 t Ni, 800 t Co, 2,500 t Li2CO3), black mass from POSCO's Poland Legnica plant (7,000 t scrap and batteries/yr)"),
    ("dsdansuk2024", "AJU Press", "S. Korean resources circulation firm constructs battery recycling plant (DS Dansuk, Gunsan)", 2024, "news, 9 Apr 2024", "https://www.ajupress.com/view/20240409154843047", "DS Dansuk Gunsan black-mass production about 5,000 t/yr, KRW 8 bn (US$5.9 M)"),
    ("youngpoong2022", "Circular Energy Storage", "Young Poong commissions 2,000 tpa pyrometallurgical pilot pre-processing plant", 2022, "news", "https://www.circularenergystorage-online.com/post/young-poong-commissions-2-000-tpa-pyrometallurgical-pilot-pre-processing-plant", "Young Poong (sister company of Korea Zinc), Bonghwa: 2,000 t/yr of spent batteries smelted to an alloy for hydrometallurgy; 20,000 t/yr planned"),
    ("electra_bm", "Kallanish; Northern Ontario Business", "Electra Battery Materials black-mass demonstration plant, Temiskaming Shores ON", 2025, "news 2023 and Jan 2025", "https://www.northernontariobusiness.com/", "demonstration plant processing up to 75 t black mass in batches (2023), about 40 t processed; commercial black-mass plant under study (2025)"),
    ("iea_gevo2023", "International Energy Agency", "Global EV Outlook 2023", 2023, "Trends in batteries", "https://www.iea.org/reports/global-ev-outlook-2023", "lithium production up 180 % in 2017-2022 (about 23 %/yr compounded): the rate at which battery-mineral supply has expanded, the range of the suppliers' build limits"),
    ("owid_ember2024", "Our World in Data, from Ember and the Energy Institute", "Carbon intensity of electricity generation, 1990 to 2023 (table view)", 2024, "column 2023, g CO2e/kWh", "https://ourworldindata.org/grapher/carbon-intensity-electricity", "2023 grid intensity: China 582, Australia 549, Argentina 354, Chile 291 g CO2e/kWh (life-cycle basis)"),
    ("defra_freight2012", "UK Defra/DECC", "2012 Guidelines to Defra/DECC's GHG Conversion Factors for Company Reporting, Annex 7 Freight Transport Conversion Tables", 2012, "Table 7e (diesel HGV, tonne.km basis)", "https://www.gov.uk/government/collections/government-conversion-factors-for-company-reporting", "articulated HGV >33t, UK average load: 0.1027 kg CO2e/t.km (direct + indirect)"),
    ("defra_freight2007", "UK Defra (answer in the House of Commons, Hansard, 4 June 2007)", "Freight transport: CO2 conversion factors of the Defra Guidelines for Company Reporting", 2007, "table 'other freight transport mileage conversion factors'", "https://hansard.parliament.uk/Commons/2007-06-04/debates/07060419000014/FreightTransport", "rail freight 0.03 kg CO2 per t-km"),
    ("vc_bnef_cells2023", "Visual Capitalist (BloombergNEF data)", "Visualizing China's Dominance in Battery Manufacturing (2022 and 2027P)", 2023, "table: 2022 battery cell manufacturing capacity by country (GWh, % of total)", "https://www.visualcapitalist.com/", "2022 cell capacity: China 893 GWh (77 %), Poland 73, US 70, Hungary 38, Germany 31, Sweden 16, Korea 15, Japan 12, France 6 of 1,163 GWh"),
    ("seaisi_mysteel2024", "SEAISI (Mysteel Global)", "Chinese prices of manganese ore remained stable (29 Mar 2024)", 2024, "news", "https://seaisi.org/details/24476?type=news-rooms", "South African 36.5 % Mn ore at Tianjin US$4.6/dmtu incl. VAT (27 Mar 2024); Tshipi lump ore US$3.95/dmtu CIF China"),
    ("reuters_tcrc2023", "Reuters (via Nasdaq)", "Freeport agrees with Jiangxi Copper to 2024 copper concentrate treatment charges at $80/T", 2023, "news, 1 Dec 2023", "https://www.nasdaq.com/articles/freeport-agrees-with-jiangxi-copper-to-2024-copper-concentrate-treatment-charges-at-$80-t", "2024 benchmark TC/RC US$80/t concentrate and 8 US cents/lb Cu (2023: 9 % higher; 2021: US$59.5 and 5.95 c; 2015: US$107)"),
    ("gfms_copper2016", "Mining.com (Thomson Reuters GFMS Copper Survey 2016)", "Copper miners' game of chicken continues (F. Els, 6 Apr 2016)", 2016, "news (reprinted by Republic of Mining)", "https://republicofmining.com/2016/04/06/copper-miners-game-of-chicken-continues-by-frik-els-mining-com-april-6-2016/", "2015 copper mine net cash cost US$3,586/t (US$1.62/lb), total cost US$4,626/t (US$2.10/lb)"),
    ("fastmarkets_coh2020", "Fastmarkets (Metal Bulletin)", "Cobalt hydroxide payables (series of market reports, 2019-2020)", 2020, "cobalt hydroxide payable indicator, min 30 % Co, cif China", "https://www.metalbulletin.com/Article/3943863/Battery-raw-materials/Cobalt-hydroxide-payables-strengthen-in-tight-spot-market.html", "hydroxide payables 59-81 % of the standard-grade cobalt metal price (Aug 2019 - Nov 2020)"),
    ("bnef_battery2023", "BloombergNEF", "Lithium-ion battery pack prices hit record low of $139/kWh (annual battery price survey)", 2023, "press release, 27 Nov 2023", "https://about.bnef.com/blog/lithium-ion-battery-pack-prices-hit-record-low-of-139-kwh/", "2023 pack price US$139/kWh (all uses), BEV packs US$128/kWh, BEV cells US$89/kWh (78 % of the pack); LFP packs US$130/kWh and cells US$95/kWh"),
    ("degen2023", "Degen F., Winter M., Bendig D., Tuebke J.", "Energy consumption of current and future production of lithium-ion and post lithium-ion battery cells, Nature Energy 8:1284-1295", 2023, "results: current LIB cell production", "https://doi.org/10.1038/s41560-023-01355-z", "41.48 kWh of energy per kWh of cell capacity, 52 % (21.38 kWh) natural gas for drying and dry rooms"),
    ("reuters_huayue2022", "Reuters (via CNA)", "China's Huayou ships first MHP shipment from Indonesia JV", 2022, "news, 14 Feb 2022", "https://www.channelnewsasia.com/business/chinas-huayou-ships-first-mhp-shipment-indonesia-jv-2497251", "PT Huayue HPAL: 60,000 t Ni and 7,800 t Co a year, a US$1.28 bn project"),
    ("boc_fx2024", "Bank of Canada", "Annual exchange rates 2024", 2025, "annual average USD/CAD 2024", "https://www.bankofcanada.ca/rates/exchange/annual-average-exchange-rates/", "1 CAD = 0.730 USD (2024 average, 1.3698 CAD per USD)"),
    ("kr_ndc2030_power", "Argus Media (via World Energy, world-energy.org)", "South Korea to cut power sector emissions under 2030 NDC (draft NDC presented at the 2030 NDC forum, 8 Oct 2021)", 2021, "news, Oct 2021", "https://world-energy.org/article/20663.html", "2030 net power-sector emissions 149.9 Mt CO2e (269.6 Mt in 2018); 2030 power demand forecast 612.4 TWh; 2030 mix coal 21.8 %, LNG 19.5 %, renewables 30.2 %"),
    ("ardea_goongarrie2024", "Sydney Morning Herald (Ardea Resources Goongarrie Hub pre-feasibility study)", "Giant nickel numbers underpin Ardea share price hike", 2024, "news, 12 Jan 2024", "https://www.smh.com.au/business/companies/giant-nickel-numbers-underpin-ardea-share-price-hike-20240112-p5ewwl.html", "HPAL-to-MHP PFS: direct cash cost after cobalt credits US$3,763/t Ni in MHP (first five years), US$5,763/t Ni over the mine life; about 30,000 t Ni/yr; capex about A$3.1 bn"),
    ("horizonte_araguaia2018", "Horizonte Minerals", "Araguaia nickel project feasibility study incl. phase 2 (NI 43-101 report filed on SEDAR Dec 2018): economics page", 2018, "project economics table", "https://horizonteminerals.com/uk/en/economics/", "RKEF ferronickel: C1 cost (Brook Hunt) US$8,193/t Ni; about 14,500 t Ni/yr; 28-year life; initial capex US$443 M"),
    ("hardcreek_turnagain2010", "Hard Creek Nickel Corporation (Marketwire press release, reposted on HotCopper)", "Preliminary Assessment Shows Turnagain Project C1 Operating Costs of US$3.34 per Pound of Nickel", 2010, "press release, 5 Mar 2010", "https://hotcopper.co.nz/threads/cost-to-set-up-a-mine.1376350/page-5", "sulfide open pit, flotation and on-site chloride leach with SX-EW: C1 operating cost US$3.34/lb Ni (US$7,363/t), 24.4-year life [S]"),
    ("fastmarkets_mhp2022", "Fastmarkets (figure as quoted in a Stockhouse forum post) [U]", "MHP emerges as preferred route to sulfate for international nickel market", 2022, "news article", "https://fastmarkets.com/insights/mhp-emerges-as-preferred-route-to-sulfate-for-international-nickel-market", "conversion cost of nickel intermediate to sulfate about US$700 per t (unit basis unclear: per t of sulfate or of Ni) [U]"),
    ("jci_esg2024", "Jinchuan Group International Resources (via the HKU ESG report database, esg.hkubs.ai)", "2024 Environmental, Social and Governance Report", 2025, "p. 204-205 (GHG emissions and intensity within the operational boundary)", "https://esg.hkubs.ai/reports/2025043004327", "DRC copper-cobalt operations (Ruashi SX-EW cathode and cobalt hydroxide, Kinsenda, Musonoi): scope 1+2 GHG intensity 0.23, 0.37, 0.40, 0.80, 0.51 t CO2e/t Cu produced in 2020-2024; scope 1 48,740 t and scope 2 988 t CO2e in 2023"),
    ("vaughan2013_alta", "Vaughan J., Hawker W., Keating T., Cox J. (ALTA 2013 conference)", "Engineering aspects of the selective acid leaching process for refining mixed nickel-cobalt hydroxide", 2013, "abstract (cost estimate +-50 %)", "https://www.scribd.com/document/572705774/Vaughan2013-ALTA", "refining 50,000 t Ni/yr of MHP to metal: operating cost A$93 M/yr (A$0.87/lb Ni in MHP), capital A$287 M, 20-year plant; over 94 % of the Ni+Co value recovered"),
    ("kr_11bp2025", "Ministry of Trade, Industry and Energy of Korea (via Yonhap/Korea Times, reprinted by The Nation, Sri Lanka)", "Korea to supply over 70% of electricity through carbon-free energies in 2038: ministry (11th Basic Plan for Electricity Supply and Demand, 2024-2038)", 2025, "news, Feb 2025", "https://nation.lk/online/korea-to-supply-over-70-of-electricity-through-carbon-free-energies-in-2038-ministry-297545.html", "carbon-free share of generation 39.1 % (2023) -> 70.7 % (2038); nuclear 30.7 % / 31.8 % / 35.2 %, renewables 8.4 % / 18.8 % / 29.2 %, hydrogen and ammonia 1.2 % / 2.4 % / 6.2 % in 2023 / 2030 / 2038"),
    ("cer_ef2023", "Canada Energy Regulator (open data; file stored in the public repository pmbusch/EoL-LIB-NorthAmerica, Inputs/Original/Canada_electricity-capacity-2023.csv)", "Canada's Energy Future 2023: Energy Supply and Demand Projections to 2050, electricity capacity by fuel", 2023, "Region Canada, Variable Wind and Solar, scenarios Current Measures and Canada Net-zero, 2020-2050", "https://open.canada.ca/data/en/dataset/7643c948-d661-4d90-ab91-e9ac732fc737", "wind capacity 13,658 MW (2020); Current Measures 17,289 / 23,520 / 32,430 / 48,240 / 62,905 / 70,110 MW and Canada Net-zero 19,373 / 26,708 / 56,696 / 73,132 / 96,938 / 111,031 MW in 2025-2050; solar 3,117 MW (2020), Current Measures 4,669-29,702 MW, Canada Net-zero 4,678-34,885 MW"),
    ("tesla_impact2020", "Tesla, Inc. (as reported by ilovetesla.com and Vice, 2021) [S]", "Impact Report 2020", 2021, "battery recycling section", "https://www.tesla.com/impact", "none of Tesla's scrapped lithium-ion batteries go to landfill, 100 % are recycled; most batteries it receives are pre-consumer (R&D and quality-control scrap)"),
    ("kcs_hani2023", "Hankyoreh, from Korea Customs Service trade statistics (4 Jul 2023) [S]", "China to control gallium and germanium exports from August; Korea depends on China for more than half", 2023, "news, 4 Jul 2023", "https://www.hani.co.kr/arti/international/international_general/1098603.html", "Korea's imports Jan 2019-May 2023: gallium 54.2 t (28.2 t from China, 19.3 t Belgium, 4.3 t US, 2.0 t Japan), germanium 13.6 t (11.9 t from China, 1.3 t Russia)"),
    ("canrea2025", "Canadian Renewable Energy Association (via EV Wind, 20 Feb 2025) [S]", "Canada's wind, solar and energy storage capacity grows 46 % in five years", 2025, "news, Feb 2025", "https://www.evwind.es/2025/02/20/canadas-wind-solar-and-energy-storage-capacity-grows-46-in-five-years-reports-canrea/104521", "wind capacity grew 35 % from 2019 to 2024; over 4.7 GW of new utility-scale wind since 2020; wind, solar and storage over 24 GW at the end of 2024"),
    ("iea_gevo2023_data", "International Energy Agency (Global EV Data Explorer, GEVO 2023 edition, as stored in the public repository y0ungpr0digy/World_of_Evs_project3, flask-pymongo/templates/data.js) [S]", "Global EV Data Explorer: EV sales, cars, historical", 2023, "EV sales, Cars, BEV and PHEV, Canada and Korea, 2010-2014", "https://www.iea.org/data-and-statistics/data-tools/global-ev-data-explorer", "car sales 2011-2014 Canada (BEV 220, 620, 1,600, 2,800; PHEV 300, 1,300, 1,500, 2,300) and 2010-2014 Korea (BEV 61, 270, 510, 600, 1,300; no PHEV listed before 2015); Canada not listed for 2010"),
    ("irena_capacity2024", "IRENA (processed by Our World in Data; data package stored in the public repository wang34/Progetto-Visualizzazione-Scientifica) [S]", "Renewable Capacity Statistics 2024: total wind capacity (onshore and offshore), GW", 2024, "Canada and South Korea, end-of-year capacity 2009-2023", "https://www.irena.org/Publications/2024/Mar/Renewable-capacity-statistics-2024", "cumulative wind capacity; yearly net additions are the differences of successive year-end values (world 2023: 1,017 GW, +116 GW in 2023)"),
    # sources of the asset lives (process_lifetime.csv)
    ("fortune_nico2023", "Mining Weekly (Fortune Minerals NICO project)", "Advancement of NICO project exceeds C$135-million spend", 2023, "news, 10 Feb 2023", "https://www.miningweekly.com/print-version/advancement-of-nico-project-exceeds-c135-million-spend-2023-02-10", "NICO cobalt-gold-bismuth-copper mine and concentrator (NWT) with a hydrometallurgical cobalt sulfate refinery (Alberta), positive feasibility study: 1,800 t Co/yr in cobalt sulfate over the first 14 years of a 20-year mine life"),
    ("nickelcreek_wellgreen2023", "Mining Data Online (Nickel Creek Platinum, Nickel Shaw/Wellgreen project)", "Nickel Shaw (Wellgreen) Project: overview", 2023, "property page, overview (pre-feasibility stage)", "https://miningdataonline.com/property/1803/Nickel-Sh%c3%a4w-Wellgreen-Project.aspx", "open-pit nickel-copper-PGM sulfide project, Yukon: mine life 19.1 years (as of 1 Jan 2023)"),
    ("canadanickel_crawford2024", "Mine Listings (Canada Nickel Company feasibility study)", "Canada Nickel starts working on Crawford, eyes 2027 production", 2024, "news, 2024", "https://minelistings.com/mine-news/canada-nickel-starts-working-on-crawford-eyes-2027-production/", "Crawford nickel-cobalt sulfide project, Ontario: open-pit mining over 33.5 years in a 41-year project life; capital cost of two phases about $3.5 bn; first production targeted for 2027"),
    # sources of investment and operating costs (investment_cost.csv, variable_cost.csv)
    ("neo_narva2023", "Invest in Estonia (Estonian Investment Agency); Global Recycling Magazine 2/2023", "Estonia celebrates groundbreaking for a revolutionary magnet plant in Narva (Neo Performance Materials)", 2023, "news, Jun 2023; Global Recycling 2/2023 p. 17", "https://investinestonia.com/estonia-celebrates-groundbreaking-for-a-revolutionary-magnet-plant-in-narva/", "Neo Performance Materials sintered NdFeB magnet plant, Narva: investment about EUR 100 M (EUR 81.25 M company + EUR 18.75 M Just Transition Fund) for phase 1 of about 2,000 t/yr of magnet block; opened Sep 2025"),
    ("e25_louisiana2023", "Louisiana Economic Development; MiningQuarterly (mqworld) on the US DOE grant", "Element 25 high-purity manganese sulfate monohydrate facility, Ascension Parish (project page; DOE grant news)", 2023, "project page (CapEx); news", "https://www.opportunitylouisiana.gov/project/element-25", "HPMSM refinery: capital expenditure US$480 M across two phases; about 65,000 t HPMSM a year (mqworld.com/?p=83231) [U: the two figures come from two pages]"),
    ("firstcobalt_refinery2020", "First Cobalt Corp. (now Electra Battery Materials)", "First Cobalt Refinery studies: 2020 refinery study (feasibility) and 2019 scoping study", 2020, "refinery studies page: 2020 study highlights; 2019 study Table 1", "https://www.firstcobalt.com/projects/first-cobalt-refinery/refinery-studies/", "expansion of the permitted Cobalt, ON refinery to 25,000 t/yr battery-grade cobalt sulfate from third-party hydroxide feed: initial capital US$56 M, operating cost US$2.72/lb Co; the 2019 study's largest case in the same building 5,020 t Co/yr"),
    ("ultium_lordstown2020", "InsideEVs", "Ultium Cells battery plant progress (GM / LG Chem joint venture, Lordstown OH)", 2020, "news, 13 Oct 2020 (project in brief)", "https://insideevs.com/news/448638/ultium-cells-battery-plant-progress-october-2020/", "US$2.3 bn investment for a target cell capacity of 30 GWh a year; production from 2022"),
    ("vspc_lfp2021", "Mining News Pro; Proactive Investors (Lithium Australia / VSPC pre-feasibility study)", "PFS into cathode powder proves positive for Lithium Australia", 2021, "news, 14 Apr 2021", "http://www.miningnewspro.com/News/612129/PFS-into-cathode-powder-proves-positive-for-Lithium-Australia", "LFP cathode powder plant (India case): 10,000 t/yr by 2026, plant investment US$113 M in two stages; sales US$140 M/yr, EBITDA US$66 M/yr"),
    ("energytrend_prices2025", "EnergyTrend (TrendForce)", "Lithium battery price: precursor and cathode material (quarterly quotes)", 2025, "Precursor and Cathode Material table, 15 Sep 2025 update (and 7 Nov 2024 snapshot)", "https://www.energytrend.com/battery-price.html", "China average prices, 10k RMB/t: precursor NCM811 8.88, NCM622 7.64; cathode NCM811 14.64, NCM622 12.66, LFP 3.47; iron phosphate 1.05 (Sep 2025); Nov 2024: precursor NCM811 8.15, NCM622 7.02, cathode NCM811 14.82, NCM622 12.29"),
    ("razgaitis2006", "Razgaitis R. (Wiley, via O'Reilly)", "Innovate or Perish: Managing the Enduring Technology Company in the Global Market, ch. 9 (Approach 2: royalty rates based on earnings)", 2006, "ch. 9, Approach 2", "https://www.safaribooksonline.com/library/view/innovate-or-perish/9780471779308/9780471779308_ch09alev1sec4.html", "25 % rule: a survey of chemical-industry profitability and royalty rates gave royalties of 25.9 % of earnings before tax on average (1990-2000); a reasonable royalty for chemical-industry technology is 25 % of a 10 % margin = 2.5 % of sales"),
    ("parr_royalty", "Parr R. L. (Intellectual Property Research Associates), via vLex", "Royalty Rate Data, Appendix C (from Royalty Rates for Technology, 6th ed.)", 2018, "Exhibit C.1, cumulative analysis", "https://law-journals-books.vlex.com/vid/appendix-c-royalty-rate-852105280", "technology royalty rates as a per cent of sales across industries (chemistry included): 20 % of rates are 2 % or less, 35 % are 3 % or less, 43 % are 4 % or less, 67 % are 5 % or less"),
    ("eref_tipfee2023", "Environmental Research & Education Foundation (via Waste Advantage Magazine)", "Analysis of MSW Landfill Tipping Fees - 2023", 2024, "national and regional averages", "https://wasteadvantagemag.com/eref-report-analyzing-municipal-solid-waste-landfill-tipping-fees/", "US MSW landfill tip fee 2023: unweighted national average US$56.80 per ton (short ton), ton-weighted US$57.63; regions from US$43.18 (Southeast) to US$84.44 (Northeast); 342 landfills"),
    ("cmoc_kfm2022", "Mining Technology; Zawya (CMOC stock-exchange statement)", "CMOC to invest $1.83bn in KFM project in Congo (Kisanfu copper-cobalt mine, phase 1)", 2021, "news, Jul 2021", "https://mining-technology.com/news/cmoc-congo-copper", "Kisanfu phase 1: US$1.826 bn (engineering US$1.427 bn, other construction US$161 M, licence/reserve cost US$238 M); about 90,000 t Cu and 30,000 t Co a year; start H1 2023"),
    ("cmoc_tfm2021", "Xinhua (via News Diary Online); trade press", "China coy to invest $2.51bn in copper-cobalt project (Tenke Fungurume mixed-ore project)", 2021, "news, 9 Aug 2021", "https://newsdiaryonline.com/china-coy-to-invest-2-51bn-in-copper-cobalt-project/", "TFM mixed-ore project: US$2.51 bn for three lines (3.5, 3.3 and 5.6 Mt ore/yr), +200,000 t Cu and +17,000 t Co a year from 2023"),
    ("cmoc_kfm2025", "Investing.com", "CMOC Group to invest $1.08 billion in Congo copper mine expansion (KFM phase 2)", 2025, "news, 2025", "https://ng.investing.com/news/stock-market-news/cmoc-group-to-invest-108-billion-in-congo-copper-mine-expansion-93CH-2162690", "KFM phase 2: US$1.08 bn for about 100,000 t/yr of added copper capacity, launch in 2027"),
    ("ame_copper2019", "AME Group", "Capital Intensity of New Copper Mines", 2019, "feature article, Jul 2019", "https://aus.amegroup.com/Website/FeatureArticleDetail.aspx?faId=664", "new copper mining capacity commissioned 2015-2023: median capital intensity US$7.26/lb (US$16,000/t) of annual copper capacity; most projects US$5.0-10.0/lb; Las Bambas US$10.0/lb"),
    ("freeport_manyar2024", "Reuters (via Kitco)", "Freeport Indonesia launches $3.7 bn Gresik copper smelter", 2024, "news, 27 Jun 2024", "https://www.kitco.com/news/off-the-wire/2024-06-27/freeport-indonesia-launches-37bn-gresik-copper-smelter-meet-renewables", "Manyar smelter (Gresik): US$3.7 bn; input 1.7 Mt/yr of copper concentrate, output about 650,000 t/yr of copper cathode and 50-60 t gold"),
    ("adani_kutch2024", "Business Today (India); Economic Times (Kutch Copper, Adani Enterprises)", "With copper unit in Mundra, Gautam Adani makes his metal industry debut", 2024, "news, 28 Mar 2024", "https://www.businesstoday.in/industry/infra/story/with-copper-unit-in-mundra-gautam-adani-makes-his-metal-industry-debut-423261-2024-03-28", "Kutch Copper greenfield smelter and refinery: nearly US$1.2 bn for 0.5 Mt/yr of refined copper in phase 1; a second phase of similar capacity to 1 Mt/yr by FY2029 for US$700-800 M (trade press)"),
    # sources of supplier shares (rule R1, capacity.csv and the suppliers' build limits)
    ("fastmarkets_mnso4_2022", "Fastmarkets", "Launch of Chinese domestic battery-grade manganese sulfate price assessment", 2022, "news, Aug 2022", "https://www.fastmarkets.com/insights/launch-of-chinese-domestic-battery-grade-manganese-sulfate-price-assessment", "China accounts for around 90 % of global supply of battery-grade manganese sulfate"),
    ("rareearthexchanges2025", "Rare Earth Exchanges; AFP (via NDTV)", "Rare Earth Separation and Refining: China's Dominance and Global Efforts to Catch Up (30 Aug 2025); Rare Earth Production Outside China (NDTV, 23 May 2025)", 2025, "news", "https://rareearthexchanges.com/?p=11084", "China about 90 % of rare-earth processing and about 99 % of heavy-REE processing; Lynas (Malaysia) the only commercial producer of separated heavy rare earths (Dy oxide) outside China from May 2025 [S]"),
    ("mp_materials2025", "MP Materials (press release via MarketScreener)", "MP Materials Restores U.S. Rare Earth Magnet Production", 2025, "press release, Jan 2025", "https://www.marketscreener.com/quote/stock/MP-MATERIALS-CORP-108730348/news/MP-Materials-Restores-U-S-Rare-Earth-Magnet-Production-48837729/", "Mountain Pass 2024: more than 45,000 t REO in concentrate and about 1,300 t NdPr oxide; Independence (Fort Worth) about 1,000 t/yr of NdFeB magnets from late 2025"),
    ("exbulletin_magnets2022", "ExBulletin (reprint of a US news feature on MP Materials)", "MP Materials and the US rare-earth magnet supply chain", 2022, "news, 15 Dec 2022", "https://exbulletin.com/world/international/1962253/", "China 92 % and Japan 6 % of the conversion of rare-earth oxides to metals, alloys and magnets [S]"),
    ("lithiumaustralia_lfp2022", "Business News (Western Australia)", "Lithium Australia selects Lycopodium to drive LFP plant DFS", 2022, "news, 2022", "http://d4ht0z304q9sr.cloudfront.net/article/Lithium-Australia-selects-Lycopodium-to-drive-LFP-plant-DFS", "less than 1 per cent of LFP is produced outside China (company statement); VSPC 10,000 t/yr LFP plant DFS"),
    ('rmi_rmap', 'Responsible Minerals Initiative (RMI)', 'Responsible Minerals Assurance Process: conformant smelter and refiner lists (cobalt refiners; tungsten smelters)', 2024, 'RMAP page, conformant lists by mineral', 'http://www.responsiblemineralsinitiative.org/responsible-minerals-assurance-process/', 'which cobalt refiners and tungsten smelters of the default data are RMAP conformant (certification.csv)'),
    ('irma2024', 'Initiative for Responsible Mining Assurance (IRMA)', 'Mining companies engaged in IRMA: 104 sites, 13 audits under way (incl. Argentina, Chile), 6 completed audits published (incl. Chile), March 2024', 2024, 'mining-sector page', 'https://responsiblemining.net/category/stakeholder-sectors/mining/', 'IRMA status of the Chilean and Argentine lithium brine operations (certification.csv)'),
    ('lme_rs', 'London Metal Exchange', 'LME Insight: LME Responsible Sourcing (requirements for every LME-listed brand from October 2019)', 2022, 'requirements for listed brands', 'https://www.lme.com/en/Education/Online-resources/LME-Insight/LME-Responsible-Sourcing', 'copper and nickel brands listed on the LME held to its responsible-sourcing requirements (certification.csv)'),
    ('mac_tsm', 'Mining Association of Canada', "Towards Sustainable Mining: participation mandatory for MAC members' Canadian operations; TSM Progress Report facility-level results", 2024, 'TSM overview and progress report', 'https://mining.ca/resources/reports/tsm-summary-report-2013/', 'TSM status of Canadian mines, smelters and refineries of MAC members (certification.csv)'),
    ('icmm', 'International Council on Mining and Metals', "Our members; Mining Principles with site-level validation of members' assets", 2024, 'company members list', 'https://www.icmm.com/en-gb/about-us/our-members', 'ICMM membership of the companies behind copper, cobalt, nickel and manganese supply of the default data (certification.csv)'),
    ("dai2019", "Dai Q., Kelly J.C., Gaines L., Wang M. (Argonne National Laboratory)", "Life Cycle Analysis of Lithium-Ion Batteries for Automotive Applications, Batteries 5(2):48 (GREET battery module)", 2019,
     "LCI of NMC hydroxide co-precipitation and cell production, as transcribed in premise_lci", "https://doi.org/10.3390/batteries5020048",
     "NMC811/NMC622 hydroxide: 39.1/39.6 MJ heat from natural gas and 0.62 L cooling water per kg, no electricity; cell production: 1.26/1.19 kWh electricity and 13.3/12.5 MJ gas per kg NMC811/NMC622 cell"),
    ("premise_lci", "Sacchi R. et al. (Paul Scherrer Institute), premise", "premise: additional inventories lci-batteries-NMC111-811-NCA-LFP.xlsx, lci-batteries-NMC622-NMC532.xlsx, lci-battery-capacity.xlsx (GitHub polca/premise, commit d74d45b)", 2024,
     "activities 'NMC811 hydroxide', 'NMC622 hydroxide', 'Lithium iron phosphate [LiFePO4]', 'battery cell production, Li-ion, LFP', 'battery production, Li-ion, NMC622', 'market for battery capacity'", "https://github.com/polca/premise",
     "transcriptions of dai2019, crenna2021 and hasselwander2023; LiFePO4 synthesis: 15 MJ steam heat and 46 kg deionised water per kg"),
    ("crenna2021", "Crenna E., Gauch M., Widmer R., Waeger P., Hischier R.", "Towards more flexibility and transparency in life cycle inventories for Lithium-ion batteries, Resources, Conservation and Recycling 170:105619", 2021,
     "LCI of LFP cell production and NMC622 battery (pack) assembly, as transcribed in premise_lci", "https://doi.org/10.1016/j.resconrec.2021.105619",
     "LFP cell: 4 kWh electricity, 14.4 MJ gas, 4.47 kg water per kg cell; pack assembly: 0.00028 kWh and 0.0215 kg tap water per kg pack, cells 72.6 % of pack mass"),
    ("hasselwander2023", "Hasselwander S., Meyer M., Oesterle I.", "Techno-Economic Analysis of Different Battery Cell Chemistries for the Passenger Vehicle Market, Batteries 9(7):379", 2023,
     "cell specific energy 2020 and battery-management mass share, as transcribed in premise_lci (lci-battery-capacity.xlsx; data/battery/energy_density.yaml)", "https://doi.org/10.3390/batteries9070379",
     "cell specific energy 2020 mean (min-max): NMC811 0.28 (0.24-0.34), NMC622 0.24 (0.20-0.28), LFP 0.16 (0.14-0.19) kWh/kg; BoP mass share 29 % (NMC811), 27 % (NMC622, LFP)"),
    ("cer2023", "Environment and Climate Change Canada (as summarised by Mondaq / McCarthy Tetrault; Electric Autonomy)", "Clean Electricity Regulations, draft of 10 August 2023 (final: Canada Gazette Part II, 18 December 2024)", 2023,
     "emission-intensity limit", "https://www.mondaq.com/canada/renewables/1359140/federal-government-asserts-jurisdiction-over-electricity-in-new-draft-regulations",
     "default emission-intensity limit 30 t CO2/GWh for fossil-fuelled units >= 25 MW from 1 January 2035; Canadian generation about 84 % non-emitting"),
    ("kr_cn2050", "2050 Carbon Neutrality Committee of Korea (as reported by Argus Media; Asia Economy)", "2050 Carbon Neutrality Scenario (plans A and B), adopted 27 October 2021", 2021,
     "power (transition) sector", "https://ssessments.com/alwaysfree-seoul-retrieves-scenarios-to-phase-out-coal-by-2050",
     "plan A: thermal power halted, power-sector emissions zero; plan B: LNG 5 % (61 TWh), renewables 736 TWh (60.9 %), power-sector emissions 20.7 Mt CO2e in 2050"),
    ("enerdata2024", "Enerdata", "EnerOutlook: forecast of the world CO2 intensity of electricity generation (EnerBlue scenario)", 2024,
     "world CO2 intensity of electricity generation", "https://eneroutlook.enerdata.co.kr/forecast-world-co2-intensity-of-electricity-generation.html",
     "world carbon intensity of power generation down 90 % from 2023 to 2050 in EnerBlue (NDCs and national pledges); many countries below 50 g CO2/kWh"),
    ("igo_nova2019", "Mining Weekly (Independence Group announcement)", "IGO to patent Nova downstream process", 2019, "news, 2 April 2019",
     "http://www.miningweekly.com/article/igo-to-patent-nova-downstream-process-2019-04-02", "extraction of more than 97 % of the nickel and cobalt of Nova concentrate in IGO's nickel sulfate process"),
    ("copper_org", "Copper Development Association", "Copper producers (education: copper production)", 2024, "copper producers page",
     "https://dev.copper.org/education/history/us-history/g_fact_producers.html", "ore crushed, ground and floated to a concentrate of about 25 % Cu; matte up to 60 % Cu; blister at least 98.5 % Cu; anode 99.5 %; cathode 99.95 %"),
    ("iea_pvps2020", "Frischknecht R., Stolz P., Krebs L., de Wild-Scholten M., Sinha P., Fthenakis V. et al. (IEA PVPS Task 12)", "Life Cycle Inventories and Life Cycle Assessments of Photovoltaic Systems, Report IEA-PVPS T12-19:2020", 2020,
     "LCI 'silicon production, metallurgical grade', as transcribed in premise_lci (lci-PV.xlsx)", "https://iea-pvps.org/key-topics/life-cycle-inventories-and-life-cycle-assessments-of-photovoltaic-systems/",
     "per kg metallurgical silicon: 11 kWh electricity, coke 23.12 MJ, petroleum coke 0.5 kg, charcoal 0.17 kg, graphite electrodes 0.1 kg, silica sand 2.7 kg; fossil CO2 3.58 kg, biogenic CO2 1.61 kg"),
    ("davis_hpl2021", "Davis Index", "HPAL starts nickel-cobalt project trials (Halmahera Persada Lygend, Obi Island)", 2021, "news, May 2021",
     "http://ec2-54-156-51-66.compute-1.amazonaws.com/hpal-starts-nickel-cobalt-project-trials/",
     "limonite ore of 1.6 % Ni; MHP capacity 96,000 t/yr containing 37,260 t Ni and 4,577 t Co"),
    ("voiseys_bay2004", "The Northern Miner", "Voisey's Bay production just a year away", 2004, "news",
     "https://secure.northernminer.com/news/voisey-s-bay-production-just-a-year-away/1000190960",
     "Voisey's Bay nickel concentrate grade 18-19 % Ni (prefeasibility 13-14 %); 50,000 t Ni, 2,270 t Co a year; Ovoid reserve 30 Mt at 2.85 % Ni"),
    ("buffalo_tungsten", "Buffalo Tungsten", "Tungsten ores and concentrates", 2024, "company page",
     "https://buffalotungsten.com/tungsten-ores-and-concentrates/", "industry standard for first-grade tungsten concentrates: at least 65 % WO3; prices per mtu (10 kg) of WO3"),
    ("northey2013", "Northey S., Haque N., Mudd G.", "Using sustainability reporting to assess the environmental footprint of copper mining, Journal of Cleaner Production 40:118-128", 2013,
     "abstract (averages over mines' sustainability reports)", "https://doi.org/10.1016/j.jclepro.2012.09.027",
     "primary copper: energy intensity 10-70 GJ/t Cu, average 22.2; GHG 1-9 t CO2e/t Cu, average 2.6; water 70.4 kL/t Cu on average (several to 350)"),
    ("jin2018", "Jin H., Afiuny P., Dove S., Furlan G., Zakotnik M., Yih Y., Sutherland J.W.", "Life Cycle Assessment of Neodymium-Iron-Boron Magnet-to-Magnet Recycling for Electric Vehicle Motors, Environ. Sci. Technol. 52 (supporting information)", 2018,
     "SI: LCI for 1 kg of sintered magnets (strip casting)", "https://doi.org/10.1021/acs.est.7b05442",
     "water 0.0005 m3 per kg sintered NdFeB magnet; Nd 0.200, Pr 0.051, Dy 0.068 kg per kg magnet (base case)"),
]

SRC_IDS = {s[0] for s in SOURCES}

# ---------------------------------------------------------------------------
# Regions
# ---------------------------------------------------------------------------
REGIONS = [
    ("CA", "Canada"), ("KR", "South Korea"), ("CN", "China"), ("AU", "Australia"), ("CL", "Chile"),
    ("AR", "Argentina"), ("ID", "Indonesia"), ("CD", "Democratic Republic of the Congo"),
    ("PH", "Philippines"), ("ZA", "South Africa"), ("US", "United States"), ("JP", "Japan"),
    ("EU", "European Union (EU-27)"), ("MZ", "Mozambique"), ("ROW", "Rest of world"),
]
for code, name in REGIONS:
    note = {"CA": "modelled demand region", "KR": "modelled demand region",
            "ROW": "all other countries (e.g. Zimbabwe, Brazil, Russia, Gabon, Myanmar, Malaysia, Peru, Vietnam, Norway, UK)",
            "MZ": "natural graphite supplier (Balama)", "EU": "EU-27 treated as one region (Finland Ni/Co refining, Belgium Ge, cells, CAM)"}.get(code, "supplier region")
    add("regions", region=code, name=name, source="usgs_mcs2025" if code not in ("CA", "KR", "EU", "ROW") else A,
        note=note + ("" if code not in ("CA", "KR", "EU", "ROW") else "; region chosen by the model design (the model covers Canada and Korea and their suppliers, data/README.md)"))

# ---------------------------------------------------------------------------
# Sourcing risk of origins (origin_risk.csv): governance and artisanal cobalt
# ---------------------------------------------------------------------------
# World Bank WGI 2023 estimates (wb_wgi2024), in the order CC (control of corruption),
# GE (government effectiveness), PV (political stability), RQ (regulatory quality),
# RL (rule of law), VA (voice and accountability); each on -2.5 (weak) .. 2.5 (strong).
WGI_2023 = {
    "Canada": (1.6715, 1.5168, 0.8224, 1.6447, 1.4730, 1.4796),
    "Korea, Rep.": (0.8941, 1.4048, 0.6098, 1.1225, 1.2485, 0.8596),
    "China": (-0.0054, 0.6790, -0.5131, -0.3565, -0.0401, -1.5046),
    "Australia": (1.7812, 1.5899, 0.9171, 1.9422, 1.5232, 1.5066),
    "Chile": (0.9686, 0.7176, 0.1362, 0.9257, 0.6251, 1.0179),
    "Argentina": (-0.3609, -0.3775, -0.1275, -0.4825, -0.4108, 0.5339),
    "Indonesia": (-0.4869, 0.5803, -0.4044, 0.3014, -0.1536, 0.1390),
    "Congo, Dem. Rep.": (-1.4805, -1.6891, -2.0449, -1.4086, -1.6707, -1.2133),
    "Philippines": (-0.5376, 0.1541, -0.5661, 0.1643, -0.4181, -0.0168),
    "South Africa": (-0.2847, -0.2569, -0.6656, -0.2237, 0.0862, 0.7449),
    "United States": (1.1234, 1.2172, 0.0294, 1.3937, 1.3277, 0.8775),
    "Japan": (1.3957, 1.6313, 0.9511, 1.4693, 1.5355, 1.1055),
    "Mozambique": (-0.8284, -0.7166, -1.2687, -0.7085, -1.0263, -0.5934),
    # EU members hosting the EU supply the model represents
    "Finland": (2.2215, 1.7386, 0.7140, 1.7651, 1.9670, 1.6326),
    "Belgium": (1.3368, 1.0370, 0.4039, 1.1682, 1.2954, 1.3257),
    "Germany": (1.6642, 1.1854, 0.5870, 1.4570, 1.5512, 1.4614),
    "Poland": (0.5654, 0.4214, 0.5596, 0.7802, 0.4587, 0.6265),
    # rest-of-world suppliers named in regions.csv and the supplier rules
    "Russian Federation": (-1.1047, -0.7125, -1.1343, -1.1221, -1.1876, -1.2855),
    "Brazil": (-0.5036, -0.5468, -0.4086, -0.2965, -0.3088, 0.3829),
    "Zimbabwe": (-1.2612, -1.1703, -0.9344, -1.3384, -1.2771, -1.0926),
    "Myanmar": (-1.2165, -1.7528, -2.1253, -1.4368, -1.6169, -1.8436),
    "Malaysia": (0.2956, 0.8754, 0.1685, 0.6609, 0.5719, 0.0876),
    "Gabon": (-1.0155, -0.7798, -0.3355, -0.7048, -0.8727, -0.9192),
    "Peru": (-0.7210, -0.4919, -0.5218, 0.2922, -0.5381, 0.0605),
    "Viet Nam": (-0.4158, 0.1265, -0.0364, -0.3826, -0.0855, -1.2419),
}
WGI_REGION = {"CA": ["Canada"], "KR": ["Korea, Rep."], "CN": ["China"], "AU": ["Australia"], "CL": ["Chile"],
              "AR": ["Argentina"], "ID": ["Indonesia"], "CD": ["Congo, Dem. Rep."], "PH": ["Philippines"],
              "ZA": ["South Africa"], "US": ["United States"], "JP": ["Japan"], "MZ": ["Mozambique"],
              "EU": ["Finland", "Belgium", "Germany", "Poland"],
              "ROW": ["Russian Federation", "Brazil", "Zimbabwe", "Myanmar", "Malaysia", "Gabon", "Peru", "Viet Nam"]}
WGI_WHY = {"EU": "simple mean of the EU members hosting the EU supply modelled: Finland (Ni mining, Ni/Co refining), Belgium (Co, Ge refining), Germany and Poland (cells, CAM); other members not read (assumption)",
           "ROW": "simple mean of the rest-of-world suppliers behind the ROW rows of the supplier rules: Russia (Ni, W, Ga, Ge), Brazil (Li, graphite, Si), Zimbabwe (Li), Myanmar (HREE), Malaysia (REE separation), Gabon (Mn), Peru (Cu), Viet Nam (W); unweighted (assumption)"}


def governance_risk(region):
    """0-1 risk = (2.5 - mean of the six WGI 2023 estimates) / 5, averaged over the region's countries."""
    means = [sum(WGI_2023[c]) / 6 for c in WGI_REGION[region]]
    return min(1.0, max(0.0, (2.5 - sum(means) / len(means)) / 5))


for code, _ in REGIONS:
    countries = WGI_REGION[code]
    how = (f"mean of the six WGI 2023 estimates of {countries[0]} = {sum(WGI_2023[countries[0]]) / 6:+.3f}"
           if len(countries) == 1 else WGI_WHY[code] + f"; mean estimate {sum(sum(WGI_2023[c]) / 6 for c in countries) / len(countries):+.3f}")
    add("origin_risk", region=code, indicator="governance", value=r(governance_risk(code), 3), unit="dimensionless",
        source="wb_wgi2024",
        note=f"governance risk = (2.5 - WGI mean) / 5 (1 = weakest governance, 0 = strongest; the linear 0-1 rescaling of the WGI range OHI uses, inverted); {how}")
# artisanal and small-scale (ASM) share of cobalt supplied from an origin (gulley2023): DRC mine output 9-11 %
# artisanal in 2020; 6-8 % of world mine output, chiefly refined in China (about 80 % of refined Co, iea_gcmo2025)
ASM_CO = {"CD": (0.10, "gulley2023", "artisanal cobalt 9-11 % of DRC mine output in 2020 (gulley2023), midpoint"),
          "CN": (0.07 / 0.80, A, "artisanal cobalt 6-8 % of world mine output (gulley2023) chiefly refined in China, which refines about 80 % of cobalt (iea_gcmo2025): 0.07 / 0.80 of Chinese cobalt assumed artisanal in origin")}
for code, _ in REGIONS:
    v, src, note = ASM_CO.get(code, (0.0, "gulley2023", "no artisanal cobalt in this origin's own output: artisanal cobalt is 9-11 % of DRC and 6-8 % of world mine output (gulley2023), "
                                     "i.e. the DRC's (about 70 % of world output) artisanal share accounts for all of it"))
    add("origin_risk", region=code, indicator="artisanal_Co", value=r(v, 3), unit="dimensionless", source=src,
        note=note + "; a cobalt indicator: reported for Co only")

# ---------------------------------------------------------------------------
# Origin rules (origin_rules.csv): which steps of the chain confer origin (mfa.origin)
# ---------------------------------------------------------------------------
# 1: a process of this step makes its region the origin, on the mine basis (where the element was
# extracted) or the processing basis (where it was last substantially transformed); 0: its output
# keeps the origin of its feed. A step is a process kind, manufacturing split by the stage it makes
# (materials: pCAM, CAM; components: cells, magnets; products: packs). A process with no input
# holding the element (mining; recovery from a feed the model does not carry, e.g. Ga, Ge, Si,
# synthetic graphite) starts the element in its region on both bases whatever its step.
ORIGIN_RULES = [
    ("mine", "mining", 1, "irc_30d", "30D(e)(1)(A): critical minerals count where extracted; mining includes beneficiation to a concentrate"),
    ("mine", "refining", 0, "irc_30d", "refining keeps the mine origin of its feed (30D(e)(1)(A) names extraction and processing as separate steps)"),
    ("mine", "manufacturing_material", 0, "td9995", "making constituent materials (pCAM, CAM) extracts nothing: the element keeps its mine origin"),
    ("mine", "manufacturing_component", 0, "td9995", "making battery components (cells) or magnets extracts nothing: the element keeps its mine origin"),
    ("mine", "manufacturing_product", 0, "td9995", "assembling packs and products extracts nothing: the element keeps its mine origin"),
    ("mine", "collection", 0, "td9995", "pre-treatment of spent batteries or scrap to black mass (physical) keeps the origin of what is pre-treated"),
    ("mine", "recycling", 1, "irc_30d", "30D(e)(1)(A) accepts minerals recycled in North America in place of extracted ones: recycled material counts as mined where it is recycled (the urban mine); the model also carries no origin for stock in use before its first year, which would otherwise stay untraced"),
    ("mine", "repurposing", 0, "td9995", "second-life packs keep the origin of the packs repurposed"),
    ("processing", "mining", 1, "irc_30d", "a concentrate's last substantial transformation is its extraction and beneficiation at the mine"),
    ("processing", "refining", 1, "td9995", "smelting, refining and conversion to battery-grade salts, oxides or metal are processing of critical minerals (26 CFR 1.30D-3)"),
    ("processing", "manufacturing_material", 1, "td9995", "pCAM and CAM powders are constituent materials: 26 CFR 1.30D-3 counts their making with the processing of critical minerals (not as battery-component manufacturing), which is why CAM made in Korea, an FTA country, can qualify (yonhap_cam2023)"),
    ("processing", "manufacturing_component", 0, "td9995", "cells are battery components (and magnets components of motors): 26 CFR 1.30D-3 counts their making under the battery component requirement, not as processing of the minerals in them"),
    ("processing", "manufacturing_product", 0, "td9995", "pack assembly is battery-component assembly, not processing of the minerals in them"),
    ("processing", "collection", 0, "td9995", "physical pre-treatment to black mass is the first step of recycling; origin is conferred where the black mass is refined"),
    ("processing", "recycling", 1, "irc_30d", "recycling to battery-grade salts, oxides or magnets is a substantial transformation (30D(e)(1)(A) names recycling beside processing)"),
    ("processing", "repurposing", 0, "td9995", "second-life packs keep the origin of the packs repurposed"),
]
for basis, step, confers, src, why in ORIGIN_RULES:
    add("origin_rules", basis=basis, step=step, value=confers, unit="dimensionless", source=src, note=why)

# ---------------------------------------------------------------------------
# Commodities
# ---------------------------------------------------------------------------
def com(c, element, stage, unit="t", tradable=True, secondary=False, gross=1.0, form="", eol="", source="ciaaw", note=""):
    add("commodities", commodity=c, element=element, stage=stage, unit=unit, tradable=str(tradable).lower(),
        secondary=str(secondary).lower(), gross_factor=r(gross, 5), gross_form=form, eol_commodity=eol, source=source, note=note)

com("Li.spodumene", "Li", "mining", gross=1 / LI_IN_SC6, form="spodumene concentrate SC6 (6 % Li2O)", note="t Li in SC6; 2.79 % Li")
com("Li.carbonate", "Li", "refining", gross=1 / LI_IN_LCE, form="Li2CO3 (LCE)", note="t Li; 1 t Li = 5.323 t LCE")
com("Li.hydroxide", "Li", "refining", gross=1 / LI_IN_LIOH_H2O, form="LiOH.H2O", note="t Li; 1 t Li = 6.046 t LiOH.H2O")
com("Li.secondary", "Li", "secondary", secondary=True, gross=1 / LI_IN_LCE, form="recycled Li2CO3", note="recycled lithium salt (t Li); substitute for primary Li salts")
com("Ni.concentrate", "Ni", "mining", gross=1 / 0.185, form="sulfide concentrate (about 18.5 % Ni)", source="voiseys_bay2004",
    note="t Ni; Voisey's Bay concentrate 18-19 % Ni (13-14 % in the prefeasibility study), middle 18.5 % (was 12 % assumed) [S][U]: one Canadian mine")
com("Ni.laterite", "Ni", "mining", gross=1 / 0.016, form="laterite ore (about 1.6 % Ni)", source="davis_hpl2021",
    note="t Ni in ore; gross factor from the 1.6 % Ni limonite fed to the Obi HPAL plant (was 1.5 % assumed) [S][U]; saprolite for RKEF is richer")
com("Ni.intermediate", "Ni", "refining", gross=1 / 0.75, form="matte / MHP / class-1 metal (about 75 % Ni, assumed)", source=A, note="t Ni in battery-grade intermediates or class-1 metal that can be dissolved to sulfate")
com("Ni.sulfate", "Ni", "refining", gross=1 / NI_IN_NISO4_6H2O, form="NiSO4.6H2O", note="t Ni")
com("Ni.secondary", "Ni", "secondary", secondary=True, gross=1 / NI_IN_NISO4_6H2O, form="recycled NiSO4.6H2O", note="recycled nickel salt (t Ni)")
com("Co.intermediate", "Co", "mining", gross=1 / 0.35, form="cobalt hydroxide / Co in MHP or matte (about 35 % Co)", source="istrate2024", note="t Co; Co(OH)2 grade about 35 % implied by 1.1 kg hydroxide per kg CoSO4")
com("Co.sulfate", "Co", "refining", gross=1 / CO_IN_COSO4_7H2O, form="CoSO4.7H2O", note="t Co")
com("Co.secondary", "Co", "secondary", secondary=True, gross=1 / CO_IN_COSO4_7H2O, form="recycled CoSO4.7H2O", note="recycled cobalt salt (t Co)")
com("Mn.ore", "Mn", "mining", gross=1 / 0.365, form="manganese ore (36.5 % Mn)", source="seaisi_mysteel2024",
    note="t Mn (USGS basis: Mn content); South African ore of 36.5 % Mn, the grade priced in reference_price.csv (was 44 % assumed) [S]")
com("Mn.sulfate", "Mn", "refining", gross=1 / MN_IN_MNSO4_H2O, form="MnSO4.H2O (HPMSM)", note="t Mn")
com("Mn.secondary", "Mn", "secondary", secondary=True, gross=1 / MN_IN_MNSO4_H2O, form="recycled MnSO4.H2O", note="recycled manganese salt (t Mn)")
com("C.flake", "C", "mining", gross=1.0, form="natural graphite concentrate", source="usgs_mcs2025", note="t graphite (USGS gross weight of concentrate, treated as t C)")
com("C.spherical", "C", "material", gross=1.0, form="coated spherical natural graphite (anode)", source="istrate2024", note="t graphite")
com("C.synthetic", "C", "material", gross=1.0, form="synthetic graphite (anode)", source="istrate2024", note="t graphite; feedstock (needle/petroleum coke) not modelled")
com("Cu.concentrate", "Cu", "mining", gross=1 / 0.25, form="copper concentrate (about 25 % Cu)", source="copper_org", note="t Cu; flotation concentrate about 25 % Cu (copper_org) [S]")
com("Cu.refined", "Cu", "refining", gross=1.0, form="copper cathode", note="t Cu")
com("Cu.secondary", "Cu", "secondary", secondary=True, gross=1.0, form="recycled copper", note="copper recovered from batteries (t Cu)")
com("NdPr.concentrate", "NdPr", "mining", gross=1 / (0.157 * REO_TO_METAL), form="mixed REE concentrate (NdPr = 15.7 % of TREO)", source="mp_10k2021", note="t Nd+Pr element contained")
com("HREE.concentrate", "DyTb", "mining", gross=1 / (0.01 * REO_TO_METAL), form="mixed REE concentrate (assumed 1 % Dy+Tb of TREO)", source=A, note="t Dy+Tb element contained")
com("NdPr.oxide", "NdPr", "refining", gross=1 / NDPR_IN_OXIDE, form="NdPr oxide (75:25 Nd2O3:Pr6O11)", note="t Nd+Pr element")
com("HREE.oxide", "DyTb", "refining", gross=1 / DY_IN_DY2O3, form="Dy2O3 / Tb4O7", note="t Dy+Tb element")
com("NdPr.secondary", "NdPr", "secondary", secondary=True, gross=1 / NDPR_IN_OXIDE, form="recycled NdPr oxide", note="t Nd+Pr element")
com("HREE.secondary", "DyTb", "secondary", secondary=True, gross=1 / DY_IN_DY2O3, form="recycled Dy/Tb oxide", note="t Dy+Tb element")
com("W.concentrate", "W", "mining", gross=1 / (0.65 * W_IN_WO3), form="scheelite/wolframite concentrate (65 % WO3)", source="buffalo_tungsten",
    note="t W; first-grade concentrate has at least 65 % WO3 (industry standard) [S]")
com("W.APT", "W", "refining", gross=1 / W_IN_WO3, form="APT / WO3 (WO3 basis)", note="t W; gross as WO3")
com("Ga.metal", "Ga", "refining", gross=1.0, form="gallium metal (primary, low purity)", source="usgs_mcs2025", note="t Ga")
com("Ge.metal", "Ge", "refining", gross=1.0, form="germanium metal / GeO2", source="usgs_mcs2025", note="t Ge")
com("Si.metal", "Si", "refining", gross=1.0, form="silicon metal", source="usgs_mcs2025", note="t Si")
for ch in ("NMC811", "NMC622"):
    com(f"pCAM.{ch}", "multi", "material", gross=1.0, form=f"{ch} hydroxide precursor", note=f"t pCAM; element content in commodity_content")
for ch in CHEMS:
    com(f"CAM.{ch}", "multi", "material", gross=1.0, form=f"{ch} cathode active material", note="t CAM; element content in commodity_content")
for ch in CHEMS:
    com(f"cell.{ch}", "multi", "component", unit="GWh", gross=CELL_T_PER_GWH[ch], form="t of cells per GWh", source="hasselwander2023",
        note=f"GWh of {ch} cells; gross factor from the 2020 mean cell specific energy {CELL_KWH_PER_KG[ch] * 1e3:.0f} Wh/kg (range {CELL_RANGE[ch]} kWh/kg) [S]; "
             "KR demand for this commodity is exports (no lifetime)")
com("NdFeB.magnet", "multi", "component", gross=1.0, form="sintered NdFeB magnet", source="yang2017", note="t magnet; 31.5 wt % REE")
for ch in CHEMS:
    com(f"ev_battery.{ch}", "multi", "product", unit="GWh", tradable=False, gross=CELL_T_PER_GWH[ch] * PACK_PER_CELL[ch],
        form=f"t of packs per GWh (cells / (1 - {BOP_SHARE[ch]:.2f} BoP mass share))", eol=f"battery.{ch}.eol", source="hasselwander2023",
        note=f"EV battery packs placed on the domestic market (GWh); pack mass = cell mass / (1 - battery-management mass share {BOP_SHARE[ch]:.0%}) [S]")
com("ess_battery.LFP", "multi", "product", unit="GWh", tradable=False, gross=CELL_T_PER_GWH["LFP"] * PACK_PER_CELL["LFP"], form="t of ESS packs per GWh (cells / 0.73)",
    eol="battery.LFP.eol", source="hasselwander2023",
    note="stationary storage (GWh of storage): new LFP packs at nameplate, or repurposed EV LFP packs at their state of health (0.7 GWh per GWh of spent pack); pack mass as the EV LFP pack (cell mass / (1 - 27 % BoP), the same for stationary LFP in premise_lci) [S]")
com("portable_battery", "multi", "product", unit="GWh", tradable=False, gross=CELL_T_PER_GWH["NMC622"] * 1.2, form="t of portable packs per GWh (assumed)",
    eol="battery.portable.eol", source=A, note="Li-ion batteries in electronics; NMC622 cells as proxy for LCO/NMC mixes")
com("magnet.ev", "multi", "product", tradable=False, gross=1.0, form="NdFeB in EV traction motors", eol="NdFeB.eol", source="heim2023", note="t magnet in EV motors")
com("magnet.wind", "multi", "product", tradable=False, gross=1.0, form="NdFeB in wind generators", eol="NdFeB.eol", source="heim2023", note="t magnet in permanent-magnet wind generators")
for ch in CHEMS:
    com(f"battery.{ch}.eol", "multi", "eol", unit="GWh", tradable=True, gross=CELL_T_PER_GWH[ch] * PACK_PER_CELL[ch], form="t of spent packs per GWh (as the new pack)", source="hasselwander2023",
        note="end-of-life batteries (GWh nameplate), mass as the new pack [S]; tradable, but trade_limit.csv closes every route (Basel controls) unless a scenario opens one")
com("battery.portable.eol", "multi", "eol", unit="GWh", tradable=True, gross=CELL_T_PER_GWH["NMC622"] * 1.2, form="t of spent portable batteries per GWh (assumed)", source=A,
    note="end-of-life portable batteries; recycled as NMC622 (proxy)")
for ch in CHEMS:
    com(f"scrap.{ch}", "multi", "eol", unit="GWh", tradable=True, gross=CELL_T_PER_GWH[ch], form="cell manufacturing scrap (GWh-equivalent)", source="busch2025_na",
        note="cell manufacturing scrap, GWh-equivalent of good cells; recycled like spent cells")
for ch in CHEMS:
    com(f"black_mass.{ch}", "multi", "eol", tradable=True, gross=1.0, form="black mass (shredded and sieved electrode powder)", source="everbatt2023",
        note=f"t of black mass from pre-treated spent {ch} cells or cell scrap; element content in commodity_content; tradable, but trade_limit.csv closes every route (as for end-of-life batteries) unless a scenario opens one")
com("Cu.scrap", "Cu", "eol", tradable=True, gross=1.0, form="copper foil and tab scrap from battery pre-treatment", source="everbatt2023",
    note="t Cu recovered as clean scrap at pre-treatment (90 % of the cells' Cu); refined to Cu.secondary; its routes are closed like other end-of-life material")
com("NdFeB.eol", "multi", "eol", tradable=True, gross=1.0, form="end-of-life NdFeB magnets", source="yang2017", note="t magnet")
com("NdFeB.scrap", "multi", "eol", tradable=True, gross=1.0, form="magnet manufacturing scrap (swarf)", source="metals2023", note="t magnet-equivalent")

# element contents
def content(c, el, v, src, note=""):
    add("commodity_content", commodity=c, element=el, value=r(v, 5), unit="t/t", source=src, note=note)

for ch in ("NMC811", "NMC622"):
    s = STO[ch]
    for el in ("Li", "Ni", "Mn", "Co"):
        content(f"CAM.{ch}", el, s[f"cam_{el}"], "ciaaw", f"stoichiometric Li{ch} (CIAAW atomic weights)")
    for el in ("Ni", "Mn", "Co"):
        content(f"pCAM.{ch}", el, s[f"pcam_{el}"], "ciaaw", f"stoichiometric (Ni,Mn,Co)(OH)2 of {ch}")
content("CAM.LFP", "Li", LFP_LI, "ciaaw", "LiFePO4")
for ch in CHEMS:
    for el, v in BATPAC[ch].items():
        if v > 0:
            for c in (f"cell.{ch}", f"ev_battery.{ch}", f"battery.{ch}.eol", f"scrap.{ch}"):
                add("commodity_content", commodity=c, element=el, value=r(v, 5), unit="t/GWh", source="busch2024",
                    note="BatPaC 5.1 default design, kg/kWh = t/GWh")
for ch in CHEMS:
    for el, v in BM_CONTENT[ch].items():
        content(f"black_mass.{ch}", el, v, "everbatt2023",
                f"{'5 % of the cell Cu (foil share in black mass)' if el == 'Cu' else '95 % of the cell ' + el} (EverBatt 2023) x BatPaC {BATPAC[ch][el]} t/GWh / {BM_PER_GWH[ch]:.0f} t black mass per GWh")
for el, v in BATPAC["LFP"].items():
    add("commodity_content", commodity="ess_battery.LFP", element=el, value=v, unit="t/GWh", source="busch2024", note="BatPaC 5.1 LFP")
for el, v in BATPAC["NMC622"].items():
    for c in ("portable_battery", "battery.portable.eol"):
        add("commodity_content", commodity=c, element=el, value=v, unit="t/GWh", source="busch2024", note="BatPaC 5.1 NMC622 as proxy")
for c in ("NdFeB.magnet", "magnet.ev", "magnet.wind", "NdFeB.eol", "NdFeB.scrap"):
    content(c, "NdPr", MAG_NDPR, "yang2017", "31.5 wt % REE minus Dy/Tb")
    content(c, "DyTb", MAG_HREE, "heim2023", "Dy about 4 % of the magnet")

# ---------------------------------------------------------------------------
# Processes and process_io
# ---------------------------------------------------------------------------
def proc(p, kind, name, unit="t", source=A, note=""):
    add("processes", process=p, kind=kind, activity_unit=unit, name=name, source=source, note=note)


CELLISH = lambda c: c.startswith(("cell.", "ev_battery.", "ess_battery.", "portable_battery", "battery.", "scrap."))


def io(p, c, d, v, src, note="", group=""):
    """One process_io row; unit is {commodity}/{activity}."""
    act = PUNIT[p]
    cu = "GWh" if CELLISH(c) else "t"
    if src == A and not note:
        note = "one unit of input per unit of output: assembly or fitting step without material loss (assumed)" if v == 1 else "assumed"
    add("process_io", process=p, commodity=c, direction=d, group=group, value=r(v, 5), unit=f"{cu}/{act}", source=src, note=note)


PUNIT: dict[str, str] = {}


def P(p, kind, name, unit="t", source=A, note=""):
    PUNIT[p] = unit
    if source == A and not note:
        note = "process defined for this dataset (assembly step)"
    proc(p, kind, name, unit, source, note)


# lithium
P("li_spodumene_mining", "mining", "Hard-rock lithium mining and concentration to SC6", note="activity: t Li in SC6")
io("li_spodumene_mining", "Li.spodumene", "out", 1, "usgs_mcs2025", "t Li contained")
P("li_brine_carbonate", "mining", "Lithium brine extraction and Li2CO3 production", note="activity: t Li in Li2CO3")
io("li_brine_carbonate", "Li.carbonate", "out", 1, "istrate2024", "integrated brine-to-carbonate (Salar de Atacama LCI)")
P("li_hydroxide_spodumene", "refining", "LiOH.H2O from spodumene concentrate", note="activity: t Li in LiOH")
io("li_hydroxide_spodumene", "Li.spodumene", "in", 6.42 / LI_IN_LIOH_H2O * LI_IN_SC6, "istrate2024", "6.42 kg SC per kg LiOH.H2O x 2.79 % Li / 16.54 % Li = 1.083 (92 % recovery)")
io("li_hydroxide_spodumene", "Li.hydroxide", "out", 1, "istrate2024")
P("li_carbonate_spodumene", "refining", "Li2CO3 from spodumene concentrate", note="activity: t Li in Li2CO3")
io("li_carbonate_spodumene", "Li.spodumene", "in", 7.3 * LI_IN_SC6 / LI_IN_LCE, "istrate2024", "7.3 kg SC per kg Li2CO3 x 2.79 % / 18.79 % = 1.084")
io("li_carbonate_spodumene", "Li.carbonate", "out", 1, "istrate2024")
P("li_hydroxide_from_carbonate", "refining", "Conversion of Li2CO3 to LiOH.H2O", note="activity: t Li in LiOH")
io("li_hydroxide_from_carbonate", "Li.carbonate", "in", 1.05 * LI_IN_LCE / LI_IN_LIOH_H2O, "istrate2024",
   "1.05 kg Li2CO3 per kg battery-grade LiOH.H2O (Kelly et al. 2021 as transcribed in the istrate2024 LCI, Atacama hydroxide step) = 1.05 x 0.1879 / 0.1654 t Li per t Li "
   "(about 84 % Li yield; was 2 % loss assumed) [S]")
io("li_hydroxide_from_carbonate", "Li.hydroxide", "out", 1, "istrate2024", "refining step from Atacama Li2CO3")

# nickel and cobalt
CO_PER_NI_SULFIDE = 4500 / 190000
CO_PER_CU_DRC = 220000 / 3300000
P("ni_sulfide_mining", "mining", "Nickel sulfide mining and concentration", note="activity: t Ni in concentrate; by-product Co")
io("ni_sulfide_mining", "Ni.concentrate", "out", 1, "usgs_mcs2025")
io("ni_sulfide_mining", "Co.intermediate", "out", CO_PER_NI_SULFIDE, "usgs_mcs2025", "Canada 2024: 4,500 t Co / 190,000 t Ni (by-product ratio, applied to all sulfide mining)")
P("ni_sulfide_refining", "refining", "Smelting/refining of sulfide concentrate to matte or class-1 nickel", note="activity: t Ni")
io("ni_sulfide_refining", "Ni.concentrate", "in", 1 / 0.95, A, "95 % smelter/refinery recovery assumed")
io("ni_sulfide_refining", "Ni.intermediate", "out", 1, "vale_ca")
P("ni_laterite_mining", "mining", "Nickel laterite ore mining", note="activity: t Ni in ore")
io("ni_laterite_mining", "Ni.laterite", "out", 1, "usgs_mcs2025")
P("ni_hpal", "refining", "High-pressure acid leaching of laterite to MHP", note="activity: t Ni in MHP; by-product Co")
io("ni_hpal", "Ni.laterite", "in", 1 / 0.92, A, "92 % HPAL Ni recovery assumed")
io("ni_hpal", "Ni.intermediate", "out", 1, "ni_indonesia_wp")
io("ni_hpal", "Co.intermediate", "out", 4577 / 37260, "davis_hpl2021", "Co:Ni in MHP of the Halmahera Persada Lygend HPAL plant (Obi): 4,577 t Co / 37,260 t Ni a year "
   "= 0.123 (was 0.08 assumed, typical Indonesian MHP 1:12) [S]")
P("ni_rkef_matte", "refining", "Rotary kiln-electric furnace NPI converted to nickel matte", note="activity: t Ni in matte")
io("ni_rkef_matte", "Ni.laterite", "in", 1 / 0.90, A, "90 % recovery assumed")
io("ni_rkef_matte", "Ni.intermediate", "out", 1, "ni_indonesia_wp")
P("ni_sulfate_refining", "refining", "Dissolution/refining of nickel intermediates to NiSO4", note="activity: t Ni in NiSO4")
io("ni_sulfate_refining", "Ni.intermediate", "in", 1 / 0.97, "igo_nova2019", "97 % recovery (was 99 % assumed): IGO's nickel sulfate process extracts more than 97 % of the Ni (and Co) of its feed "
   "(sulfide concentrate) [S][U]; sourced range: over 94 % of the Ni+Co value of MHP recovered by selective acid leaching (vaughan2013_alta)")
io("ni_sulfate_refining", "Ni.sulfate", "out", 1, "istrate2024")
P("cu_co_mining", "mining", "Copper-cobalt mining and hydrometallurgy (DRC Copperbelt)", note="activity: t Cu; by-product Co hydroxide")
io("cu_co_mining", "Cu.concentrate", "out", 1, "usgs_mcs2025", "copper leaves as concentrate or SX-EW cathode feed")
io("cu_co_mining", "Co.intermediate", "out", CO_PER_CU_DRC, "usgs_mcs2025", "DRC 2024: 220 kt Co / 3,300 kt Cu")
P("co_sulfate_refining", "refining", "Cobalt hydroxide/intermediate refining to CoSO4", note="activity: t Co")
io("co_sulfate_refining", "Co.intermediate", "in", 1 / 0.97, A, "97 % recovery assumed")
io("co_sulfate_refining", "Co.sulfate", "out", 1, "istrate2024")

# manganese, graphite, copper
P("mn_mining", "mining", "Manganese ore mining", note="activity: t Mn")
io("mn_mining", "Mn.ore", "out", 1, "usgs_mcs2025")
P("mn_sulfate_refining", "refining", "High-purity manganese sulfate (HPMSM) from ore", note="activity: t Mn")
io("mn_sulfate_refining", "Mn.ore", "in", 1 / 0.90, A, "90 % recovery assumed")
io("mn_sulfate_refining", "Mn.sulfate", "out", 1, A)
P("graphite_mining", "mining", "Natural graphite mining and flotation", note="activity: t flake concentrate")
io("graphite_mining", "C.flake", "out", 1, "usgs_mcs2025")
P("graphite_spheronisation", "refining", "Spheronisation, purification and coating of flake graphite", note="activity: t coated spherical graphite")
io("graphite_spheronisation", "C.flake", "in", 2.22, "istrate2024", "2.22 kg flake per kg sphere (about 45 % yield)")
io("graphite_spheronisation", "C.spherical", "out", 1, "istrate2024")
P("graphite_synthetic", "refining", "Synthetic graphite anode from needle/petroleum coke", note="activity: t graphite; coke feed not modelled")
io("graphite_synthetic", "C.synthetic", "out", 1, "istrate2024")
P("cu_mining", "mining", "Copper mining and concentration", note="activity: t Cu")
io("cu_mining", "Cu.concentrate", "out", 1, "usgs_mcs2025")
P("cu_smelting_refining", "refining", "Copper smelting and refining to cathode", note="activity: t Cu")
io("cu_smelting_refining", "Cu.concentrate", "in", 1 / 0.97, A, "97 % recovery assumed (no public smelter recovery figure found; concentrate about 25 % Cu, copper_org)")
io("cu_smelting_refining", "Cu.refined", "out", 1, "usgs_mcs2025")

# rare earths
NDPR_LIGHT = 0.157 * REO_TO_METAL
HREE_LIGHT = 0.001 * 0.86
NDPR_IONIC = 0.25 * REO_TO_METAL
HREE_IONIC = 0.04 * 0.86
P("ree_mining_light", "mining", "Light REE mining and beneficiation (bastnaesite/monazite)", note="activity: t REO mined")
io("ree_mining_light", "NdPr.concentrate", "out", NDPR_LIGHT, "mp_10k2021", "NdPr 15.7 % of TREO (Mountain Pass) x 0.85 REO-to-element")
io("ree_mining_light", "HREE.concentrate", "out", HREE_LIGHT, A, "Dy+Tb about 0.1 % of TREO in light-REE ores assumed, x 0.86")
P("ree_mining_ionic", "mining", "Ion-adsorption clay REE mining (HREE-rich)", note="activity: t REO mined")
io("ree_mining_ionic", "NdPr.concentrate", "out", NDPR_IONIC, A, "NdPr about 25 % of TREO assumed, x 0.85")
io("ree_mining_ionic", "HREE.concentrate", "out", HREE_IONIC, A, "Dy+Tb about 4 % of TREO in HREE-rich clays assumed, x 0.86")
P("ndpr_separation", "refining", "Solvent-extraction separation of NdPr oxide (incl. metal conversion where needed)", note="activity: t Nd+Pr element")
io("ndpr_separation", "NdPr.concentrate", "in", 1 / 0.95, A, "95 % separation yield assumed")
io("ndpr_separation", "NdPr.oxide", "out", 1, "src2025")
P("hree_separation", "refining", "Separation of Dy/Tb oxides", note="activity: t Dy+Tb element")
io("hree_separation", "HREE.concentrate", "in", 1 / 0.95, A, "95 % separation yield assumed")
io("hree_separation", "HREE.oxide", "out", 1, A)

# semiconductor minerals
P("w_mining", "mining", "Tungsten mining and concentration", note="activity: t W")
io("w_mining", "W.concentrate", "out", 1, "usgs_mcs2025")
P("w_apt_refining", "refining", "Tungsten concentrate to APT/oxide", note="activity: t W")
io("w_apt_refining", "W.concentrate", "in", 1 / 0.95, A, "95 % recovery assumed")
io("w_apt_refining", "W.APT", "out", 1, "almonty_sangdong")
P("ga_refining", "refining", "Primary gallium recovery (by-product of alumina/zinc refining)", note="activity: t Ga; host-metal feed not modelled")
io("ga_refining", "Ga.metal", "out", 1, "usgs_mcs2025")
P("ge_refining", "refining", "Germanium recovery (by-product of zinc refining/coal ash)", note="activity: t Ge; host-metal feed not modelled")
io("ge_refining", "Ge.metal", "out", 1, "teck_ge")
P("si_metal_smelting", "refining", "Silicon metal smelting (carbothermic)", note="activity: t Si; quartz feed not modelled")
io("si_metal_smelting", "Si.metal", "out", 1, "usgs_mcs2025")

# battery materials
for ch in ("NMC811", "NMC622"):
    s = STO[ch]
    p = f"pcam_{ch}"
    P(p, "manufacturing", f"{ch} precursor (co-precipitation of Ni/Co/Mn hydroxide)", note="activity: t pCAM")
    for el, prim, sec in (("Ni", "Ni.sulfate", "Ni.secondary"), ("Co", "Co.sulfate", "Co.secondary"), ("Mn", "Mn.sulfate", "Mn.secondary")):
        v = s[f"pcam_{el}"] / 0.99
        io(p, prim, "in", v, "ciaaw", f"stoichiometric {el} content / 0.99 yield (assumed); substitutes: primary or recycled salt", group=el)
        io(p, sec, "in", v, "ciaaw", "recycled substitute", group=el)
    io(p, f"pCAM.{ch}", "out", 1, "everbatt2019")
    p = f"cam_{ch}"
    li = "Li.hydroxide" if ch == "NMC811" else "Li.carbonate"
    P(p, "manufacturing", f"{ch} cathode active material (lithiation and calcination)", note="activity: t CAM")
    io(p, f"pCAM.{ch}", "in", s["pcam_per_cam"] / (1 - CAM_LOSS), "ciaaw", "1 mol pCAM per mol CAM; 3 % net loss (NA midstream scrap 2.83-4.38 %, Busch et al. 2025)")
    io(p, li, "in", s["cam_Li"] / (1 - CAM_LOSS), "everbatt2019", f"{'LiOH' if ch == 'NMC811' else 'Li2CO3'} as Li source (EverBatt Table 18); 3 % net loss", group="Li")
    io(p, "Li.secondary", "in", s["cam_Li"] / (1 - CAM_LOSS), "everbatt2019", "recycled lithium substitute", group="Li")
    io(p, f"CAM.{ch}", "out", 1, "everbatt2019")
P("cam_LFP", "manufacturing", "LFP cathode active material", note="activity: t CAM; iron phosphate feed not modelled")
io("cam_LFP", "Li.carbonate", "in", LFP_LI / (1 - CAM_LOSS), "ciaaw", "LiFePO4 Li content; 3 % net loss", group="Li")
io("cam_LFP", "Li.secondary", "in", LFP_LI / (1 - CAM_LOSS), "ciaaw", "recycled lithium substitute", group="Li")
io("cam_LFP", "CAM.LFP", "out", 1, "ciaaw")

for ch in CHEMS:
    p = f"cell_{ch}"
    P(p, "manufacturing", f"{ch} cell manufacturing (electrodes, assembly, formation)", unit="GWh", note="activity: GWh of cells")
    k = 1 / (1 - CELL_SCRAP)
    io(p, f"CAM.{ch}", "in", CAM_PER_GWH[ch] * k, "busch2024",
       f"BatPaC {'Ni' if ch != 'LFP' else 'Li (less electrolyte)'} intensity / CAM content = {CAM_PER_GWH[ch]:.0f} t/GWh, / (1 - 2 % cell scrap)")
    io(p, "C.spherical", "in", BATPAC[ch]["C"] * k, "busch2024", "BatPaC graphite; natural or synthetic", group="anode")
    io(p, "C.synthetic", "in", BATPAC[ch]["C"] * k, "busch2024", "BatPaC graphite; natural or synthetic", group="anode")
    io(p, "Cu.refined", "in", BATPAC[ch]["Cu"] * k, "busch2024", "BatPaC copper (current collector, tabs)", group="Cu")
    io(p, "Cu.secondary", "in", BATPAC[ch]["Cu"] * k, "busch2024", "recycled copper substitute", group="Cu")
    io(p, "Li.carbonate", "in", ELECTROLYTE_LI * k, "busch2024", "electrolyte Li (LiPF6): BatPaC Li minus CAM Li", group="Li")
    io(p, "Li.secondary", "in", ELECTROLYTE_LI * k, "busch2024", "recycled lithium substitute", group="Li")
    io(p, f"cell.{ch}", "out", 1, "busch2024")
    io(p, f"scrap.{ch}", "out", CELL_SCRAP * k, "busch2025_na", "cell scrap 2 % of input (NA 2.34 % in 2025 -> 1.51 % in 2030)")
for ch in CHEMS:
    p = f"pack_ev_{ch}"
    P(p, "manufacturing", f"EV battery pack assembly ({ch})", unit="GWh", note="activity: GWh")
    io(p, f"cell.{ch}", "in", 1, "busch2024", "BatPaC: a pack's energy is the sum of its cells' energy (1 GWh of cells per GWh of pack)")
    io(p, f"ev_battery.{ch}", "out", 1, "busch2024", "one GWh of pack per GWh of activity (the activity unit)")
P("pack_ess_LFP", "manufacturing", "Stationary storage system assembly (LFP)", unit="GWh")
io("pack_ess_LFP", "cell.LFP", "in", 1, "busch2024", "BatPaC: a pack's energy is the sum of its cells' energy (1 GWh of cells per GWh of pack)")
io("pack_ess_LFP", "ess_battery.LFP", "out", 1, "busch2024", "one GWh of system per GWh of activity (the activity unit)")
P("pack_portable", "manufacturing", "Portable battery pack assembly (NMC622 proxy)", unit="GWh")
io("pack_portable", "cell.NMC622", "in", 1, "busch2024", "BatPaC: a pack's energy is the sum of its cells' energy (1 GWh of cells per GWh of pack)")
io("pack_portable", "portable_battery", "out", 1, "busch2024", "one GWh of pack per GWh of activity (the activity unit)")

P("magnet_making", "manufacturing", "Sintered NdFeB magnet making (oxide reduction, alloying, sintering)", note="activity: t magnet")
io("magnet_making", "NdPr.oxide", "in", MAG_NDPR / (1 - MAG_SCRAP), "yang2017", "27.5 % NdPr in magnet / (1 - 25 % scrap)", group="NdPr")
io("magnet_making", "NdPr.secondary", "in", MAG_NDPR / (1 - MAG_SCRAP), "yang2017", "recycled substitute", group="NdPr")
io("magnet_making", "HREE.oxide", "in", MAG_HREE / (1 - MAG_SCRAP), "heim2023", "4 % Dy/Tb / (1 - 25 % scrap)", group="DyTb")
io("magnet_making", "HREE.secondary", "in", MAG_HREE / (1 - MAG_SCRAP), "heim2023", "recycled substitute", group="DyTb")
io("magnet_making", "NdFeB.magnet", "out", 1, "yang2017")
io("magnet_making", "NdFeB.scrap", "out", MAG_SCRAP / (1 - MAG_SCRAP), "metals2023", "25 % manufacturing scrap (6-73 % range), assumed")
for prod_ in ("ev", "wind"):
    p = f"magnet_assembly_{prod_}"
    P(p, "manufacturing", f"Fitting NdFeB magnets into {'EV traction motors' if prod_ == 'ev' else 'wind generators'}", note="activity: t magnet")
    io(p, "NdFeB.magnet", "in", 1, A)
    io(p, f"magnet.{prod_}", "out", 1, A)

# recycling
HYDRO_REC = dict(Li=0.90, Ni=0.98, Co=0.98, Mn=0.98)  # EverBatt 2023 hydrometallurgical recovery from black mass
HYDRO = {el: BM_YIELD * rec for el, rec in HYDRO_REC.items()} | {"Cu": FOIL_RECOVERY}  # chained cell-to-salt recovery
PYRO = dict(Ni=0.98, Co=0.98, Cu=0.90)
SEC = dict(Li="Li.secondary", Ni="Ni.secondary", Co="Co.secondary", Mn="Mn.secondary", Cu="Cu.secondary")


def eol_inputs(p, ch, src):
    feeds = [f"battery.{ch}.eol", f"scrap.{ch}"] + (["battery.portable.eol"] if ch == "NMC622" else [])
    for f in feeds:
        io(p, f, "in", 1, src, "spent batteries or manufacturing scrap of this chemistry (substitutes); 1 GWh per GWh "
           "by the definition of the activity (GWh of feed), as in the route's source", group="feed")


for ch in CHEMS:
    # pre-treatment (EverBatt 2023 pre-processing): discharge, dismantling, shredding and sieving
    p = f"pretreat_{ch}"
    P(p, "collection", f"Pre-treatment of spent cells or cell scrap to black mass: discharge, dismantling, shredding, sieving ({ch})", unit="GWh",
      source="everbatt2023", note="activity: GWh of spent cells or scrap; kind collection: its outputs are intermediates, not recycled material")
    eol_inputs(p, ch, "everbatt2023")
    io(p, f"black_mass.{ch}", "out", BM_PER_GWH[ch], "everbatt2023", f"95 % of CAM + graphite into black mass: {BM_PER_GWH[ch]:.0f} t/GWh")
    io(p, "Cu.scrap", "out", BATPAC[ch]["Cu"] * FOIL_RECOVERY, "everbatt2023", "90 % of the cell Cu (foils, tabs) recovered as scrap; Al foil and steel not modelled")
    # hydrometallurgical refining of black mass
    p = f"recycle_hydro_{ch}"
    P(p, "recycling", f"Hydrometallurgical refining of black mass to battery salts ({ch})", unit="t", source="everbatt2023", note="activity: t of black mass")
    io(p, f"black_mass.{ch}", "in", 1, "everbatt2023", "black mass of this chemistry (content in commodity_content)")
    for el, rec in HYDRO_REC.items():
        if BATPAC[ch][el] > 0:
            io(p, SEC[el], "out", BM_CONTENT[ch][el] * rec, "everbatt2023",
               f"black-mass content x recovery {rec} (EverBatt 2023: 98 % Ni/Co/Mn, 90 % Li); x 95 % black-mass yield = {BM_YIELD * rec:.3f} of the cell's {el}, the chained EverBatt figure")
P("recycle_cu_scrap", "recycling", "Refining of clean copper scrap from battery pre-treatment", note="activity: t Cu")
io("recycle_cu_scrap", "Cu.scrap", "in", 1, A, "clean foil scrap refined without further loss (the 90 % Cu recovery is counted at pre-treatment)")
io("recycle_cu_scrap", "Cu.secondary", "out", 1, A, "one t of recycled Cu per t of Cu in scrap (assumed)")
for ch in ("NMC811", "NMC622"):
    p = f"recycle_pyro_{ch}"
    P(p, "recycling", f"Pyrometallurgical recycling ({ch}); Li and Mn to slag", unit="GWh", source="everbatt2019", note="activity: GWh")
    eol_inputs(p, ch, "everbatt2019")
    for el, rec in PYRO.items():
        io(p, SEC[el], "out", BATPAC[ch][el] * rec, "everbatt2019", f"BatPaC content x recovery {rec} (EverBatt 2019 Table 12)")
for ch in CHEMS:
    p = f"recycle_direct_{ch}"
    P(p, "recycling", f"Direct (cathode-to-cathode) recycling ({ch})", unit="GWh", source="everbatt2019", note="activity: GWh; output is relithiated CAM")
    eol_inputs(p, ch, "everbatt2019")
    io(p, f"CAM.{ch}", "out", CAM_PER_GWH[ch] * 0.90, "everbatt2019", "90 % of cathode recovered as CAM (EverBatt 2019 Table 12)")
    io(p, "Cu.secondary", "out", BATPAC[ch]["Cu"] * 0.90, "everbatt2019", "90 % Cu")
P("recycle_magnet_hydro", "recycling", "Hydrometallurgical REE recovery from NdFeB magnets (leach + solvent extraction)", note="activity: t magnet")
io("recycle_magnet_hydro", "NdFeB.eol", "in", 1, A, "end-of-life magnets or swarf (substitutes)", group="feed")
io("recycle_magnet_hydro", "NdFeB.scrap", "in", 1, A, "manufacturing scrap", group="feed")
io("recycle_magnet_hydro", "NdPr.secondary", "out", MAG_NDPR * 0.95, "busch2025", "95 % REE recovery (US maximum-recovery assumption in Busch et al. 2025)")
io("recycle_magnet_hydro", "HREE.secondary", "out", MAG_HREE * 0.95, "busch2025", "95 % REE recovery")
P("recycle_magnet_hpms", "recycling", "Hydrogen processing of magnet scrap (HPMS) to new magnets", note="activity: t magnet feed")
io("recycle_magnet_hpms", "NdFeB.eol", "in", 1, A, "feed (substitutes)", group="feed")
io("recycle_magnet_hpms", "NdFeB.scrap", "in", 1, A, "feed (substitutes)", group="feed")
io("recycle_magnet_hpms", "NdFeB.magnet", "out", 0.85, A, "85 % yield assumed (no published HPMS powder yield was found)")
P("repurpose_LFP", "repurposing", "Repurposing of spent LFP EV packs into stationary storage", unit="GWh", source="busch2024", note="activity: GWh")
io("repurpose_LFP", "battery.LFP.eol", "in", 1, A, "GWh nameplate; only LFP repurposed so that the ESS product keeps the LFP eol chemistry")
io("repurpose_LFP", "ess_battery.LFP", "out", 0.7, "nrel_second_use",
   "[S] state-of-health derating: 0.7 GWh of usable storage per GWh (nameplate) of spent EV pack, about 70 % of initial capacity "
   "left after about 15 years in vehicles (state of health at retirement 70-80 %); the whole pack returns to end of life after its "
   "remaining life (second_life_lifetime.csv)")

# ---------------------------------------------------------------------------
# Demand
# ---------------------------------------------------------------------------
YEARS = [2025, 2030, 2035, 2040, 2045, 2050]
# world clean-tech Li demand (kt Li), IEA data explorer 2023 vintage
LI_STEPS = {2022: 73.17, 2030: 239.83, 2035: 345.67, 2040: 460.13, 2045: 518.47, 2050: 490.44}
LI_APS = {2022: 73.17, 2030: 367.97, 2035: 701.75, 2040: 951.94, 2045: 1054.0, 2050: 1089.0}


def interp(d, y):
    ks = sorted(d)
    for a, b in zip(ks, ks[1:]):
        if a <= y <= b:
            return d[a] + (d[b] - d[a]) * (y - a) / (b - a)
    return d[ks[-1]] if y > ks[-1] else d[ks[0]]


def index(scen, y, base):
    d = LI_STEPS if scen == "steps" else LI_APS
    if y <= 2025:
        return interp(LI_STEPS, y) / interp(LI_STEPS, base)
    return interp(d, y) / interp(LI_STEPS, base)


DEMAND = {"steps": [], "aps": []}


def dem(scen, reg, c, y, v, unit, src, note):
    DEMAND[scen].append(dict(region=reg, commodity=c, year=y, value=r(v, 5), unit=unit, source=src, note=note))


# EV battery chemistry shares (assumption)
SPLIT = {
    "CA": {2025: (0.60, 0.25, 0.15), 2035: (0.55, 0.05, 0.40), 2050: (0.55, 0.05, 0.40)},
    "KR": {2025: (0.60, 0.25, 0.15), 2035: (0.60, 0.05, 0.35), 2050: (0.60, 0.05, 0.35)},
}


def split(reg, y):
    s = SPLIT[reg]
    ks = sorted(s)
    for a, b in zip(ks, ks[1:]):
        if a <= y <= b:
            return tuple(s[a][i] + (s[b][i] - s[a][i]) * (y - a) / (b - a) for i in range(3))
    return s[ks[-1]]


EV_BASE = {"CA": 15.093, "KR": 9.512}  # BEV GWh 2024, busch_etm
KR_OFFSHORE = {2025: 1.0, 2030: 0.75, 2035: 0.5, 2050: 0.5}
# KR exports in 2025 (calibration to 2024 Li imports, see README)
KR_EXPORT_CELLS = {"NMC811": 35.0, "NMC622": 12.0, "LFP": 0.0}
KR_EXPORT_LFP = {2025: 0.0, 2030: 10.0, 2035: 15.0}
KR_EXPORT_CAM = {"NMC811": 200000.0, "NMC622": 50000.0}
ESS = {"KR": {2025: 1.0, 2030: 3.0, 2050: 8.0}}  # assumed; Canada from cer_ef2023 (below)
PORTABLE = {"CA": 2.4119, "KR": 1.5}  # GWh placed on market in 2025: CA from busch2025_na (RMI x GDP share), KR assumed
# Canada's consumer-electronics Li-ion demand, GWh (busch2025_na, Inputs/consumerElectronics.csv: RMI baseline world demand x Canada's 2024 GDP share)
CA_PORTABLE = {2025: 2.4119, 2030: 2.8485, 2035: 3.5555, 2040: 4.2624, 2045: 4.2624, 2050: 4.2624}
# CER Canada's Energy Future 2023, installed capacity in Canada, MW (cer_ef2023): Current Measures (STEPS) and Canada Net-zero (APS)
CER_CAP = {"steps": {"Wind": {2020: 13658, 2025: 17289, 2030: 23520, 2035: 32430, 2040: 48240, 2045: 62905, 2050: 70110},
                     "Solar": {2020: 3117, 2025: 4669, 2030: 4855, 2035: 11363, 2040: 13458, 2045: 19850, 2050: 29702}},
           "aps": {"Wind": {2020: 13658, 2025: 19373, 2030: 26708, 2035: 56696, 2040: 73132, 2045: 96938, 2050: 111031},
                   "Solar": {2020: 3117, 2025: 4678, 2030: 6025, 2035: 20895, 2040: 22628, 2045: 29381, 2050: 34885}}}
CER_SCEN = {"steps": "Current Measures", "aps": "Canada Net-zero"}
ESS_RATIO, ESS_HOURS = 0.2, 4  # busch2025_na: storage power 20 % of added solar+wind capacity, 4 h duration
WIND_GW = {"KR": {2025: 0.3, 2030: 1.5, 2050: 2.5}}  # assumed; Canada from cer_ef2023 (below)
WIND_T_PER_MW = 0.5  # t NdFeB per MW of wind additions: heim2023, average over all turbines (PM and non-PM)
KR_MAG_IND = 2000.0
# Ga: Korea's imports Jan 2019-May 2023, 54.2 t over 4.42 years (kcs_hani2023) plus 3 t domestic primary output (usgs_mcs2025), exports unknown;
# Ge: 13.6 t imports over the same 4.42 years, no domestic output
KR_GA_GE = {"Ga.metal": (54.2 / (4 + 5 / 12) + 3.0, "imports 54.2 t in Jan 2019-May 2023 = 12.3 t/yr (kcs_hani2023) + 3 t domestic primary output (usgs_mcs2025); exports unknown (GAP), so an upper estimate [U]; Ga in imported GaAs/GaN wafers not counted"),
            "Ge.metal": (13.6 / (4 + 5 / 12), "imports 13.6 t in Jan 2019-May 2023 = 3.1 t/yr (kcs_hani2023); no domestic output; yearly imports from China ranged 0.5-7 t [U]")}
SEMI = {"Ga.metal": round(KR_GA_GE["Ga.metal"][0], 1), "Ge.metal": round(KR_GA_GE["Ge.metal"][0], 1), "W.APT": 3000.0, "Si.metal": 60000.0}

for scen in ("steps", "aps"):
    sname = "IEA STEPS" if scen == "steps" else "IEA APS"
    for reg in ("CA", "KR"):
        for y in YEARS:
            idx = index(scen, y, 2024)
            tot = EV_BASE[reg] * idx
            sp = split(reg, y)
            for ch, sh in zip(CHEMS, sp):
                dem(scen, reg, f"ev_battery.{ch}", y, tot * sh, "GWh", "iea_cm_explorer",
                    f"{reg} BEV GWh 2024 ({EV_BASE[reg]}, busch_etm) x {sname} world clean-tech Li demand index ({idx:.2f}, iea_cm_explorer) x chemistry share {sh:.2f} (assumed)")
            if reg == "CA":
                cap = CER_CAP[scen]
                ws_add = sum(cap[t][y] - cap[t][y - 5] for t in ("Wind", "Solar")) / 5
                dem(scen, reg, "ess_battery.LFP", y, ws_add / 1000 * ESS_RATIO * ESS_HOURS, "GWh", "cer_ef2023",
                    f"CER {CER_SCEN[scen]}: solar+wind capacity added {y - 5}-{y}, {ws_add:,.0f} MW/yr (cer_ef2023) x 20 % storage power x 4 h (busch2025_na's rule) [U]")
                dem(scen, reg, "portable_battery", y, CA_PORTABLE[y], "GWh", "busch2025_na",
                    "Canada's consumer-electronics Li-ion demand: RMI baseline world demand x Canada's 2024 GDP share (busch2025_na); not scenario-dependent")
            else:
                ess = interp(ESS[reg], y) * (1 if scen == "steps" else 1.5)
                dem(scen, reg, "ess_battery.LFP", y, ess, "GWh", A, f"stationary storage additions, assumed ({'x1.5 in APS' if scen == 'aps' else 'STEPS'}); no sourced national series")
                dem(scen, reg, "portable_battery", y, PORTABLE[reg] * 1.02 ** (y - 2025), "GWh", A, "portable Li-ion placed on market, assumed, +2 %/yr")
            dem(scen, reg, "magnet.ev", y, tot * MAG_PER_GWH_EV, "t", "heim2023",
                f"1 kg NdFeB per EV (the lower end of heim2023's >1 kg per EV motor; 1-2 kg per drive motor in trade sources) [U] / 75 kWh mean pack = {MAG_PER_GWH_EV} t/GWh x EV GWh (the ev_battery rows)")
            if reg == "CA":
                w = CER_CAP[scen]["Wind"]
                gw = (w[y] - w[y - 5]) / 5 / 1000
                dem(scen, reg, "magnet.wind", y, gw * 1000 * WIND_T_PER_MW, "t", "cer_ef2023",
                    f"CER {CER_SCEN[scen]}: wind capacity {w[y - 5]:,} -> {w[y]:,} MW in {y - 5}-{y}, {gw:.2f} GW/yr net additions (cer_ef2023) x 0.5 t NdFeB/MW (heim2023's average over all turbines, no separate PM-generator share)")
            else:
                gw = interp(WIND_GW[reg], y) * (1 if scen == "steps" else 1.5)
                dem(scen, reg, "magnet.wind", y, gw * 1000 * WIND_T_PER_MW, "t", A,
                    f"wind additions {gw:.1f} GW/yr (assumed) x 0.5 t/MW (heim2023's average over all turbines, so no separate PM-generator share)")
        # KR exports
    for y in YEARS:
        off = interp(KR_OFFSHORE, y)
        idx = index(scen, y, 2025)
        g = idx * off
        for ch in ("NMC811", "NMC622"):
            dem(scen, "KR", f"cell.{ch}", y, KR_EXPORT_CELLS[ch] * g, "GWh", "kcs_argus2025",
                f"Korean-made cells leaving Korea (exported cells and cells in exported EVs); 2025 level calibrated to 2024 Li imports (README); x {sname} index {idx:.2f} x on-shore share {off:.2f} (offshoring of Korean cell makers, 23.1 %->18.4 % world share 2023-24, sne_argus2025)")
            dem(scen, "KR", f"CAM.{ch}", y, KR_EXPORT_CAM[ch] * g, "t", "kcs_argus2025",
                f"Korean CAM exports; 2025 level calibrated to 2024 LiOH/Li2CO3 imports (kcs_argus2025, README); x index {idx:.2f} x on-shore share {off:.2f}")
        lfp = interp(KR_EXPORT_LFP, y) * (1 if scen == "steps" else 1.5)
        dem(scen, "KR", "cell.LFP", y, lfp, "GWh", A, "Korean LFP (ESS) cell exports, assumed start 2026 (Korean makers entering LFP ESS)")
        dem(scen, "KR", "NdFeB.magnet", y, KR_MAG_IND * 1.02 ** (y - 2025), "t", A,
            "NdFeB magnets used in Korean industry (motors, electronics; mostly exported in products), assumed 2,000 t (GAP) +2 %/yr")
        for c, v in SEMI.items():
            if c in KR_GA_GE and y == 2025:
                dem(scen, "KR", c, y, v, "t", "kcs_hani2023", f"Korean consumption {v:g} t: {KR_GA_GE[c][1]}; not energy-scenario dependent")
            elif c in KR_GA_GE:
                dem(scen, "KR", c, y, v * 1.03 ** (y - 2025), "t", A,
                    f"Korean consumption: 2025 level {v:g} t from imports (kcs_hani2023, see the 2025 row), +3 %/yr assumed; not energy-scenario dependent")
            else:
                dem(scen, "KR", c, y, v * 1.03 ** (y - 2025), "t", A,
                    f"Korean consumption (semiconductors and other uses), no public series found (GAP); assumed {v:g} t in 2025, +3 %/yr; not energy-scenario dependent")

# ---------------------------------------------------------------------------
# Element requirements in 2025 (for the supplier-availability rule)
# ---------------------------------------------------------------------------
D = defaultdict(float)
cells25 = defaultdict(float)
for row in DEMAND["steps"]:
    if row["year"] != 2025:
        continue
    c, v = row["commodity"], row["value"]
    if c.startswith("ev_battery."):
        cells25[c.split(".")[1]] += v
    elif c == "ess_battery.LFP":
        cells25["LFP"] += v
    elif c == "portable_battery":
        cells25["NMC622"] += v
    elif c.startswith("cell."):
        cells25[c.split(".")[1]] += v
    elif c.startswith("CAM."):
        D["CAM." + c.split(".")[1]] += v
    elif c in ("magnet.ev", "magnet.wind", "NdFeB.magnet"):
        D["magnet"] += v
    else:
        D[c] += v
D_CELLS_DOMESTIC = sum(v["value"] for v in DEMAND["steps"] if v["year"] == 2025 and v["commodity"].split(".")[0] in ("ev_battery", "ess_battery", "portable_battery"))
k = 1 / (1 - CELL_SCRAP)
for ch, g in cells25.items():
    D["CAM." + ch] += g * CAM_PER_GWH[ch] * k
    D["C"] += g * BATPAC[ch]["C"] * k
    D["Cu"] += g * BATPAC[ch]["Cu"] * k
    D["Li2CO3"] += g * ELECTROLYTE_LI * k
for ch in CHEMS:
    cam = D["CAM." + ch] / (1 - CAM_LOSS)
    if ch == "NMC811":
        D["LiOH"] += cam * STO[ch]["cam_Li"]
    elif ch == "NMC622":
        D["Li2CO3"] += cam * STO[ch]["cam_Li"]
    else:
        D["Li2CO3"] += cam * LFP_LI
    if ch != "LFP":
        D["pCAM." + ch] = cam * STO[ch]["pcam_per_cam"]
        for el in ("Ni", "Co", "Mn"):
            D[el] += cam * STO[ch][f"cam_{el}"] / 0.99
D["Li"] = D["LiOH"] + D["Li2CO3"]
D["NdPr"] = D["magnet"] * MAG_NDPR / (1 - MAG_SCRAP)
D["HREE"] = D["magnet"] * MAG_HREE / (1 - MAG_SCRAP)
D["cells"] = D_CELLS_DOMESTIC
HEADROOM = 1.5

# ---------------------------------------------------------------------------
# Capacity (existing and announced plants; supplier availability rule R1)
# ---------------------------------------------------------------------------
def cap(p, reg, y, v, plant, src, note="", unit=None):
    add("capacity", process=p, region=reg, year=y, plant=plant, value=r(v, 5), unit=unit or PUNIT[p], source=src, note=note)


# --- Korea
cap("li_hydroxide_spodumene", "KR", 2023, 21500 * LI_IN_LIOH_H2O, "POSCO Pilbara Lithium Solution, Gwangyang, train 1", "posco_pilbara", "21,500 t/yr LiOH.H2O x 0.1654")
cap("li_hydroxide_spodumene", "KR", 2024, 21500 * LI_IN_LIOH_H2O, "POSCO Pilbara Lithium Solution, Gwangyang, train 2", "posco_pilbara", "21,500 t/yr LiOH.H2O x 0.1654 (Nov 2024)")
cap("ni_sulfate_refining", "KR", 2026, 42600, "Korea Zinc / KEMCO Onsan nickel refinery", "korea_zinc", "42,600 t Ni/yr, commercial production 2026")
cap("pcam_NMC811", "KR", 2023, 150000, "POSCO Future M precursor (Korea)", "posco_futurem", "150,000 t/yr before the Huayou JV; may include capacity outside Korea [S]")
cap("pcam_NMC811", "KR", 2025, 20000, "KPC (Korea Zinc + LG Chem) precursor, Onsan", "korea_zinc", "20,000 t/yr, mass production H1 2025")
cap("cam_NMC811", "KR", 2021, 90000, "POSCO Future M Gwangyang cathode", "posco_futurem", "90,000 t CAM/yr")
cap("cam_NMC811", "KR", 2023, 70000, "LG Chem Cheongju cathode", "lgchem_cam", "70,000 t/yr")
cap("cam_NMC811", "KR", 2025, 60000, "LG Chem Gumi cathode (NCMA)", "lgchem_cam", "60,000 t/yr")
cap("cam_NMC811", "KR", 2023, 70000, "Other Korean CAM makers (EcoPro BM, L&F), high-Ni", A, "no public EcoPro BM capacity figure was found (GAP); aggregate assumed so that 2024 Korean CAM output implied by Li imports can be made")
cap("cam_NMC622", "KR", 2023, 80000, "Other Korean CAM makers (EcoPro BM, L&F), mid-Ni", A, "assumed; sized to the Li2CO3-based CAM implied by 2024 carbonate imports")
for ch, v in (("NMC811", 55), ("NMC622", 20), ("LFP", 5)):
    cap(f"cell_{ch}", "KR", 2023, v, "Korean cell plants (LGES Ochang, Samsung SDI Ulsan/Cheonan, SK On Seosan), aggregate", A,
        "Korean domestic cell output is a GAP; aggregate assumed (about 80 GWh) to cover domestic EVs, exported EVs (255,000 BEVs x 71.6 kWh = 18 GWh) and cell exports")
for p in ("pack_ev_NMC811", "pack_ev_NMC622", "pack_ev_LFP", "pack_ess_LFP", "pack_portable"):
    cap(p, "KR", 2020, 30, "Korean pack assembly (aggregate)", A, "not a bottleneck; large aggregate capacity")
    cap(p, "CA", 2020, 30, "Canadian pack/vehicle assembly (aggregate)", A, "not a bottleneck; large aggregate capacity")
for p in ("magnet_assembly_ev", "magnet_assembly_wind"):
    cap(p, "KR", 2020, 5000, "Korean motor/generator assembly (aggregate)", A, "not a bottleneck")
    cap(p, "CA", 2020, 5000, "Canadian motor/generator assembly (aggregate)", A, "not a bottleneck")
cap("graphite_mining", "KR", 2024, 9600, "Korean graphite mines", "usgs_mcs2025", "2024 production")
cap("graphite_spheronisation", "KR", 2023, 74000, "POSCO Future M natural-graphite anode, Sejong", A, "no public capacity figure found; about 74 kt assumed; utilisation <30 % in Dec 2024 (posco_futurem)")
cap("graphite_synthetic", "KR", 2024, 8000, "POSCO Future M synthetic graphite, Pohang", A, "assumed 8,000 t/yr first phase")
cap("cu_smelting_refining", "KR", 2023, 620000, "Korean copper refineries (LS MnM Onsan, Korea Zinc)", "usgs_mcs2025", "refined output 2024e 620 kt used as capacity")
cap("ga_refining", "KR", 2024, 3, "Korean primary gallium (USGS output)", "usgs_mcs2025",
    "output 3,000 kg in 2023 and 2024 of a 16,000 kg capacity: the plant ran at about 19 %, so the model gets its output, not its nameplate (at 16 t it would cover all of Korea's 15 t demand, kcs_hani2023, which Korea imports)")
cap("ga_refining", "KR", 2028, 15, "Korea Zinc gallium recovery", "korea_zinc", "15 t/yr planned from 2028")
cap("ge_refining", "KR", 2028, 12, "Korea Zinc germanium recovery", "korea_zinc", "12 t/yr planned from 2028")
cap("w_mining", "KR", 2025, 2300 * W_IN_WO3, "Almonty Sangdong phase 1", "almonty_sangdong", "2,300 t WO3/yr x 0.793")
cap("w_mining", "KR", 2027, 2300 * W_IN_WO3, "Almonty Sangdong phase 2", "almonty_sangdong", "phase 2 doubles output; start year 2027 assumed")
cap("w_apt_refining", "KR", 2027, 4000 * W_IN_WO3, "Almonty Sangdong oxide plant", "almonty_sangdong", "about 4,000 t/yr oxide, start year 2027 assumed")
KR_SPLIT = (("NMC811", 0.55), ("NMC622", 0.45))  # Korean recycling feed by chemistry, assumed
# black-mass refining (t BM/yr): HY Clean Metal refines black mass made in POSCO's Polish plant (yonhap_hycm2023)
KR_REFINERS = [("POSCO HY Clean Metal, Yulchon", 2023, 12000, "yonhap_hycm2023"), ("SungEel HiTech Hydro Center 3, Gunsan, phase 1", 2024, 20000, "kr_recyclers"),
               ("SungEel HiTech Hydro Center 3, phase 2", 2026, 20000, "kr_recyclers"), ("GS Energy Materials, Pohang", 2023, 20000, "kr_recyclers")]
for plant, y, bm, src in KR_REFINERS:
    for ch, sh in KR_SPLIT:
        cap(f"recycle_hydro_{ch}", "KR", y, bm * sh, plant, src, f"{bm:,} t black mass/yr x {sh} of feed assumed {ch}")
# pre-treatment (GWh of spent cells/yr)
KR_PRETREAT = [("DS Dansuk, Gunsan (black-mass production)", 2024, 5000, "bm", "dsdansuk2024"),
               ("SungEel HiTech pre-processing, Gunsan", 2019, 8000, "feed", "kr_recyclers")]
for plant, y, v, basis, src in KR_PRETREAT:
    for ch, sh in KR_SPLIT:
        t_gwh = CELL_T_PER_GWH[ch] * PACK_PER_CELL[ch]
        gwh = v * sh / (BM_PER_GWH[ch] if basis == "bm" else t_gwh)
        how = (f"{v:,} t black mass/yr x {sh} {ch} / {BM_PER_GWH[ch]:.0f} t BM per GWh" if basis == "bm" else
               f"about {v:,} t of spent batteries and scrap/yr (BEST Magazine, about 2019, dated [U]) x {sh} {ch} / {t_gwh:.0f} t packs per GWh")
        cap(f"pretreat_{ch}", "KR", y, gwh, plant, src, how)
# Korea Zinc group: Young Poong's pyrometallurgical pre-processing pilot (smelts whole batteries to an alloy refined by hydrometallurgy)
for ch, sh in KR_SPLIT:
    t_gwh = CELL_T_PER_GWH[ch] * PACK_PER_CELL[ch]
    cap(f"recycle_pyro_{ch}", "KR", 2023, 2000 * sh / t_gwh, "Young Poong (Korea Zinc group) pyrometallurgical pilot, Bonghwa", "youngpoong2022",
        f"2,000 t of spent batteries/yr x {sh} {ch} / {t_gwh:.0f} t packs per GWh; start 2023 assumed; the planned 20,000 t/yr commercial plant is not counted (status not verified); "
        "the company claims >90 % Li recovery, which the pyro route here (Li to slag, EverBatt) does not give")
for p in ("recycle_cu_scrap",):
    cap(p, "KR", 2020, 20000, "Korean copper refiners taking clean scrap (LS MnM Onsan, Korea Zinc), aggregate", A, "not a bottleneck: a small share of the 620 kt/yr Korean refined copper (usgs_mcs2025)")
    cap(p, "CA", 2020, 20000, "Canadian copper refiners taking clean scrap, aggregate", A, "not a bottleneck: a small share of the 320 kt/yr Canadian refined copper (usgs_mcs2025)")

# --- Canada
cap("li_spodumene_mining", "CA", 2023, 9796 * LI_IN_LI2O, "North American Lithium, La Corne QC", "busch2025", "9,796 t/yr Li2O x 0.4645; Canada 2024 output 4,300 t Li (usgs_mcs2025)")
cap("li_spodumene_mining", "CA", 2026, 6200, "Nemaska Whabouchi mine QC", A, "sized to the 33,000 t LCE Becancour plant (nemaska); start year assumed")
cap("li_spodumene_mining", "CA", 2027, 19260 * LI_IN_LI2O, "James Bay Lithium QC", A, "19,260 t/yr Li2O (busch2025 study capacity) x 0.4645; start year assumed")
cap("li_spodumene_mining", "CA", 2028, 11606 * LI_IN_LI2O, "Rose QC", A, "11,606 t/yr Li2O (busch2025) x 0.4645; start year assumed")
cap("li_hydroxide_spodumene", "CA", 2026, 33000 * LI_IN_LCE, "Nemaska Lithium Becancour LiOH", "nemaska", "33,000 t/yr LCE x 0.1879; start 2026 assumed (construction 2023-25)")
cap("ni_sulfide_mining", "CA", 2020, 190000, "Canadian nickel mines (Sudbury, Voisey's Bay, Raglan, Thompson), aggregate", "usgs_mcs2025", "2024e mine output as capacity")
cap("ni_sulfide_refining", "CA", 2014, 50000, "Vale Long Harbour NL", "vale_ca", "design 50,000 t Ni/yr")
cap("ni_sulfide_refining", "CA", 2020, 65000, "Vale Sudbury (Copper Cliff) ON", "vale_ca", "about 65,000 t Ni/yr")
cap("ni_sulfide_refining", "CA", 2019, 33108, "Sherritt Fort Saskatchewan AB", "sherritt", "33,108 t Ni refined 2019 (Moa JV feed from Cuba)")
cap("co_sulfate_refining", "CA", 2023, 8740, "Canadian cobalt refineries (Long Harbour, Port Colborne, Fort Saskatchewan), aggregate", "reportlinker_co",
    "8,740 t refinery capacity [U: unit basis unclear]; produced as metal/rounds, treated as sulfate-equivalent")
cap("co_sulfate_refining", "CA", 2027, 6500 * CO_IN_COSO4_7H2O, "Electra cobalt sulfate refinery ON", "electra", "6,500 t/yr cobalt sulfate [U] read as CoSO4.7H2O x 0.2097; start 2027 assumed")
cap("cu_mining", "CA", 2020, 450000, "Canadian copper mines, aggregate", "usgs_mcs2025", "2024e mine output")
cap("cu_smelting_refining", "CA", 2020, 320000, "Canadian copper refineries, aggregate", "usgs_mcs2025", "2024e refined output")
cap("graphite_mining", "CA", 2024, 20000, "Canadian graphite mines (Lac des Iles), aggregate", "usgs_mcs2025", "2024e output")
cap("graphite_mining", "CA", 2028, 103328, "Nouveau Monde Graphite Matawinie QC", "nmg2022", "103,328 t/yr concentrate; start 2028 assumed")
cap("graphite_spheronisation", "CA", 2028, 42616, "Nouveau Monde Graphite Becancour anode plant", "nmg2022", "42,616 t/yr coated spherical graphite; start 2028 assumed")
cap("ndpr_separation", "CA", 2025, 400, "Saskatchewan Research Council rare earth facility, Saskatoon", "src2025", "400 t/yr NdPr metal (full operation 2025)")
cap("magnet_making", "CA", 2028, 1000, "SRC proposed magnet plant, Saskatoon", "src2025", "about 1,000 t/yr by 2028 [U]")
cap("cam_NMC811", "CA", 2026, 30000, "Ultium CAM (POSCO Future M / GM), Becancour QC", "ultium_cam", "30,000 t/yr; start early 2026; phase 2 on hold")
cap("cam_NMC811", "CA", 2027, 45000, "EcoPro BM / SK On / Ford, Becancour QC", "ecopro_ford", "45,000 t/yr announced 2023; status after 2024 not verified; start 2027 assumed")
cap("cell_NMC811", "CA", 2025, 45, "NextStar Energy (LGES/Stellantis), Windsor ON", "nextstar", ">45 GWh/yr")
cap("cell_NMC811", "CA", 2026, 20, "NextStar Energy (LGES/Stellantis), Windsor ON", "nextstar", "pivot to ESS cells (Nov 2025): EV line share 20 GWh assumed")
cap("cell_LFP", "CA", 2026, 25, "NextStar Energy ESS lines, Windsor ON", "nextstar", "pivot to ESS cells; 25 of 45 GWh assumed to be LFP ESS")
CA_SPLIT = (("NMC811", 0.6), ("NMC622", 0.3), ("LFP", 0.1))  # Canadian recycling feed by chemistry, assumed
CA_BM = {2025: 0.0, 2030: 68700.0, 2032: 76900.0}  # black-mass refining, t BM/yr (busch2025_na)
for y, bm in CA_BM.items():
    for ch, sh in CA_SPLIT:
        cap(f"recycle_hydro_{ch}", "CA", y, bm * sh, "Canadian black-mass refining (announced, aggregate)", "busch2025_na",
            f"{bm:,.0f} t BM/yr x {sh} feed share assumed; Electra's Temiskaming black-mass demonstration (75 t batches, 2023) and studied commercial plant are not counted separately (electra_bm)")
CA_PRE = {2025: 20000.0, 2028: 270000.0, 2030: 318000.0}  # pre-processing, t of batteries/yr (busch2025_na)
for y, kt in CA_PRE.items():
    for ch, sh in CA_SPLIT:
        t_gwh = CELL_T_PER_GWH[ch] * PACK_PER_CELL[ch]
        cap(f"pretreat_{ch}", "CA", y, kt * sh / t_gwh, "Canadian pre-processing (Li-Cycle spokes and others, announced, aggregate)", "busch2025_na",
            f"{kt:,.0f} t of batteries/yr x {sh} feed share assumed / {t_gwh:.0f} t packs per GWh; Li-Cycle filed under CCAA in May 2025 (assets sold to Glencore), so announced volumes are uncertain [U]")
cap("si_metal_smelting", "CA", 2020, 30000, "Canadian silicon metal (Becancour), aggregate", "usgs_mcs2025", "2024e 30 kt")
cap("ge_refining", "CA", 2020, 8, "Teck Trail BC germanium", A, "volume undisclosed (teck_ge); 8 t/yr assumed from its 4th-largest rank in a ~140 t world market")

# --- suppliers: rule R1
R1 = ("rule R1: share available to CA+KR = 1.5 x CA+KR 2025 requirement x supplier share of world output at this stage "
      "(requirement computed from demand.csv and process_io; suppliers' own demand is not modelled)")
SUP = []  # (process, region, driver key, share, coef, share source, note)


def sup(p, reg, key, share, src, note, coef=1.0):
    SUP.append((p, reg, key, share, coef, src, note))


# lithium
LI_PROD24 = dict(AU=88000, CL=49000, CN=41000, AR=18000, ROW=22000 + 10000 + 2700)
for reg in ("AU", "CN", "ROW"):
    sup("li_spodumene_mining", reg, "Li", LI_PROD24[reg] / 240000, "usgs_mcs2025", f"{reg} 2024 Li mine output {LI_PROD24[reg]:,} t / world 240,000 t")
for reg in ("CL", "AR"):
    if reg == "CL":
        sup("li_brine_carbonate", reg, "Li", LI_PROD24[reg] / 240000, "usgs_mcs2025", f"{reg} 2024 Li output {LI_PROD24[reg]:,} t / 240,000 t")
# Lithium chemicals: rule R2 (observed 2024 flows into Korea, kcs_argus2025), see SUP_R2 below
sup("li_carbonate_spodumene", "CN", "Li2CO3", 0.70, "iea_gcmo2025", "China about 70 % of Li refining")
# nickel
sup("ni_laterite_mining", "ID", "Ni", 2200000 / 3700000, "usgs_mcs2025", "Indonesia 2.2 Mt of 3.7 Mt (2024)")
sup("ni_laterite_mining", "PH", "Ni", 330000 / 3700000, "usgs_mcs2025", "Philippines 330 kt of 3.7 Mt")
sup("ni_laterite_mining", "ROW", "Ni", 110000 / 3700000, "usgs_mcs2025", "New Caledonia 110 kt")
sup("ni_sulfide_mining", "ROW", "Ni", 210000 / 3700000, "usgs_mcs2025", "Russia 210 kt (sulfide)")
sup("ni_sulfide_mining", "EU", "Ni", 0.01, A, "Finland (Terrafame, Kevitsa), about 1 % assumed")
sup("ni_sulfide_mining", "AU", "Ni", 0.01, A, "Australian sulfide output largely suspended in late 2024 (Nickel West); 1 % assumed")
sup("ni_sulfide_refining", "ROW", "Ni", 210000 / 3700000, "usgs_mcs2025", "Russian (Norilsk) refining of its own sulfide")
sup("ni_sulfide_refining", "EU", "Ni", 0.03, A, "Harjavalta/Terrafame, assumed")
sup("ni_hpal", "ID", "Ni", 0.30, "iea_gcmo2024", "Indonesia 37 % of refined Ni (2023); 30 % assumed for HPAL MHP")
sup("ni_rkef_matte", "ID", "Ni", 0.10, "iea_gcmo2024", "NPI-to-matte part of Indonesian output, 10 % assumed")
sup("ni_hpal", "PH", "Ni", 0.03, A, "Coral Bay/Taganito MHP (to Japan), assumed")
sup("ni_hpal", "AU", "Ni", 0.02, A, "Murrin Murrin, assumed")
sup("ni_sulfate_refining", "CN", "Ni", 0.55, "iea_gcmo2024", "China 28 % of refined Ni but the largest NiSO4 producer; 55 % of NiSO4 assumed")
sup("ni_sulfate_refining", "EU", "Ni", 0.20, "kcci2022", "Finland supplied 59 % of Korea's NiSO4 imports in 2020; 20 % assumed today")
sup("ni_sulfate_refining", "JP", "Ni", 0.10, A, "Sumitomo Metal Mining, assumed")
sup("ni_sulfate_refining", "ID", "Ni", 0.15, A, "Indonesian NiSO4 from MHP, assumed")
# cobalt
sup("cu_co_mining", "CD", "Co", 220000 / 290000, "usgs_mcs2025", "DRC 220 kt of 290 kt Co (2024)", coef=CO_PER_CU_DRC)
sup("co_sulfate_refining", "CN", "Co", 0.80, "iea_gcmo2025", "China about 80 % of refined Co (2024)")
sup("co_sulfate_refining", "EU", "Co", 0.10, "visualcapitalist_refining", "Finland 10 % of refined Co (2022)")
sup("co_sulfate_refining", "JP", "Co", 6240 / 244440, "reportlinker_co", "Japan (Sumitomo Niihama) 6,240 t of the 244,440 t refinery capacity of the ten largest countries (2023), an upper bound of its world share [U]")
# manganese
for reg, v in (("ZA", 7400), ("AU", 2800), ("CN", 770), ("ROW", 20000 - 7400 - 2800 - 770)):
    sup("mn_mining", reg, "Mn", v / 20000, "usgs_mcs2025", f"{reg} 2024 Mn {v:,} kt of 20,000 kt")
sup("mn_sulfate_refining", "CN", "Mn", 0.90, "fastmarkets_mnso4_2022", "China around 90 % of global battery-grade manganese sulfate supply")
sup("mn_sulfate_refining", "ROW", "Mn", 0.10, "fastmarkets_mnso4_2022", "the remaining 10 % of battery-grade manganese sulfate supply (other producers)")
# graphite
for reg, v in (("CN", 1270000), ("MZ", 75000), ("ROW", 1600000 - 1270000 - 75000 - 20000 - 9600)):
    sup("graphite_mining", reg, "C_flake", v / 1600000, "usgs_mcs2025", f"{reg} 2024 natural graphite {v:,} t of 1.6 Mt")
sup("graphite_spheronisation", "CN", "C_sph", 0.93, "iea_gcmo2025", "China >90 % of battery-grade graphite (2024)")
sup("graphite_synthetic", "CN", "C_syn", 0.90, "iea_gcmo2025", "China >90 % of battery-grade graphite")
sup("graphite_synthetic", "JP", "C_syn", 0.07, A, "Japanese synthetic anode makers, assumed")
# copper
for reg, v in (("CL", 5300), ("CN", 1800), ("US", 1100), ("ROW", 23000 - 5300 - 3300 - 1800 - 1100 - 450)):
    sup("cu_mining", reg, "Cu", v / 23000, "usgs_mcs2025", f"{reg} 2024 Cu mine {v:,} kt of 23,000 kt")
for reg, v in (("CN", 12000), ("CL", 1900), ("JP", 1600), ("CD", 2500), ("ROW", 27000 - 12000 - 1900 - 1600 - 2500 - 620 - 320)):
    sup("cu_smelting_refining", reg, "Cu", v / 27000, "usgs_mcs2025", f"{reg} 2024 refined Cu {v:,} kt of 27,000 kt")
# rare earths
sup("ree_mining_light", "CN", "NdPr", 0.69 * 0.8, "usgs_mcs2025", "China 270 of 390 kt REO (2024); 80 % of it light-REE ore assumed", coef=NDPR_LIGHT)
sup("ree_mining_ionic", "CN", "HREE", 0.60, A, "southern Chinese ion-adsorption clays, 60 % of Dy/Tb supply assumed", coef=HREE_IONIC)
sup("ree_mining_ionic", "ROW", "HREE", 0.40, "usgs_mcs2025", "Myanmar clays (31 kt REO 2024) feed Chinese HREE separation; 40 % of Dy/Tb assumed", coef=HREE_IONIC)
sup("ree_mining_light", "US", "NdPr", 45000 / 390000, "usgs_mcs2025", "US 45 kt REO (2024)", coef=NDPR_LIGHT)
sup("ree_mining_light", "AU", "NdPr", 13000 / 390000, "usgs_mcs2025", "Australia 13 kt REO (2024)", coef=NDPR_LIGHT)
sup("ree_mining_light", "ROW", "NdPr", 0.10, "usgs_mcs2025", "Nigeria, Thailand, India, Russia, Brazil", coef=NDPR_LIGHT)
sup("ndpr_separation", "CN", "NdPr", 0.90, "iea_gcmo2024", "China 92 % of magnet-REE refining (2023)")
sup("ndpr_separation", "ROW", "NdPr", 0.05, "iea_gcmo2024", "Malaysia (Lynas) 5 %")
sup("ndpr_separation", "US", "NdPr", 0.03, "iea_gcmo2024", "rule: the remainder after China 92 % and Malaysia 5 % of magnet-REE refining (iea_gcmo2024), given to the US: MP Materials separated about 1,300 t NdPr oxide in 2024 (mp_materials2025)")
sup("hree_separation", "CN", "HREE", 0.99, "rareearthexchanges2025", "China about 99 % of heavy-REE processing (Dy, Tb) [S]")
sup("hree_separation", "ROW", "HREE", 0.01, "rareearthexchanges2025", "the remaining 1 %: Lynas Malaysia, the first separated Dy oxide outside China (May 2025) [S]")
sup("magnet_making", "CN", "magnet", 0.847, "kita2024", "84.7 % of Korea's NdFeB imports from China (2023)")
sup("magnet_making", "PH", "magnet", 0.143, "kita2024", "14.3 % from the Philippines")
sup("magnet_making", "JP", "magnet", 0.06, "exbulletin_magnets2022", "Japan 6 % of rare-earth metal, alloy and magnet conversion (China 92 %) [S]")
# semiconductor minerals
sup("ga_refining", "CN", "Ga.metal", 750 / 760, "usgs_mcs2025", "China 750 of 760 t primary Ga (2024)")
sup("ga_refining", "JP", "Ga.metal", 3 / 760, "usgs_mcs2025", "Japan 3 t")
sup("ga_refining", "ROW", "Ga.metal", 6 / 760, "usgs_mcs2025", "Russia 6 t")
sup("ge_refining", "CN", "Ge.metal", 0.68, "usgs_mcs2025", "China about 68 % of refinery Ge (2022, secondary citing USGS)")
sup("ge_refining", "EU", "Ge.metal", 0.10, A, "Belgium/Germany, assumed")
sup("ge_refining", "US", "Ge.metal", 0.05, A, "assumed")
sup("ge_refining", "ROW", "Ge.metal", 0.10, A, "Russia, assumed")
sup("w_mining", "CN", "W.APT", 67000 / 81000, "usgs_mcs2025", "China 67 of 81 kt W (2024)")
sup("w_mining", "ROW", "W.APT", 13000 / 81000, "usgs_mcs2025", "Vietnam, Russia, others")
sup("w_mining", "AU", "W.APT", 1000 / 81000, "usgs_mcs2025", "Australia 1 kt")
sup("w_apt_refining", "CN", "W.APT", 0.85, A, "China dominant in APT, assumed")
sup("w_apt_refining", "ROW", "W.APT", 0.15, A, "Vietnam (Masan), others, assumed")
sup("si_metal_smelting", "CN", "Si.metal", 3900 / 4600, "usgs_mcs2025", "China 3,900 of 4,600 kt Si metal (2024)")
sup("si_metal_smelting", "ROW", "Si.metal", (190 + 120) / 4600, "usgs_mcs2025", "Brazil 190, Norway 120 kt")
# midstream and cells
sup("pcam_NMC811", "CN", "pCAM.NMC811", 0.90, "benchmark_cam2025", "China 87 % of CAM capacity; precursor share assumed 90 % (94 % of Korea's pCAM imports from China [U])")
sup("pcam_NMC622", "CN", "pCAM.NMC622", 0.90, "benchmark_cam2025", "as above")
sup("pcam_NMC622", "JP", "pCAM.NMC622", 0.05, A, "assumed")
sup("cam_NMC811", "JP", "CAM.NMC811", 0.05, A, "Japanese high-Ni CAM (Sumitomo), assumed")
sup("cam_NMC811", "CN", "CAM.NMC811", 0.87, "benchmark_cam2025", "China 87 % of CAM capacity (2024)")
sup("cam_NMC622", "CN", "CAM.NMC622", 0.87, "benchmark_cam2025", "China 87 % of CAM capacity")
sup("cam_LFP", "CN", "CAM.LFP", 0.99, "lithiumaustralia_lfp2022", "less than 1 % of LFP is produced outside China (company statement)")
# world cell manufacturing capacity 2022 (BloombergNEF via Visual Capitalist, vc_bnef_cells2023): China 893 of
# 1,163 GWh (77 %), US 70 (6 %), EU members Poland 73, Hungary 38, Germany 31, Sweden 16, France 6 (14 %), Japan 12 (1 %)
for ch in CHEMS:
    sup(f"cell_{ch}", "CN", "cell_" + ch, 0.77, "vc_bnef_cells2023", "China 893 of 1,163 GWh of cell capacity (2022)")
    sup(f"cell_{ch}", "US", "cell_" + ch, 0.06, "vc_bnef_cells2023", "US 70 of 1,163 GWh (2022)")
    sup(f"cell_{ch}", "EU", "cell_" + ch, 0.14, "vc_bnef_cells2023", "Poland, Hungary, Germany, Sweden, France 164 of 1,163 GWh (2022)")
    sup(f"cell_{ch}", "JP", "cell_" + ch, 0.01, "vc_bnef_cells2023", "Japan 12 of 1,163 GWh (2022)")
# recycling outside CA/KR (for scenario completeness; eol is not traded, so these serve nothing in the reference)

KEY = {
    "Li": D["Li"], "LiOH": D["LiOH"], "Li2CO3": D["Li2CO3"], "Ni": D["Ni"], "Co": D["Co"], "Mn": D["Mn"],
    "C_flake": D["C"] * 0.5 * 2.22, "C_sph": D["C"] * 0.5, "C_syn": D["C"] * 0.5, "Cu": D["Cu"],
    "NdPr": D["NdPr"], "HREE": D["HREE"], "magnet": D["magnet"],
    "Ga.metal": D["Ga.metal"], "Ge.metal": D["Ge.metal"], "W.APT": D["W.APT"], "Si.metal": D["Si.metal"],
    "pCAM.NMC811": D["pCAM.NMC811"], "pCAM.NMC622": D["pCAM.NMC622"],
    "CAM.NMC811": D["CAM.NMC811"] - KR_EXPORT_CAM["NMC811"], "CAM.NMC622": D["CAM.NMC622"] - KR_EXPORT_CAM["NMC622"], "CAM.LFP": D["CAM.LFP"],
    "cell_NMC811": cells25["NMC811"] - KR_EXPORT_CELLS["NMC811"], "cell_NMC622": cells25["NMC622"] - KR_EXPORT_CELLS["NMC622"],
    "cell_LFP": cells25["LFP"],
}
SUP_CAP = {}
# Rule R2 for lithium chemicals, where Korea's 2024 imports by origin are observed (Korea Customs via Argus):
# first-year availability = observed 2024 flow into Korea (t Li); x 1.5 for the dominant supplier (China),
# which is also the marginal one, so that Canada's needs and growth can be met.
R2 = ("rule R2: available = observed 2024 exports to Korea (kcs_argus2025, t product x Li content); "
      "x 1.5 headroom for the dominant supplier China only")
SUP_R2 = [
    ("li_hydroxide_spodumene", "CN", 83863 * LI_IN_LIOH_H2O * 1.5, "China 83,863 t LiOH to Korea (2024) x 0.1654 x 1.5"),
    ("li_hydroxide_from_carbonate", "CL", 13400 * LI_IN_LIOH_H2O, "Chile 13,400 t LiOH to Korea (2024) x 0.1654"),
    ("li_hydroxide_from_carbonate", "US", 2122 * LI_IN_LIOH_H2O, "US 2,122 t LiOH to Korea (2024) x 0.1654"),
    ("li_hydroxide_spodumene", "AU", 2062 * LI_IN_LIOH_H2O, "Australia 2,062 t LiOH to Korea (2024) x 0.1654"),
    ("li_brine_carbonate", "AR", 5888 * LI_IN_LCE, "Argentina 5,888 t Li2CO3 to Korea (2024) x 0.1879"),
]
for p, reg, v, note in SUP_R2:
    SUP_CAP[(p, reg)] = v
    cap(p, reg, 2020, v, f"{reg} output available to CA+KR (rule R2)", "kcs_argus2025", f"{R2}. {note}")
for p, reg, key, share, coef, src, note in SUP:
    v = HEADROOM * KEY[key] * share / coef
    SUP_CAP[(p, reg)] = v
    cap(p, reg, 2020, v, f"{reg} output available to CA+KR (rule R1)", src,
        f"{R1}. Requirement {key} = {KEY[key]:,.1f} {'GWh' if key.startswith('cell') else 't'}; {note}" + (f"; / output coefficient {coef:.4g}" if coef != 1 else ""))

# ---------------------------------------------------------------------------
# Build limits, investment cost, lifetime, variable cost
# ---------------------------------------------------------------------------
def bl(p, reg, y, v, src, note):
    add("build_limit", process=p, region=reg, year=y, value=r(v, 4), unit=PUNIT[p], source=src, note=note)


SUP_SRC = {(p, reg): "kcs_argus2025" for p, reg, _, _ in SUP_R2} | {(p, reg): src for p, reg, _, _, _, src, _ in SUP}
for (p, reg), v in SUP_CAP.items():
    bl(p, reg, 2025, 0.25 * v, SUP_SRC[(p, reg)],
       "rule: suppliers may add 25 % of their 2025 availability (capacity.csv, same source) a year; the rate is the "
       "modelling choice, in the range of observed supply growth (lithium output +180 % in 2017-2022, about 23 %/yr, "
       "iea_gevo2023; range 10-30 %/yr: with 10-15 % the APS outlook leaves demand unmet in the 2040s)")
# domestic build limits (assumed, about the size of one large plant per year)
DOM_BL = [
    ("li_spodumene_mining", "CA", 2026, 5000), ("li_hydroxide_spodumene", "CA", 2027, 6000), ("li_brine_carbonate", "CA", 2028, 2000),
    ("li_hydroxide_from_carbonate", "CA", 2027, 5000), ("ni_sulfide_mining", "CA", 2027, 10000), ("ni_sulfide_refining", "CA", 2028, 10000),
    ("ni_sulfate_refining", "CA", 2027, 25000), ("co_sulfate_refining", "CA", 2027, 2000), ("graphite_mining", "CA", 2027, 30000),
    ("graphite_spheronisation", "CA", 2027, 20000), ("graphite_synthetic", "CA", 2028, 10000), ("ree_mining_light", "CA", 2030, 5000),
    ("ndpr_separation", "CA", 2027, 500), ("hree_separation", "CA", 2030, 20), ("magnet_making", "CA", 2027, 1000),
    ("pcam_NMC811", "CA", 2027, 30000), ("pcam_NMC622", "CA", 2027, 20000), ("cam_NMC811", "CA", 2027, 30000), ("cam_NMC622", "CA", 2027, 20000),
    ("cam_LFP", "CA", 2027, 20000), ("cell_NMC811", "CA", 2027, 15), ("cell_NMC622", "CA", 2027, 10), ("cell_LFP", "CA", 2027, 15),
    ("mn_sulfate_refining", "CA", 2028, 5000), ("cu_smelting_refining", "CA", 2027, 20000), ("cu_mining", "CA", 2027, 20000),
    ("li_hydroxide_spodumene", "KR", 2026, 7000), ("li_hydroxide_from_carbonate", "KR", 2026, 5000), ("ni_sulfate_refining", "KR", 2026, 20000),
    ("co_sulfate_refining", "KR", 2026, 3000), ("mn_sulfate_refining", "KR", 2027, 5000), ("pcam_NMC811", "KR", 2026, 60000),
    ("pcam_NMC622", "KR", 2026, 20000), ("cam_NMC811", "KR", 2026, 80000), ("cam_NMC622", "KR", 2026, 30000), ("cam_LFP", "KR", 2026, 30000),
    ("cell_NMC811", "KR", 2026, 25), ("cell_NMC622", "KR", 2026, 10), ("cell_LFP", "KR", 2026, 15), ("graphite_spheronisation", "KR", 2026, 10000),
    ("graphite_synthetic", "KR", 2026, 10000), ("ndpr_separation", "KR", 2028, 300), ("magnet_making", "KR", 2026, 1000),
    ("ga_refining", "KR", 2028, 5), ("ge_refining", "KR", 2028, 3), ("w_apt_refining", "KR", 2027, 1000), ("cu_smelting_refining", "KR", 2026, 20000),
]
for p in ("pack_ev_NMC811", "pack_ev_NMC622", "pack_ev_LFP", "pack_ess_LFP", "pack_portable"):
    DOM_BL += [(p, "CA", 2025, 20), (p, "KR", 2025, 20)]
for p in ("magnet_assembly_ev", "magnet_assembly_wind"):
    DOM_BL += [(p, "CA", 2025, 2000), (p, "KR", 2025, 2000)]
for reg in ("CA", "KR"):
    for ch in CHEMS:
        DOM_BL += [(f"pretreat_{ch}", reg, 2025, 5), (f"recycle_hydro_{ch}", reg, 2025, 5 * BM_PER_GWH[ch]), (f"recycle_direct_{ch}", reg, 2030, 2)]
    for ch in ("NMC811", "NMC622"):
        DOM_BL += [(f"recycle_pyro_{ch}", reg, 2026, 3)]
    DOM_BL += [("recycle_cu_scrap", reg, 2025, 5000), ("recycle_magnet_hydro", reg, 2027, 500), ("recycle_magnet_hpms", reg, 2027, 300), ("repurpose_LFP", reg, 2025, 2)]
# Rule B1: where a plant of the same process is sourced (capacity.csv, or the plant that sets investment_cost.csv),
# the largest new capacity a year is one plant of that size: the largest sourced plant in the same country, else
# the largest in the partner country (CA <-> KR), else the largest sourced plant elsewhere (named in the note). Process lines that make either NMC grade (pCAM, CAM, cells) share
# the NMC811 plant. The pace of one such plant a year is the modelling choice.
B1 = "rule B1: largest new capacity per year = one plant the size of "
PLANT_BL = {
    ("li_spodumene_mining", "CA"): (19260 * LI_IN_LI2O, "busch2025", "James Bay Lithium QC, 19,260 t/yr Li2O (study capacity) x 0.4645, the largest sourced Canadian mine (La Corne 4,550 t Li)"),
    ("li_hydroxide_spodumene", "CA"): (6200.7, "nemaska", "Nemaska Lithium Becancour LiOH plant, 33,000 t/yr LCE"),
    ("li_brine_carbonate", "CA"): (6000 * LI_IN_LCE, "busch2025", "Prairie Lithium SK, 6,000 t/yr LCE x 0.1879, the one Canadian brine-carbonate project with a sourced size"),
    ("ni_sulfide_refining", "CA"): (65000, "vale_ca", "Vale Sudbury (Copper Cliff), about 65,000 t Ni/yr (Long Harbour 50,000)"),
    ("ni_sulfate_refining", "CA"): (25000, "vale_ca", "the planned Vale Becancour NiSO4 plant, 25,000 t Ni/yr (cancelled)"),
    ("co_sulfate_refining", "CA"): (1363, "electra", "Electra cobalt sulfate refinery ON (capacity.csv row)"),
    ("graphite_mining", "CA"): (103330, "nmg2022", "Nouveau Monde Graphite Matawinie QC, 103,328 t/yr concentrate"),
    ("graphite_spheronisation", "CA"): (42616, "nmg2022", "Nouveau Monde Graphite Becancour anode plant, 42,616 t/yr"),
    ("ndpr_separation", "CA"): (400, "src2025", "Saskatchewan Research Council facility, 400 t/yr NdPr"),
    ("magnet_making", "CA"): (1000, "src2025", "the proposed SRC magnet plant, about 1,000 t/yr [U]"),
    ("pcam_NMC811", "CA"): (150000, "posco_futurem", "POSCO Future M precursor plant (KR), 150,000 t/yr; no Canadian pCAM plant is sourced"),
    ("pcam_NMC622", "CA"): (150000, "posco_futurem", "POSCO Future M precursor plant (KR), 150,000 t/yr; pCAM lines make either NMC grade"),
    ("cam_NMC811", "CA"): (45000, "ecopro_ford", "EcoPro BM / SK On / Ford Becancour QC, 45,000 t/yr (Ultium CAM 30,000)"),
    ("cam_NMC622", "CA"): (45000, "ecopro_ford", "EcoPro BM / SK On / Ford Becancour QC, 45,000 t/yr NCM; CAM lines make either NMC grade"),
    ("cell_NMC811", "CA"): (45, "nextstar", "NextStar Energy Windsor ON, 45 GWh/yr"),
    ("cell_NMC622", "CA"): (45, "nextstar", "NextStar Energy Windsor ON, 45 GWh/yr; cell lines make either NMC grade"),
    ("cell_LFP", "CA"): (25, "nextstar", "NextStar Energy ESS (LFP) lines, 25 GWh/yr (capacity.csv row)"),
    ("li_hydroxide_spodumene", "KR"): (43000 * LI_IN_LIOH_H2O, "posco_pilbara", "POSCO Pilbara Lithium Solution Gwangyang, 2 x 21,500 t/yr LiOH x 0.1654"),
    ("ni_sulfate_refining", "KR"): (42600, "korea_zinc", "Korea Zinc / KEMCO Onsan refinery, 42,600 t Ni/yr"),
    ("pcam_NMC811", "KR"): (150000, "posco_futurem", "POSCO Future M precursor plant, 150,000 t/yr"),
    ("pcam_NMC622", "KR"): (150000, "posco_futurem", "POSCO Future M precursor plant, 150,000 t/yr; pCAM lines make either NMC grade"),
    ("cam_NMC811", "KR"): (90000, "posco_futurem", "POSCO Future M Gwangyang cathode plant, 90,000 t/yr"),
    ("cam_NMC622", "KR"): (90000, "posco_futurem", "POSCO Future M Gwangyang cathode plant, 90,000 t/yr; CAM lines make either NMC grade"),
    ("cell_NMC811", "KR"): (45, "nextstar", "NextStar Energy (LGES/Stellantis, CA), 45 GWh/yr; Korean plant sizes are not sourced"),
    ("cell_NMC622", "KR"): (45, "nextstar", "NextStar Energy (LGES/Stellantis, CA), 45 GWh/yr; cell lines make either NMC grade"),
    ("cell_LFP", "KR"): (25, "nextstar", "NextStar Energy ESS (LFP) lines (CA), 25 GWh/yr"),
    ("graphite_spheronisation", "KR"): (42616, "nmg2022", "Nouveau Monde Graphite Becancour anode plant (CA), 42,616 t/yr; the Korean plant size is not sourced"),
    ("ndpr_separation", "KR"): (400, "src2025", "Saskatchewan Research Council facility (CA), 400 t/yr NdPr"),
    ("magnet_making", "KR"): (1000, "src2025", "the proposed SRC magnet plant (CA), about 1,000 t/yr [U]"),
    ("ga_refining", "KR"): (15, "korea_zinc", "Korea Zinc gallium recovery, 15 t/yr from 2028"),
    ("ge_refining", "KR"): (12, "korea_zinc", "Korea Zinc germanium recovery, 12 t/yr from 2028"),
    ("mn_sulfate_refining", "CA"): (65000 * MN_IN_MNSO4_H2O, "e25_louisiana2023", "Element 25 Louisiana HPMSM refinery (US), 65,000 t/yr HPMSM x 0.3251; no Canadian or Korean plant size is sourced"),
    ("mn_sulfate_refining", "KR"): (65000 * MN_IN_MNSO4_H2O, "e25_louisiana2023", "Element 25 Louisiana HPMSM refinery (US), 65,000 t/yr HPMSM x 0.3251; no Canadian or Korean plant size is sourced"),
    ("co_sulfate_refining", "KR"): (1363, "electra", "Electra cobalt sulfate refinery ON (CA, capacity.csv row); no Korean plant size is sourced"),
    ("cam_LFP", "CA"): (10000, "vspc_lfp2021", "the VSPC LFP cathode plant (pre-feasibility study, India case), 10,000 t/yr; no Canadian or Korean LFP plant size is sourced"),
    ("cam_LFP", "KR"): (10000, "vspc_lfp2021", "the VSPC LFP cathode plant (pre-feasibility study, India case), 10,000 t/yr; no Canadian or Korean LFP plant size is sourced"),
    ("ni_sulfide_mining", "CA"): (3.54e9 / LB_PER_T / 41, "canadanickel_crawford2024", "Canada Nickel Crawford ON, 3.54 bn lb Ni over a 41-year project life = 39,200 t Ni/yr on average"),
    ("w_apt_refining", "KR"): (4000 * W_IN_WO3, "almonty_sangdong", "Almonty Sangdong oxide plant, about 4,000 t/yr WO3 x 0.793"),
}
for reg in ("CA", "KR"):
    for ch in CHEMS:
        PLANT_BL[(f"pretreat_{ch}", reg)] = (5000 / BM_PER_GWH[ch], "dsdansuk2024", f"DS Dansuk Gunsan, 5,000 t black mass a year / {BM_PER_GWH[ch]:.0f} t black mass per GWh")
        if ch != "LFP":
            t_gwh = CELL_T_PER_GWH[ch] * 1.4
            PLANT_BL[(f"recycle_pyro_{ch}", reg)] = (20000 / t_gwh, "youngpoong2022", f"the commercial Young Poong pyrometallurgical plant planned after its pilot (KR), 20,000 t of spent batteries a year / {t_gwh:.0f} t packs per GWh [U: status not verified]")
        PLANT_BL[(f"recycle_hydro_{ch}", reg)] = (20000, "kr_recyclers", "GS Energy Materials Pohang, 20,000 t black mass a year (SungEel Hydro Center 3 phase 1 also 20,000 t)")
for p, reg, y, v in DOM_BL:
    if (p, reg) in PLANT_BL:
        v, src, plant = PLANT_BL[(p, reg)]
        bl(p, reg, y, v, src, f"{B1}{plant}; the pace of one such plant a year is the modelling choice; none before {y} (earliest start, assumed)")
        continue
    note = "largest new capacity per year, assumed (about one large plant a year)"
    if p.startswith("recycle_direct_"):
        note = ("largest new capacity per year, assumed: direct recycling is at pilot scale, so no plant before 2030 and "
                "about one small plant a year after (see max_capacity.csv for the cap on the installed total)")
    if y > 2025:  # build_limit interpolates by 'ramp': no expansion before the first row's year
        note += f"; none before {y} (earliest start, assumed)"
    bl(p, reg, y, v, A, note)

# lifetimes
# Mines and refineries: the mean of the operating lives of six feasibility-type studies of nickel and cobalt
# projects (mines with their concentrators, refineries, or both), rounded to whole years; the source column
# names the study nearest the mean (Turnagain, 24.4 y), the note names all six.
MINE_REFINERY_LIVES = {
    "hardcreek_turnagain2010": 24.4,   # Turnagain PA: sulfide open pit + on-site refinery
    "horizonte_araguaia2018": 28.0,    # Araguaia FS: laterite mine + RKEF
    "vaughan2013_alta": 20.0,          # MHP refinery study
    "fortune_nico2023": 20.0,          # NICO FS: mine + cobalt sulfate refinery
    "nickelcreek_wellgreen2023": 19.1,  # Wellgreen PFS: sulfide open pit
    "canadanickel_crawford2024": 33.5,  # Crawford FS: open-pit mining period
}
MINE_REFINERY_LIFE = round(sum(MINE_REFINERY_LIVES.values()) / len(MINE_REFINERY_LIVES))
MINE_REFINERY_NOTE = (
    f"rule: mean of six study lives, {sum(MINE_REFINERY_LIVES.values()) / len(MINE_REFINERY_LIVES):.1f} y, rounded "
    f"(range 19.1-33.5 y): Turnagain PA 24.4 y (hardcreek_turnagain2010), Araguaia FS 28 y (horizonte_araguaia2018), "
    "MHP refinery 20 y (vaughan2013_alta), NICO FS 20 y (fortune_nico2023), Wellgreen PFS 19.1 y "
    "(nickelcreek_wellgreen2023), Crawford FS 33.5 y of mining (canadanickel_crawford2024); all are nickel or "
    "cobalt projects, applied to every mine and refinery [S]")
for p, unit in PUNIT.items():
    kind = next(x["kind"] for x in T["processes"] if x["process"] == p)
    if kind in ("recycling", "collection"):
        v, src, note = 10, "everbatt2019", "EverBatt default plant life 10 y"
    elif p.startswith("cell_") or p.startswith("pack_"):
        v, src, note = 15, A, "battery plant equipment life assumed"
    elif kind == "manufacturing" or kind == "repurposing":
        v, src, note = 20, A, "assumed"
    else:
        v, src, note = MINE_REFINERY_LIFE, "hardcreek_turnagain2010", MINE_REFINERY_NOTE
    add("process_lifetime", process=p, value=v, unit="year", source=src, note=note)


def ic(p, reg, v, src, note, y=2025):
    add("investment_cost", process=p, region=reg, year=y, value=r(v, 4), unit=f"USD/{PUNIT[p]}", source=src, note=note)


def vc(p, reg, v, src, note, y=2025):
    add("variable_cost", process=p, region=reg, year=y, value=r(v, 4), unit=f"USD/{PUNIT[p]}", source=src, note=note)


ic("li_spodumene_mining", "*", 5656 * 5.323, "busch2025", "hard-rock capex median US$5,656 per t/yr LCE (2022 US$) x 5.323")
ic("li_brine_carbonate", "*", 22499 * 5.323, "busch2025", "brine capex median US$22,499 per t/yr LCE x 5.323")
ic("li_brine_carbonate", "CA", 240000, "busch2025", "Canadian oilfield-brine/DLE projects: Prairie US$334 M for 6,000 t LCE (296 k/t Li), Clearwater C$813 M for 20,000 t LiOH (about 181 k/t Li); midpoint")
ic("li_hydroxide_spodumene", "*", 615e6 / (43000 * LI_IN_LIOH_H2O), "posco_pilbara", "KRW 760 bn (US$615 M) / 43,000 t LiOH.H2O = US$14,300/t LiOH = US$86,500/t Li")
ic("li_hydroxide_spodumene", "CN", 0.5 * 615e6 / (43000 * LI_IN_LIOH_H2O), A, "Chinese converters assumed at half the Korean capital cost")
ic("li_carbonate_spodumene", "*", 615e6 / (43000 * LI_IN_LIOH_H2O), "posco_pilbara", "LiOH plant cost as proxy")
ic("li_carbonate_spodumene", "CN", 0.5 * 615e6 / (43000 * LI_IN_LIOH_H2O), A, "half the Korean cost assumed")
ic("li_hydroxide_from_carbonate", "*", 30000, A, "carbonate-to-hydroxide conversion, about a third of a full spodumene refinery, assumed")
ic("ni_sulfide_mining", "*", 40000, A, "no sourced capex; assumed")
ic("ni_sulfide_refining", "*", 90000 / 1.37, "vale_ca", "Long Harbour C$85,000-95,000/t Ni (2014) at 1.37 C$/US$")
ic("ni_laterite_mining", "*", 5000, A, "open-pit laterite mining, assumed")
ic("ni_hpal", "*", 1.28e9 / 60000, "reuters_huayue2022", "Huayue HPAL (Morowali): US$1.28 bn for 60 kt Ni a year = US$21,300 per t/yr; "
   "range US$14,000 (QMB, 50 kt for US$700 M, woodmac) to US$34,300 (Nickel Industries ENC, 67 kt for at most US$2.3 bn)")
ic("ni_rkef_matte", "*", 20000, A, "assumed (GAP)")
ic("ni_sulfate_refining", "*", 13000 / 1.37, "vale_ca", "Vale Becancour NiSO4 C$325 M / 25 kt Ni = C$13,000/t Ni (cancelled project)")
ic("ni_sulfate_refining", "KR", 506.3e9 / FX_KRW / 42600, "kr_nickel_capex", "KRW 506.3 bn / 42,600 t Ni at 1,320 KRW/US$")
ic("ni_sulfate_refining", "CN", 6000, A, "lower Chinese capital cost assumed")
CU_CO_CAPEX = {"cmoc_tfm2021": 2.51e9 / 200000, "cmoc_kfm2022": 1.826e9 / 90000, "cmoc_kfm2025": 1.08e9 / 100000}
ic("cu_co_mining", "*", sum(CU_CO_CAPEX.values()) / len(CU_CO_CAPEX), "cmoc_kfm2022",
   "rule: mean of three DRC copper-cobalt projects of CMOC, per t Cu/yr (cobalt output rides along): Kisanfu phase 1 "
   "US$1.826 bn / 90,000 t Cu (+30,000 t Co) = 20,290 (cmoc_kfm2022); Tenke Fungurume mixed-ore project US$2.51 bn / "
   "200,000 t Cu (+17,000 t Co) = 12,550 (cmoc_tfm2021); Kisanfu phase 2 US$1.08 bn / 100,000 t = 10,800 (cmoc_kfm2025); "
   "range 10,800-20,290; old value 20,000 was assumed")
ic("co_sulfate_refining", "*", 56e6 / 5020, "firstcobalt_refinery2020", "First Cobalt refinery expansion (feasibility study 2020): US$56 M for 25,000 t/yr CoSO4.7H2O, about 5,020 t Co (the 2019 study's capacity of the same building) = US$11,160 per t Co/yr; a brownfield expansion of a permitted refinery, so a low estimate [U]; old value 20,000 was assumed")
ic("mn_mining", "*", 1000, A, "assumed")
ic("mn_sulfate_refining", "*", 480e6 / (65000 * MN_IN_MNSO4_H2O), "e25_louisiana2023", "Element 25 Louisiana HPMSM: US$480 M (two phases) / 65,000 t HPMSM a year x 0.3251 t Mn/t = US$22,700 per t Mn/yr; a first-of-kind US plant [U]; old value 6,000 was assumed")
ic("graphite_mining", "*", 3000, A, "assumed")
ic("graphite_spheronisation", "*", 1.2e9 / 42616 * 0.6, "nmg2022", "NMG financing target US$1.2 bn for mine + 42.6 kt anode plant; 60 % allocated to the anode plant (assumed)")
ic("graphite_synthetic", "*", 15000, A, "assumed")
ic("cu_mining", "*", 16000, "ame_copper2019", "median capital intensity of new copper mines commissioned 2015-2023 (committed, probable and possible projects), US$7.26/lb = US$16,000 per t Cu/yr; most projects US$5.0-10.0/lb (US$11,000-22,000/t); old value 20,000 was assumed")
ic("cu_smelting_refining", "*", 5000, A,
   "assumed; sourced range: two greenfield smelter-refineries commissioned in 2024, Freeport Manyar (Gresik, Indonesia) "
   "US$3.7 bn / 650,000 t cathode = US$5,690 per t Cu/yr (freeport_manyar2024) and Kutch Copper (Mundra, India) about "
   "US$1.2 bn / 500,000 t (phase 1) = US$2,400 (adani_kutch2024); their mean, US$4,046, moves the reference a lot "
   "(Korean and Canadian smelting up by about 6 Mt Cu each over 2025-2050, Korea's imports +18 %; no change at 4,500), "
   "so 5,000, inside the range, is kept until a wider sample of smelter costs is found")
ic("ree_mining_light", "*", 20000, A, "per t REO/yr, assumed")
ic("ree_mining_ionic", "*", 10000, A, "per t REO/yr, assumed")
ic("ndpr_separation", "*", 101e6 / 400, "src2025", "SRC public funding C$101 M for 400 t/yr (includes R&D scope), used as upper-end proxy in C$ ~ US$")
ic("hree_separation", "*", 500000, A, "assumed")
ic("w_mining", "*", 217e6 / (2 * 2300 * W_IN_WO3), "almonty_sangdong", "US$217 M for two phases of 2,300 t WO3/yr each")
ic("w_apt_refining", "*", 20000, A, "assumed")
ic("ga_refining", "*", 2e6, A, "assumed")
ic("ge_refining", "*", 5e6, A, "assumed")
ic("si_metal_smelting", "*", 3000, A, "assumed")
ic("pcam_NMC811", "*", 910e6 / 290000, "posco_futurem", "POSCO-Huayou pCAM KRW 1.2 trn (US$910 M) for the 150->440 kt expansion")
ic("pcam_NMC622", "*", 910e6 / 290000, "posco_futurem", "as NMC811")
for ch in ("NMC811", "NMC622", "LFP"):
    ic(f"cam_{ch}", "*", 20000, "ecopro_ford", "EcoPro/Ford US$900 M / 45 kt as default")
    ic(f"cam_{ch}", "KR", 400e6 / 60000, "lgchem_cam", "LG Chem Gumi US$400 M / 60 kt")
    ic(f"cam_{ch}", "CA", 400e6 / 30000, "ultium_cam", "Ultium CAM US$400 M / 30 kt")
    ic(f"cam_{ch}", "US", 3.2e9 / 120000, "lgchem_cam", "LG Chem Tennessee US$3.2 bn / 120 kt")
    ic(f"cam_{ch}", "CN", 5000, A, "assumed")
    ic(f"cell_{ch}", "*", 5e9 / 1.37 / 45, "nextstar", "default = the Canadian value: NextStar Windsor >C$5 bn / 45 GWh at 1.37 C$/US$ (old value 80 M/GWh was assumed)")
    ic(f"cell_{ch}", "CA", 5e9 / 1.37 / 45, "nextstar", ">C$5 bn / 45 GWh at 1.37 C$/US$")
    ic(f"cell_{ch}", "KR", 60e6, A, "assumed")
    ic(f"cell_{ch}", "CN", 40e6, A, "assumed")
    ic(f"cell_{ch}", "US", 2.3e9 / 30, "ultium_lordstown2020", "Ultium Cells Lordstown US$2.3 bn / 30 GWh (old value 100 M/GWh was assumed)")
for p in ("pack_ev_NMC811", "pack_ev_NMC622", "pack_ev_LFP", "pack_ess_LFP", "pack_portable"):
    ic(p, "*", 10e6, A, "pack assembly, assumed")
for p in ("magnet_assembly_ev", "magnet_assembly_wind"):
    ic(p, "*", 1000, A, "assumed")
ic("magnet_making", "*", 100e6 * EUR_USD / 2000, "neo_narva2023", f"Neo Performance Materials Narva: EUR 100 M / 2,000 t/yr of sintered magnet = EUR 50,000 per t/yr x {EUR_USD} USD/EUR (2023-2024 average, assumed)")
for ch in CHEMS:
    ic(f"recycle_hydro_{ch}", "*", 115e6 / 20000, "kr_recyclers", "GS Energy Materials KRW 150 bn (US$115 M) / 20,000 t BM per year")
    ic(f"pretreat_{ch}", "*", 8e9 / FX_KRW / 5000 * BM_PER_GWH[ch], "dsdansuk2024",
       f"DS Dansuk KRW 8 bn (US$5.9 M) / 5,000 t BM per year x {BM_PER_GWH[ch]:.0f} t BM/GWh (Primobius, a German spoke, is about 4x as much per t of feed: primobius2022)")
    ic(f"recycle_direct_{ch}", "*", 115e6 / 20000 * BM_PER_GWH[ch], A, "taken equal to hydro (no sourced direct-recycling capex)")
for ch in ("NMC811", "NMC622"):
    ic(f"recycle_pyro_{ch}", "*", 1.2 * 115e6 / 20000 * BM_PER_GWH[ch], A, "hydro capex +20 % (smelter), assumed")
ic("recycle_cu_scrap", "*", 2000, A, "scrap melting and refining, assumed (less than the 5,000 USD per t/yr assumed for concentrate smelting)")
ic("recycle_magnet_hydro", "*", 20000, A, "assumed")
ic("recycle_magnet_hpms", "*", 30000, A, "assumed")
ic("repurpose_LFP", "*", 10e6, A, "assumed")

VC = [
    ("li_spodumene_mining", "*", 374 / LI_IN_SC6, "busch2025", "hard-rock opex median US$374/t SC6 / 2.79 % Li"),
    ("li_spodumene_mining", "CA", 385 / LI_IN_SC6, "busch2025", "La Corne (NAL) US$385/t SC6"),
    ("li_brine_carbonate", "*", 3789 * 5.323, "busch2025", "brine opex median US$3,789/t LCE x 5.323"),
    ("li_brine_carbonate", "CA", 2819 * 5.323, "busch2025", "Prairie (SK) US$2,819/t LCE"),
    ("li_hydroxide_spodumene", "*", 2500 * 5.323, "busch2025", "spodumene-to-LCE conversion US$2,500/t LCE (model assumption of Busch et al.), applied per t Li"),
    ("li_carbonate_spodumene", "*", 2500 * 5.323, "busch2025", "US$2,500/t LCE x 5.323"),
    ("li_hydroxide_from_carbonate", "*", 5000, A, "about US$830/t LiOH.H2O, assumed"),
    ("ni_sulfide_mining", "*", 0.35 * 21521, A, "35 % of the 2023 Ni price (statista_prices2023), assumed; sourced range: C1 operating cost US$7,363/t Ni (US$3.34/lb) for the Turnagain sulfide project including on-site refining (hardcreek_turnagain2010)"),
    ("ni_sulfide_refining", "*", 3000, A, "assumed"),
    ("ni_laterite_mining", "*", 1500, A, "assumed"),
    ("ni_hpal", "*", 7000, A, "assumed (excl. ore); sourced range: direct cash cost after cobalt credits US$3,763-5,763/t Ni in MHP, incl. mining (Goongarrie PFS, ardea_goongarrie2024)"),
    ("ni_rkef_matte", "*", 9000, A, "assumed; sourced range: RKEF ferronickel C1 cost US$8,193/t Ni incl. mining (Araguaia FS, horizonte_araguaia2018); conversion to matte adds"),
    ("ni_sulfate_refining", "*", 1500, A, "assumed; sourced range: refining MHP to nickel metal A$93 M/yr for 50,000 t Ni/yr = A$1,860/t Ni (+-50 %, vaughan2013_alta); intermediate-to-sulfate conversion about US$700/t, unit basis unclear [U] (fastmarkets_mhp2022)"),
    ("cu_co_mining", "*", 4500, A, "per t Cu, assumed; sourced range: world copper-mine net cash cost US$3,586/t and total cost US$4,626/t in 2015 (gfms_copper2016)"),
    ("co_sulfate_refining", "*", 2.72 * LB_PER_T, "firstcobalt_refinery2020", "First Cobalt refinery feasibility study 2020: operating cost US$2.72/lb Co x 2,204.6 lb/t (hydroxide feed to sulfate; the 2019 scoping cases US$2.29-4.69/lb); old value 3,000 was assumed"),
    ("mn_mining", "*", 300, A, "assumed"),
    ("mn_sulfate_refining", "*", 1200, A, "about a third of the MnSO4 price (US$1,145/t product, everbatt2023) per t Mn, assumed"),
    ("graphite_mining", "*", 500, A, "assumed"),
    ("graphite_spheronisation", "*", 1500, A, "spherical graphite about US$2,800/t [U] less 2.22 t flake, assumed"),
    ("graphite_synthetic", "*", 4000, A, "incl. coke feed, assumed"),
    ("cu_mining", "*", 4000, A, "about 47 % of the 2023 Cu price, assumed; sourced range: world copper-mine net cash cost US$3,586/t and total cost US$4,626/t in 2015 (gfms_copper2016)"),
    ("cu_smelting_refining", "*", 600, A, "assumed; sourced range: benchmark treatment and refining charges US$80/t concentrate + 8 c/lb in 2024, "
     "about US$460/t Cu at 28 % Cu in concentrate (US$340/t in 2021, US$620/t in 2015; reuters_tcrc2023)"),
    ("ree_mining_light", "*", 2000, A, "per t REO, assumed"),
    ("ree_mining_ionic", "*", 4000, A, "per t REO, assumed"),
    ("ndpr_separation", "*", 20000, A, "GAP; assumed"),
    ("hree_separation", "*", 100000, A, "GAP; assumed"),
    ("w_mining", "*", 15000, A, "assumed"),
    ("w_apt_refining", "*", 5000, A, "assumed"),
    ("ga_refining", "*", 150000, A, "assumed"),
    ("ge_refining", "*", 800000, A, "assumed; GeO2 US$1,070-1,250/kg in 2018 (Fastmarkets, 27 Jul 2018)"),
    ("si_metal_smelting", "*", 1500, A, "assumed"),
    ("pcam_NMC811", "*", 2000, A, "conversion cost excl. metal sulfates, assumed; no public unit cost found (GAP); sourced bound: the Chinese NCM811 precursor price, RMB 81,500-88,800/t (about US$11,300-12,300/t at 7.2 RMB/USD) in Nov 2024-Sep 2025 (energytrend_prices2025), covers metal sulfates, conversion and margin, so it bounds the conversion cost from above"),
    ("pcam_NMC622", "*", 2000, A, "conversion cost excl. metal sulfates, assumed; no public unit cost found (GAP); sourced bound: the Chinese NCM622 precursor price, RMB 70,200-76,400/t (about US$9,800-10,600/t at 7.2 RMB/USD) in Nov 2024-Sep 2025 (energytrend_prices2025), covers metal sulfates, conversion and margin, so it bounds the conversion cost from above"),
    ("cam_NMC811", "*", 3000, A, "lithiation and calcination cost excl. pCAM and LiOH, assumed (GAP); sourced range: the Chinese NCM811 cathode-minus-precursor price spread was RMB 57,600/t (Sep 2025) to 66,700/t (Nov 2024), about US$8,000-9,300/t (energytrend_prices2025); it pays for about 0.43 t LiOH.H2O per t CAM, conversion and margin, so it bounds the conversion cost from above (RMB at 7.2 per USD) [U]"),
    ("cam_NMC622", "*", 3000, A, "lithiation and calcination cost excl. pCAM and Li2CO3, assumed (GAP); sourced range: the Chinese NCM622 cathode-minus-precursor price spread was RMB 50,200/t (Sep 2025) to 52,700/t (Nov 2024), about US$7,000-7,400/t (energytrend_prices2025); it pays for about 0.38 t Li2CO3 per t CAM, conversion and margin, so it bounds the conversion cost from above (RMB at 7.2 per USD) [U]"),
    ("cam_LFP", "*", 2500, A, "incl. iron phosphate, assumed"),
    ("cell_NMC811", "*", 30e6, A, "about US$30/kWh conversion cost excl. materials, assumed; sourced range: BEV cell price US$89/kWh in 2023 (bnef_battery2023) less the modelled materials at reference prices (CAM, graphite, Cu, electrolyte Li: about US$40-45/kWh for NMC) leaves at most about US$45/kWh for conversion, unmodelled materials and margin"),
    ("cell_NMC622", "*", 30e6, A, "as NMC811, assumed; sourced range: BEV cell price US$89/kWh in 2023 (bnef_battery2023) less the modelled materials at reference prices (CAM, graphite, Cu, electrolyte Li: about US$40-45/kWh for NMC) leaves at most about US$45/kWh for conversion, unmodelled materials and margin"),
    ("cell_LFP", "*", 28e6, A, "assumed; sourced range: LFP cell price US$95/kWh in 2023 (bnef_battery2023) includes materials"),
    ("pack_ev_NMC811", "*", 39e6, "bnef_battery2023", "pack price less cell price: US$128/kWh BEV pack - US$89/kWh BEV cell (2023) = US$39/kWh for pack materials, assembly and margin"),
    ("pack_ev_NMC622", "*", 39e6, "bnef_battery2023", "BEV pack US$128/kWh - BEV cell US$89/kWh (2023)"),
    ("pack_ev_LFP", "*", 35e6, "bnef_battery2023", "LFP pack US$130/kWh - LFP cell US$95/kWh (2023)"),
    ("pack_ess_LFP", "*", 35e6, "bnef_battery2023", "LFP pack US$130/kWh - LFP cell US$95/kWh (2023); power electronics of a storage system not included"),
    ("pack_portable", "*", 10e6, A, "assumed"),
    ("magnet_making", "*", 15000, A, "assumed"),
    ("magnet_assembly_ev", "*", 100, A, "assumed"),
    ("magnet_assembly_wind", "*", 100, A, "assumed"),
    ("recycle_cu_scrap", "*", 300, A, "refining charge for clean copper scrap, assumed (half the 600 USD/t assumed for concentrate)"),
    ("recycle_magnet_hydro", "*", 10000, A, "assumed"),
    ("recycle_magnet_hpms", "*", 8000, A, "assumed; HPMS about 88 % less energy than primary (hypromag)"),
    ("repurpose_LFP", "*", 20e6, A, "testing and re-integration about US$20/kWh, assumed"),
]
for ch in CHEMS:
    t_gwh = CELL_T_PER_GWH[ch] * PACK_PER_CELL[ch]
    VC.append((f"pretreat_{ch}", "*", 1400 * t_gwh, "primobius2022", f"pre-processing opex US$1,400/t feed x {t_gwh:.0f} t packs/GWh"))
    VC.append((f"recycle_hydro_{ch}", "*", 1000, A, "hydrometallurgical refining US$1,000/t black mass, assumed"))
    VC.append((f"recycle_direct_{ch}", "*", 1400 * t_gwh + 1500 * BM_PER_GWH[ch], A, "pre-processing as hydro + US$1,500/t BM relithiation, assumed"))
for ch in ("NMC811", "NMC622"):
    VC.append((f"recycle_pyro_{ch}", "*", 1600 * CELL_T_PER_GWH[ch] * PACK_PER_CELL[ch], A, "smelting US$1,600/t feed, assumed"))
for p, reg, v, src, note in VC:
    vc(p, reg, v, src, note)

# reserves (cumulative activity limits) for mining processes
def rsv(p, reg, v, src, note):
    add("reserves", process=p, region=reg, value=r(v, 4), unit=PUNIT[p], source=src, note=note)


rsv("li_spodumene_mining", "CA", 1200000, "usgs_mcs2025", "Canada Li reserves 1.2 Mt (all deposit types, attributed to hard rock)")
rsv("ni_sulfide_mining", "CA", 2200000, "usgs_mcs2025", "Canada Ni reserves 2.2 Mt")
rsv("cu_mining", "CA", 8300000, "usgs_mcs2025", "Canada Cu reserves 8.3 Mt")
rsv("graphite_mining", "CA", 5900000, "usgs_mcs2025", "Canada graphite reserves 5.9 Mt")
rsv("graphite_mining", "KR", 1800000, "usgs_mcs2025", "Korea graphite reserves 1.8 Mt")
rsv("ree_mining_light", "CA", 830000, "usgs_mcs2025", "Canada REO reserves 830 kt")
rsv("w_mining", "KR", 37000 * W_IN_WO3, "almonty_sangdong", "7.9 Mt at 0.47 % WO3 = 37 kt WO3 x 0.793")
# Supplier reserves are not limiting here: only the share of a supplier's output serving CA+KR is
# modelled, and USGS reserves exceed cumulative 2025-2050 CA+KR needs by orders of magnitude
# (e.g. Australia 7 Mt Li against about 1 Mt of cumulative CA+KR lithium demand).

# ---------------------------------------------------------------------------
# Environment
# ---------------------------------------------------------------------------
EF = dict(gas=0.0561, coal=0.0946, diesel=0.0741, coke=0.0975)  # t CO2 per GJ, IPCC 2006


def env(p, reg, direct=None, elec=None, energy=None, water=None, src="istrate2024", note=""):
    if direct is not None:
        add("emission_factor", process=p, region=reg, value=r(direct, 4), unit=f"tCO2e/{PUNIT[p]}", source=src if src != "derived" else "ipcc2006", note=note)
    if elec is not None:
        add("electricity_use", process=p, region=reg, value=r(elec, 4), unit=f"MWh/{PUNIT[p]}", source=src if src != "derived" else "istrate2024", note=note)
    if energy is not None:
        add("energy_use", process=p, region=reg, value=r(energy, 4), unit=f"GJ/{PUNIT[p]}", source=src if src != "derived" else "istrate2024", note=note)
    if water is not None:
        add("water_use", process=p, region=reg, value=r(water, 4), unit=f"m3/{PUNIT[p]}", source=src if src != "derived" else "istrate2024", note=note)


k = 1 / LI_IN_LIOH_H2O
heat = 71.3 / 1000 * 1000 * k  # GJ/t Li
env("li_hydroxide_spodumene", "*", direct=heat * EF["coal"], src="ipcc2006", note=f"71.3 MJ coal heat per kg LiOH.H2O (istrate2024) = {heat:.0f} GJ/t Li x 94.6 kg CO2/GJ")
env("li_hydroxide_spodumene", "KR", direct=heat * EF["gas"], src="ipcc2006", note=f"{heat:.0f} GJ/t Li heat from natural gas (assumed outside China) x 56.1 kg CO2/GJ")
for reg in ("AU", "CA", "US"):
    env("li_hydroxide_spodumene", reg, direct=heat * EF["gas"], src="ipcc2006", note="natural-gas heat assumed outside China")
env("li_hydroxide_spodumene", "*", elec=3.5 * k, energy=heat + 3.5 * k * 3.6, water=11.2 / 1000 * 1000 * k, note="3.5 kWh, 71.3 MJ heat, 11.2 kg tap water per kg LiOH.H2O")
k = 1 / LI_IN_LCE
heat = 135.9 * k
env("li_carbonate_spodumene", "*", direct=heat * EF["coal"], src="ipcc2006", note=f"135.9 MJ coal per kg Li2CO3 (istrate2024) = {heat:.0f} GJ/t Li x 94.6 kg/GJ")
env("li_carbonate_spodumene", "*", elec=1.8 * k, energy=heat + 1.8 * k * 3.6, water=39.9 * k, note="1.8 kWh, 135.9 MJ, 39.9 kg water per kg Li2CO3")
heat = 22.9 * k
env("li_brine_carbonate", "*", direct=heat * EF["gas"], src="ipcc2006", note=f"22.9 MJ gas per kg Li2CO3 (Atacama LCI) = {heat:.0f} GJ/t Li")
env("li_brine_carbonate", "*", elec=0.41 * k, energy=heat + 0.41 * k * 3.6, note="0.41 kWh and 22.9 MJ per kg Li2CO3 (Atacama)")
env("li_brine_carbonate", "*", water=441 * 5.323, src="fineprint2021", note="441 m3 freshwater per t LCE (2017 average of all Li chemicals [U] derived) x 5.323")
k = 1 / LI_IN_LIOH_H2O
env("li_hydroxide_from_carbonate", "*", direct=(18.9 * EF["gas"] + 3 * EF["diesel"]) * k, src="ipcc2006", note="18.9 MJ gas + 3 MJ diesel per kg LiOH (istrate2024)")
env("li_hydroxide_from_carbonate", "*", elec=1.39 * k, energy=(18.9 + 3 + 1.39 * 3.6) * k, note="1.39 kWh, 21.9 MJ fuel per kg LiOH")
env("li_spodumene_mining", "*", direct=0.12 / LI_IN_SC6 * EF["diesel"], src="ipcc2006", note="diesel 0.12 MJ per kg SC (istrate2024) / 2.79 % Li")
env("li_spodumene_mining", "*", elec=0.5, energy=0.12 / LI_IN_SC6 + 0.5 * 3.6, water=3 / LI_IN_SC6, note="diesel 0.12 MJ/kg SC; water 0.003 m3/kg SC; electricity 0.5 MWh/t Li assumed (not in LCI)")
# nickel
env("ni_sulfate_refining", "*", direct=5.3 / NI_IN_NISO4_6H2O * EF["gas"], src="ipcc2006", note="5.3 MJ heat per kg NiSO4 (istrate2024, read per kg hexahydrate) as gas")
env("ni_sulfate_refining", "*", elec=1.02 / NI_IN_NISO4_6H2O, energy=(5.3 + 1.02 * 3.6) / NI_IN_NISO4_6H2O, water=4.29 / NI_IN_NISO4_6H2O, note="1.02 kWh, 5.3 MJ, 4.29 kg water per kg NiSO4 (hexahydrate basis assumed)")
# Sulfide nickel chain of the Nickel Institute's 2020 LCA as transcribed in the istrate2024 LCI workbook (sheet Nickel),
# per kg of NiSO4 (hexahydrate basis, as ni_sulfate_refining): 2.08 kg "nickel matte", each from 2.1 kg concentrate, each
# from 2.75 kg ore. Per t Ni: x 2.08 / 0.2233 (matte), x 2.1 (concentrate), x 2.75 (ore).
NI_MATTE = 2.08 / NI_IN_NISO4_6H2O  # t "matte" per t Ni
NI_CONC = NI_MATTE * 2.1
NI_ORE = NI_CONC * 2.75
NCV = dict(coal=25.8, petrol=44.3, petcoke=32.5, diesel=43.0)  # MJ/kg, IPCC 2006 net calorific values
EF_HFO, EF_LPG = 0.0774, 0.0631  # t CO2 per GJ, IPCC 2006 (residual fuel oil, LPG)
# matte step, per kg matte: 0.63 kWh; heat from gas 1.925 MJ, HFO 1.54 MJ, light oil 0.0042 MJ, LPG 0.01085 MJ;
# fuels as materials: hard coal 0.005775 kg, petrol 0.007525 kg, petroleum coke 0.0013125 kg, diesel 0.00028 kg,
# coke (reductant) 2.73 MJ; process CO2 0.56 kg; water: tap 0.3325 kg, lake 0.00049, river 0.002625, other 0.00021 m3
matte_heat = 1.925 + 1.54 + 0.0042 + 0.01085
matte_fuel = 0.005775 * NCV["coal"] + 0.007525 * NCV["petrol"] + 0.0013125 * NCV["petcoke"] + 0.00028 * NCV["diesel"] + 2.73
matte_co2 = 0.56 + 1.925 * EF["gas"] + 1.54 * EF_HFO + 0.0042 * EF["diesel"] + 0.01085 * EF_LPG
env("ni_sulfide_refining", "*", direct=matte_co2 * NI_MATTE, elec=0.63 * NI_MATTE, energy=(matte_heat + matte_fuel + 0.63 * 3.6) * NI_MATTE,
    water=(0.3325 / 1000 + 0.00049 + 0.002625 + 0.00021) * 1000 * NI_MATTE, src="istrate2024",
    note=f"Nickel Institute 2020 sulfide chain (istrate2024 LCI, nickel matte step) x {NI_MATTE:.2f} t matte per t Ni: 0.63 kWh, {matte_heat + matte_fuel:.2f} MJ fuel "
         "(heat from gas, heavy and light oil, LPG; coal, petrol, petroleum coke, diesel; coke reductant 2.73 MJ) and 3.66 L water (tap, lake, river) per kg matte; "
         "direct = 0.56 kg process CO2 + combustion of the heat fuels (IPCC 2006 factors), fuels bought as materials taken inside the listed process CO2 [S]")
env("ni_sulfide_refining", "CA", direct=3.5, src="vale_ca", note="Long Harbour 4.4 and Copper Cliff 7.3 t CO2e/t Ni incl. scope 2-3 (2020); scope 1 about 3.5 assumed")
# concentration per kg concentrate: 0.12083 kWh, heat from gas 0.11667 MJ, coal CHP 0.04667 MJ, HFO 0.01 MJ, diesel 0.000359 kg;
# ore mining per kg ore: 0.02303 kWh, diesel 0.0016364 kg
conc_heat = 0.11667 + 0.04667 + 0.01 + 0.000359 * NCV["diesel"]
conc_co2 = 0.11667 * EF["gas"] + 0.04667 * EF["coal"] + 0.01 * EF_HFO + 0.000359 * NCV["diesel"] * EF["diesel"]
ore_diesel = 0.0016364 * NCV["diesel"]
ni_mine_elec = 0.12083 * NI_CONC + 0.02303 * NI_ORE
env("ni_sulfide_mining", "*", direct=conc_co2 * NI_CONC + ore_diesel * EF["diesel"] * NI_ORE, elec=ni_mine_elec,
    energy=conc_heat * NI_CONC + ore_diesel * NI_ORE + ni_mine_elec * 3.6, src="istrate2024",
    note=f"Nickel Institute 2020 sulfide chain (istrate2024 LCI): concentration 0.1208 kWh and {conc_heat:.3f} MJ fuel per kg concentrate x {NI_CONC:.1f}, "
         f"ore mining 0.0230 kWh and 1.64 g diesel per kg ore x {NI_ORE:.1f} (per t Ni of the final sulfate; the refining loss is not netted out) [S]")
env("ni_sulfide_mining", "*", water=30, src=A, note="mine and mill, assumed; the istrate2024 LCI of concentration and ore mining lists no water intake")
env("ni_laterite_mining", "*", direct=1.0, elec=0.2, energy=15, water=5, src=A, note="open-pit laterite, assumed")
env("ni_hpal", "*", direct=12.0, elec=10.0, energy=150, water=100, src="ni_indonesia_wp", note="HPAL about 20 t CO2e/t Ni total: 12 t direct + 10 MWh x grid (ID 0.76) assumed split; water GAP (assumed)")
env("ni_rkef_matte", "*", direct=31.0, elec=30.0, energy=450, water=20, src="ni_indonesia_wp", note="RKEF about 54 t CO2e/t Ni: 31 t direct (coal reductant, drying) + 30 MWh x grid assumed split")
# cobalt
env("co_sulfate_refining", "*", direct=8.9 / CO_IN_COSO4 * EF["gas"], src="ipcc2006", note="8.9 MJ steam+gas per kg CoSO4 (istrate2024), anhydrous basis")
env("co_sulfate_refining", "*", elec=1.2 / CO_IN_COSO4, energy=(8.9 + 1.2 * 3.6) / CO_IN_COSO4, water=30, note="1.2 kWh, 8.9 MJ per kg CoSO4; water 30 m3/t Co assumed")
env("cu_co_mining", "*", direct=1.5, src=A, note="Cu mining assumed; sourced range: scope 1+2 intensity of JCI's DRC copper-cobalt operations (Ruashi, Kinsenda) 0.23-0.80 t CO2e/t Cu in 2020-2024 (jci_esg2024)")
env("cu_co_mining", "*", elec=2.5 + CO_PER_CU_DRC * 4.1 / 0.35, src=A, note="Cu mining assumed; plus Co(OH)2 4.1 kWh/kg hydroxide (istrate2024) on the Co by-product")
NORTHEY = ("average of copper mines' sustainability reports (northey2013): energy 22.2 GJ/t Cu (range 10-70), water 70.4 m3/t Cu (several to 350); "
           "operations of mixed boundaries (concentrate to cathode) [S][U]")
env("cu_co_mining", "*", energy=22.2, water=70.4, src="northey2013", note=NORTHEY)
env("cu_mining", "*", direct=1.0, elec=2.5, src=A, note="Cu cathode about 4.1 t CO2e/t total (istrate2024 range); split assumed; sourced range: mines' scope 1+2 "
    "average 2.6 t CO2e/t Cu (1-9, northey2013)")
env("cu_mining", "*", energy=22.2, water=70.4, src="northey2013", note=NORTHEY)
env("cu_smelting_refining", "*", direct=0.6, elec=1.5, energy=12, water=10, src=A, note="assumed within the 4.1 t CO2e/t cathode total")
env("mn_mining", "*", direct=0.1, elec=0.1, energy=2, water=2, src=A, note="assumed")
env("mn_sulfate_refining", "*", direct=1.0, elec=1.5, energy=20, water=20, src=A, note="MnSO4 0.7-5.4 kg CO2e/kg (istrate2024) = 2.2-16.6 t/t Mn total; split assumed")
env("graphite_mining", "*", direct=0.2, elec=0.5, energy=3, water=22, src="istrate2024", note="flotation water 22 kg/kg concentrate; energy assumed")
env("graphite_spheronisation", "*", direct=2.0, elec=7.6, energy=35, water=25, src="istrate2024", note="whole chain 8.75 kWh/kg minus mining; purification water 25 kg/kg; coating heat 2 t CO2 assumed")
env("graphite_synthetic", "*", direct=10 * EF["gas"] + 23 * EF["coke"], elec=36, energy=10 + 23 + 36 * 3.6, water=10, src="istrate2024", note="about 36 kWh/kg, gas 10 MJ + coke 23 MJ per kg [U] derived; combustion factors ipcc2006")
env("ree_mining_light", "*", direct=1.5, elec=1.0, energy=15, water=20, src=A, note="per t REO, assumed")
env("ree_mining_ionic", "*", direct=8.0, elec=2.0, energy=40, water=200, src="istrate2024", note="ion-clay mixed REO 17.8-24.3 kg CO2e/kg (Processes 10:1354, 2022) incl. reagents; direct part assumed")
env("ndpr_separation", "*", direct=15.0, elec=15.0, energy=200, water=300, src=A, note="Nd2O3 about 25 kg CO2e/kg (istrate2024 range); split per t NdPr assumed; water GAP")
env("hree_separation", "*", direct=100.0, elec=50.0, energy=1000, water=2000, src=A, note="assumed")
env("w_mining", "*", direct=3.0, elec=5.0, energy=50, water=50, src=A, note="assumed")
env("w_apt_refining", "*", direct=5.0, elec=5.0, energy=80, water=40, src=A, note="assumed")
env("ga_refining", "*", direct=50.0, elec=100.0, energy=1000, water=500, src=A, note="assumed")
env("ge_refining", "*", direct=100.0, elec=200.0, energy=2000, water=1000, src=A, note="assumed")
# metallurgical-grade silicon (IEA PVPS Task 12 LCI, iea_pvps2020, as transcribed in premise_lci): per kg Si 11 kWh electricity,
# coke 23.12 MJ, petroleum coke 0.5 kg, charcoal 0.17 kg, wood chips 0.0033 kg (dry), graphite electrodes 0.1 kg; fossil CO2 3.58 kg
si_fuel = 23.12 + 0.5 * NCV["petcoke"] + 0.17 * 29.5 + 0.003253 * 15.6  # MJ/kg (IPCC 2006 NCV: charcoal 29.5, wood 15.6)
env("si_metal_smelting", "*", direct=3.5808, elec=11.0, energy=si_fuel + 11.0 * 3.6, src="iea_pvps2020",
    note=f"metallurgical silicon LCI (IEA PVPS Task 12, premise_lci): 11 kWh electricity, {si_fuel:.1f} MJ reductants and fuels "
         "(coke, petroleum coke, charcoal, wood chips; graphite electrodes not counted) and 3.58 kg fossil CO2 per kg Si [S]")
env("si_metal_smelting", "*", water=5, src=A, note="assumed; the metallurgical silicon LCI (iea_pvps2020) lists no water intake")
PCAM_GAS = {"NMC811": 39.106, "NMC622": 39.556}  # MJ heat from natural gas per kg hydroxide (dai2019 as transcribed in premise_lci)
for ch in ("NMC811", "NMC622"):
    env(f"pcam_{ch}", "*", direct=PCAM_GAS[ch] * EF["gas"], elec=0.0, energy=PCAM_GAS[ch], water=0.62, src="dai2019",
        note=f"co-precipitation of {ch} hydroxide (GREET, Dai et al. 2019, as transcribed in premise_lci): {PCAM_GAS[ch]:.1f} MJ heat from natural gas "
             "and 0.62 L cooling water per kg, no electricity listed; gas x 56.1 kg CO2/GJ (ipcc2006) [S]")
env("cam_NMC811", "*", direct=42.6 * EF["gas"], elec=28.8 / 3.6, energy=42.6 + 28.8, water=5, src="everbatt2019", note="28.8 MJ electricity + 42.6 MJ natural gas per kg NMC811 (EverBatt Table 18); gas x 56.1 kg/GJ (ipcc2006); water assumed")
env("cam_NMC622", "*", direct=42.6 * EF["gas"], elec=25.2 / 3.6, energy=42.6 + 25.2, water=5, src="everbatt2019", note="25.2 MJ electricity + 42.6 MJ gas per kg NMC622 (EverBatt Table 18)")
env("cam_LFP", "*", elec=5.0, energy=40, src=A, note="assumed; sourced range: the LiFePO4 inventory in premise_lci lists 15 MJ steam heat per kg and no electricity")
env("cam_LFP", "*", direct=15 * EF["gas"], water=46, src="premise_lci",
    note="LiFePO4 synthesis inventory (premise_lci): 15 MJ heat from steam and 46 kg deionised water per kg LFP; steam taken as raised from natural gas "
         "(56.1 kg CO2/GJ, ipcc2006, boiler losses not counted) [S][U]")
CELL_GAS_KWH, CELL_ELEC_KWH = 21.38, 41.48 - 21.38  # degen2023: kWh per kWh of cell capacity
CELL_DAI = {"NMC811": (1.2616, 13.29), "NMC622": (1.1875, 12.51)}  # dai2019 via premise_lci: kWh electricity and MJ gas per kg cell
for ch in CHEMS:
    dai = CELL_DAI.get(ch)
    rng = (f"; sourced range: GREET (dai2019) {dai[0]:.2f} kWh electricity and {dai[1]:.1f} MJ gas per kg cell = {dai[0] * CELL_T_PER_GWH[ch]:,.0f} MWh "
           f"and {dai[1] * CELL_T_PER_GWH[ch] * EF['gas']:,.0f} t CO2 per GWh" if dai else
           f"; [U] the LFP figure applies the NMC811 measurement to LFP; sourced range: the LFP cell inventory of crenna2021 (premise_lci) lists 4 kWh electricity "
           f"and 14.4 MJ gas per kg cell = {4 * CELL_T_PER_GWH[ch]:,.0f} MWh per GWh")
    env(f"cell_{ch}", "*", elec=CELL_ELEC_KWH * 1000, src="degen2023",
        note=f"current LIB cell production 41.48 kWh of energy per kWh of cell capacity, of it 21.38 kWh natural gas (drying, dry rooms): the rest, {CELL_ELEC_KWH:.2f} kWh, electricity{rng}")
    env(f"cell_{ch}", "*", direct=CELL_GAS_KWH * 3.6 * EF["gas"] * 1000, src="degen2023",
        note=f"21.38 kWh natural gas per kWh of cell capacity (degen2023) x 3.6 MJ/kWh x 56.1 kg CO2/GJ (ipcc2006){rng}")
    env(f"cell_{ch}", "*", energy=41.48 * 3600, src="degen2023", note="41.48 kWh of energy per kWh of cell capacity for current LIB cell production (degen2023) = 149,300 GJ/GWh")
for ch in CHEMS:
    proxy = "" if ch == "LFP" else f" [U] the LFP cell figure applied per kg of {ch} cells (the GREET cell inventory, dai2019, lists no water; was 50,000 m3/GWh assumed)"
    env(f"cell_{ch}", "*", water=4.468 * CELL_T_PER_GWH[ch], src="crenna2021",
        note=f"LFP cell production inventory (crenna2021 as transcribed in premise_lci): 4.47 kg water per kg cell x {CELL_T_PER_GWH[ch]:.0f} t cells per GWh [S]{proxy}")
# pack assembly (crenna2021 NMC622 battery inventory as transcribed in premise_lci): 0.00028 kWh electricity and 0.02151 kg
# tap water per kg of pack, no fuel; per GWh x t of pack per GWh
for p, ch in (("pack_ev_NMC811", "NMC811"), ("pack_ev_NMC622", "NMC622"), ("pack_ev_LFP", "LFP"), ("pack_ess_LFP", "LFP")):
    pack_t = CELL_T_PER_GWH[ch] * PACK_PER_CELL[ch]
    proxy = "" if ch == "NMC622" else f" [U] the NMC622 pack inventory applied to {ch} packs"
    env(p, "*", direct=0.0, elec=0.00028 * pack_t, energy=0.00028 * pack_t * 3.6, water=0.02151 * pack_t, src="crenna2021",
        note=f"pack assembly: 0.00028 kWh electricity and 0.0215 kg water per kg pack, no fuel (crenna2021 NMC622 battery inventory in premise_lci) x {pack_t:,.0f} t pack per GWh{proxy}")
env("pack_portable", "*", direct=50, elec=2000, energy=8000, water=1000, src=A,
    note="per GWh, assumed (portable pack mass is itself assumed); sourced range: EV pack assembly 0.00028 kWh and 0.0215 kg water per kg pack (crenna2021)")
env("magnet_making", "*", direct=2.0, elec=30.0, energy=150, src=A, note="assumed")
env("magnet_making", "*", water=0.5, src="jin2018", note="sintered NdFeB magnet (strip casting route) LCI: 0.0005 m3 water per kg magnet (base case; the same in best and worst cases) [S]; was 20 m3/t assumed")
env("recycle_magnet_hpms", "*", direct=0.2, elec=3.6, energy=18, water=2, src="hypromag", note="about 88 % less energy than primary magnet making (150 GJ/t assumed)")
env("recycle_magnet_hydro", "*", direct=3.0, elec=10.0, energy=80, water=100, src=A, note="assumed")
for p in ("magnet_assembly_ev", "magnet_assembly_wind"):
    env(p, "*", direct=0.0, elec=0.1, energy=0.5, water=0, src=A, note="assumed negligible")
for ch in CHEMS:
    tf = CELL_T_PER_GWH[ch] * PACK_PER_CELL[ch]
    bm = BM_PER_GWH[ch]
    li_out = BM_CONTENT[ch]["Li"] * HYDRO_REC["Li"] / LI_IN_LCE  # t Li2CO3 per t black mass
    gas, el = 2 * tf / 1000, 0.2 * tf / 3.6  # GJ and MWh per GWh (MJ/kg = GJ/t)
    env(f"pretreat_{ch}", "*", direct=gas * EF["gas"] + 0.6 * tf / 1000 * EF["diesel"], elec=el, energy=gas + 0.6 * tf / 1000 + el * 3.6,
        water=0.1 * tf * 3.785 / 1000, src="everbatt2023",
        note=f"EverBatt 2023 pre-processing per kg feed: gas 2 MJ, elec 0.2 MJ, diesel 0.6 MJ, water 0.1 gal ({tf:.0f} t packs/GWh)")
    gas, el = 1 + 4 * li_out, 0.9 / 3.6  # GJ and MWh per t black mass
    env(f"recycle_hydro_{ch}", "*", direct=gas * EF["gas"], elec=el, energy=gas + el * 3.6, water=2 * 3.785, src="everbatt2023",
        note=f"EverBatt 2023 hydrometallurgical recovery per kg black mass: elec 0.9 MJ, gas 1 MJ + 4 MJ per kg Li2CO3 ({li_out:.3f} kg/kg), water 2 gal")
    gas = tf * 1.0 * 0 + 0
    el = (0.2 * tf + (0.5 * bm + 14.4 * CAM_PER_GWH[ch] * 0.95)) / 3.6
    env(f"recycle_direct_{ch}", "*", direct=(2 * tf) / 1000 * EF["gas"] + 0.6 * tf / 1000 * EF["diesel"], elec=el, energy=2 * tf / 1000 + 0.6 * tf / 1000 + el * 3.6,
        water=(0.1 * tf + 2 * bm) * 3.785 / 1000, src="everbatt2023", note="EverBatt 2023: pre-processing as hydro; direct 0.5 MJ/kg feed + 14.4 MJ/kg cathode electricity")
for ch in ("NMC811", "NMC622"):
    tf = CELL_T_PER_GWH[ch] * PACK_PER_CELL[ch]
    ccn = BATPAC[ch]["Cu"] + BATPAC[ch]["Co"] + BATPAC[ch]["Ni"]
    el = (0.5 * tf + 7.2 * BATPAC[ch]["Cu"]) / 3.6
    env(f"recycle_pyro_{ch}", "*", direct=ccn * 1.0 / 1000 * EF["gas"] + tf * 0.3 * 0.44 + tf * 0.2, elec=el, energy=ccn / 1000 + el * 3.6 + tf * 4.68 / 1000 * 0, water=tf * 0.5,
        src="everbatt2023", note="EverBatt 2023 pyro: 0.5 MJ/kg feed + 7.2 MJ/kg Cu electricity, 1 MJ gas and 1 kg limestone per kg Cu+Co+Ni; combustion of graphite/electrolyte/plastics about 0.2 t CO2 per t feed assumed")
env("recycle_cu_scrap", "*", direct=0.1, elec=0.5, energy=3, water=1, src=A, note="melting and fire refining of clean scrap, assumed")
env("repurpose_LFP", "*", direct=0, elec=500, energy=1800, water=0, src=A, note="testing and re-integration per GWh, assumed")

# grid intensity
GRID = {
    "CA": ({2024: 0.137, 2035: 0.03, 2050: 0.01}, "lowcarbonpower", "2024 life-cycle 137 g/kWh; path to near-zero by 2035 (Clean Electricity Regulations) assumed"),
    "KR": ({2023: 0.413, 2030: 0.32, 2038: 0.20, 2050: 0.017}, "lowcarbonpower", "2023 413 g/kWh; decline to carbon neutrality in 2050 assumed"),
    "ROW": ({2023: 0.481, 2050: 0.048}, "ember2024", "world average 481 g/kWh (2023); path assumed"),
}
# rows of a path above with their own source or note: (region, year) -> (source, note)
KR_11BP = "11th Basic Plan (kr_11bp2025): carbon-free share 39.1 % (2023), 53.0 % (2030), 70.7 % (2038)"
GRID_ROW_SOURCE = {
    ("KR", 2030): ("kr_11bp2025", "rule from the 11th Basic Plan's carbon-free share of generation, 39.1 % (2023) to 53.0 % (2030), at the 2023 life-cycle intensity of the fossil share: "
                   "0.413 x 47.0/60.9 = 0.32 t/MWh (same life-cycle basis as the 2023 row); for comparison the 2030 NDC power-sector target gives 149.9 Mt / 612.4 TWh = 0.245 t/MWh of direct emissions (kr_ndc2030_power)"),
    ("KR", 2038): ("kr_11bp2025", f"rule from the {KR_11BP}: 0.413 x 29.3/60.9 = 0.20 t/MWh in 2038, the fossil share's life-cycle intensity held at its 2023 level (same rule as 2030)"),
    ("KR", 2050): ("kr_cn2050", "2050 Carbon Neutrality Scenario, plan B (LNG kept at 5 %): power-sector emissions 20.7 Mt CO2e over 1,208 TWh (736 TWh renewables = 60.9 %) = 0.017 t/MWh "
                   "(direct emissions; plan A, thermal power halted, gives 0) [S]"),
    ("CA", 2035): ("cer2023", "Clean Electricity Regulations: default emission-intensity limit 30 t CO2/GWh for fossil generating units from 1 January 2035, taken as the "
                   "grid average (an upper bound: most Canadian generation is non-emitting; 2024 life-cycle 137 g/kWh, lowcarbonpower) [U]"),
    ("ROW", 2050): ("enerdata2024", "world CO2 intensity of electricity generation 90 % below 2023 by 2050 in Enerdata's EnerBlue scenario (NDCs and national pledges): "
                    "0.481 x 0.10 = 0.048 t/MWh [S][U]; a pledges scenario, lower than a stated-policies path"),
}
GRID_A = {"CN": (0.58, 0.10), "AU": (0.55, 0.05), "CL": (0.30, 0.05), "AR": (0.35, 0.15), "ID": (0.76, 0.35), "CD": (0.03, 0.03),
          "PH": (0.60, 0.30), "ZA": (0.90, 0.40), "US": (0.37, 0.10), "JP": (0.45, 0.10), "EU": (0.24, 0.03), "MZ": (0.10, 0.10)}
for reg, (path, src, note) in GRID.items():
    for y, v in path.items():
        row_src, row_note = GRID_ROW_SOURCE.get((reg, y), (src if y == min(path) else A, note))
        add("grid_intensity", region=reg, year=y, value=v, unit="tCO2e/MWh", source=row_src, note=row_note)
GRID_OWID = {"CN": 0.582, "AU": 0.549, "CL": 0.291, "AR": 0.354}  # owid_ember2024, 2023 column
GRID_LCP = {"ZA": 0.682, "JP": 0.458, "US": 0.354, "PH": 0.595, "EU": 0.211}  # lowcarbonpower country pages, 2023
GRID_A_NOTE = {"ID": "approximate 2023 grid average, assumed; sourced range: 2021 life-cycle intensity 622 g CO2e/kWh (lowcarbonpower)"}
GRID_LCP_NOTE = {"CD": "2022 life-cycle intensity 69.6 g CO2e/kWh (lowcarbonpower.org country page, latest year shown), used for 2023; hydropower nearly all generation"}
GRID_LCP["CD"] = 0.0696
for reg, (a, b) in GRID_A.items():
    if reg in GRID_OWID:
        add("grid_intensity", region=reg, year=2023, value=GRID_OWID[reg], unit="tCO2e/MWh", source="owid_ember2024",
            note=f"2023 life-cycle intensity {GRID_OWID[reg] * 1000:.0f} g CO2e/kWh (Ember and Energy Institute via OWID)")
    elif reg in GRID_LCP:
        add("grid_intensity", region=reg, year=2023, value=GRID_LCP[reg], unit="tCO2e/MWh", source="lowcarbonpower",
            note=GRID_LCP_NOTE.get(reg, f"2023 life-cycle intensity {GRID_LCP[reg] * 1000:.0f} g CO2e/kWh (lowcarbonpower.org country page)"))
    else:
        add("grid_intensity", region=reg, year=2023, value=a, unit="tCO2e/MWh", source=A,
            note=GRID_A_NOTE.get(reg, "approximate 2023 grid average (public grid statistics); no source row"))
    add("grid_intensity", region=reg, year=2050, value=b, unit="tCO2e/MWh", source=A,
        note="decarbonisation path assumed; sourced range: the world intensity falls 90 % from 2023 to 2050 in Enerdata's EnerBlue (pledges) scenario, "
             "many countries below 50 g/kWh (enerdata2024)")
add("transport_emission", mode="sea", value=4.15e-6, unit="tCO2e/t/km", source="uk_ghg_factors", note="bulk carrier 60-100k dwt 4.15 g CO2e/t-km [U]; applies per t of commodity (see README: gross mass)")
add("transport_emission", mode="rail", value=3.0e-5, unit="tCO2e/t/km", source="defra_freight2007", note="rail freight 0.03 kg CO2/t-km (Defra guidelines as quoted in Hansard 2007)")
add("transport_emission", mode="road", value=1.03e-4, unit="tCO2e/t/km", source="defra_freight2012", note="articulated HGV >33 t at UK average load 0.1027 kg CO2e/t-km (Defra/DECC 2012 Table 7e)")

# ---------------------------------------------------------------------------
# Trade
# ---------------------------------------------------------------------------
DIST = {"CA-KR": 8698, "CA-CN": 9566, "CA-JP": 8003, "CA-EU": 5673, "KR-CA": 8698, "KR-CN": 869, "KR-JP": 1218, "KR-EU": 20179, "KR-US": 9806, "CN-KR": 869, "CN-CA": 9566, "CN-JP": 1910, "CN-EU": 19580, "CN-US": 10675, "JP-KR": 1218, "JP-CA": 8003, "JP-CN": 1910, "JP-EU": 20927, "JP-US": 9112, "AU-KR": 6648, "AU-CA": 14367, "AU-CN": 6049, "AU-JP": 6942, "AU-EU": 18075, "AU-US": 15114, "CL-KR": 18044, "CL-CA": 10688, "CL-CN": 18912, "CL-JP": 17349, "CL-EU": 13161, "CL-US": 8395, "AR-KR": 18044, "AR-CA": 10688, "AR-CN": 18912, "AR-JP": 17349, "AR-EU": 13161, "AR-US": 8395, "ID-KR": 4760, "ID-CA": 12611, "ID-CN": 4308, "ID-JP": 4993, "ID-EU": 18376, "ID-US": 13380, "CD-KR": 12608, "CD-CA": 21230, "CD-CN": 12009, "CD-JP": 13356, "CD-EU": 12120, "CD-US": 22035, "PH-KR": 3112, "PH-CA": 11074, "PH-CN": 2660, "PH-JP": 3345, "PH-EU": 18087, "PH-US": 11843, "ZA-KR": 13619, "ZA-CA": 21311, "ZA-CN": 13020, "ZA-JP": 14316, "ZA-EU": 12992, "ZA-US": 19018, "US-KR": 9806, "US-CN": 10675, "US-JP": 9112, "US-EU": 14463, "EU-KR": 20179, "EU-CA": 5673, "EU-CN": 19580, "EU-JP": 20927, "EU-US": 14463, "MZ-KR": 12608, "MZ-CA": 21231, "MZ-CN": 12010, "MZ-JP": 13357, "MZ-EU": 12725, "MZ-US": 20993,
        # into the Philippines: NdPr and Dy/Tb oxide for its magnet plants (reverse of the PH-CN and PH-JP paths)
        "CN-PH": 2660, "JP-PH": 3345}
PORT = dict(CA="Vancouver (Becancour for Europe)", KR="Busan", CN="Shanghai", JP="Yokohama", AU="Port Hedland", CL="Mejillones", AR="Antofagasta (Puna lithium trucked to Chilean ports, assumed)",
            ID="Morowali (IMIP)", CD="Dar es Salaam", PH="Surigao", ZA="Durban", US="Los Angeles", EU="Rotterdam", MZ="Nacala")
for key, km in DIST.items():
    o, d = key.split("-")
    add("trade_routes", origin=o, destination=d, distance_km=km, mode="sea", source="searoute",
        note=f"{PORT[o]} to {PORT[d]}; " + ("Asia-Canada via Vancouver, rail leg to Ontario/Quebec not counted" if "CA" in (o, d) and key not in ("CA-EU", "EU-CA") else "shortest sea path"))
add("trade_routes", origin="CA", destination="US", distance_km=1000, mode="rail", source=A, note="cross-border rail, about 1,000 km assumed")
add("trade_routes", origin="US", destination="CA", distance_km=1000, mode="rail", source=A, note="cross-border rail, about 1,000 km assumed")
for d in ("KR", "CA", "CN", "JP", "EU", "US"):
    add("trade_routes", origin="ROW", destination=d, distance_km=12000, mode="sea", source=A, note="representative distance for the rest of the world, assumed")

BULK_RATE = 30.0       # US$/t gross, dry bulk incl. handling (bigmint2024: 10-27 US$/t)
CONT_RATE = 3966 / 25  # US$/t gross: Drewry WCI composite US$3,966/FEU, 25 t payload
for row in T["commodities"]:
    c = row["commodity"]
    if row["tradable"] != "true":
        continue
    g = row["gross_factor"]
    if row["stage"] == "mining":
        v, note, src = BULK_RATE * g, f"dry bulk about US$30/t gross (Capesize/Supramax US$10-27/t + handling, assumed) x gross factor {g}", "bigmint2024"
    elif row["unit"] == "GWh":
        v, note, src = CONT_RATE * g * 1.5, f"container US$159/t gross x {g} t/GWh x 1.5 (Class 9 dangerous goods, assumed)", "drewry_wci2024"
    else:
        v, note, src = CONT_RATE * g, f"container US$3,966/FEU / 25 t = US$159/t gross x gross factor {g}", "drewry_wci2024"
    add("trade_cost", commodity=c, origin="*", destination="*", value=r(v, 4), unit="USD/GWh" if row["unit"] == "GWh" else "USD/t", source=src, note=note)
# block re-export: KR demand for cells and CAM is Korean production for export, so no import
# into KR may serve it (closed routes below, in every scenario's trade_limit table)
KR_EXPORT_PRODUCTS = {"cell.NMC811": "GWh", "cell.NMC622": "GWh", "cell.LFP": "GWh",
                      "CAM.NMC811": "t", "CAM.NMC622": "t"}

add("tariff", commodity="*", origin="*", destination="*", year=2025, value=0.0, unit="dimensionless", source=A,
    note="default: battery minerals and intermediates enter duty-free or at negligible rates (not sourced per line); scenarios may override")
add("tariff", commodity="*", origin="CA", destination="KR", year=2015, value=0.0, unit="dimensionless", source="ckfta", note="CKFTA in force 1 Jan 2015")
add("tariff", commodity="*", origin="KR", destination="CA", year=2015, value=0.0, unit="dimensionless", source="ckfta", note="CKFTA in force 1 Jan 2015")

PRICES = [
    ("Li.carbonate", 14000 * 5.323, "USD/t", "statista_prices2023", "battery-grade Li2CO3 about US$14,000/t LCE (2024 estimate) x 5.323"),
    ("Li.hydroxide", 9900 / LI_IN_LIOH_H2O, "USD/t", A, "LiOH.H2O about US$9,900/t (Nov 2024) [U] / 0.1654"),
    ("Li.spodumene", 900 / LI_IN_SC6, "USD/t", A, "SC6 about US$900/t (2024, assumed; US$5,650/dmt in Apr 2022, spglobal) / 2.79 %"),
    ("Li.secondary", 14000 * 5.323, "USD/t", "statista_prices2023", "priced as Li2CO3 (the Li.carbonate row): recycled lithium salt sold as carbonate"),
    ("Ni.intermediate", 21521, "USD/t", "statista_prices2023", "nickel 2023 average"),
    ("Ni.sulfate", 6390 / NI_IN_NISO4_6H2O, "USD/t", "everbatt2023", "NiSO4 US$6.39/kg / 0.2233"),
    ("Ni.secondary", 6390 / NI_IN_NISO4_6H2O, "USD/t", "everbatt2023", "priced as NiSO4"),
    ("Co.sulfate", 37900, "USD/t", "statista_prices2023", "cobalt US spot 2023 (US$17.2/lb)"),
    ("Co.secondary", 37900, "USD/t", "statista_prices2023", "priced as cobalt"),
    ("Co.intermediate", 0.70 * 37900, "USD/t", "fastmarkets_coh2020", "cobalt hydroxide payable 70 % of the metal price, the middle of the 59-81 % range of Aug 2019 - Nov 2020 (was 60 % assumed) "
     "x cobalt 2023 average US$37,900/t (statista_prices2023)"),
    ("Mn.sulfate", 1145 / MN_IN_MNSO4_H2O, "USD/t", "everbatt2023", "MnSO4 US$1.145/kg / 0.3251"),
    ("Cu.refined", 8478, "USD/t", "statista_prices2023", "copper 2023 average"),
    ("Cu.secondary", 8478, "USD/t", "statista_prices2023", "priced as copper"),
    ("NdPr.oxide", 56000 / 0.8574, "USD/t", "usgs_mcs2025_ree", "Nd oxide US$56/kg (2024e) / 0.8574"),
    ("HREE.oxide", 260000 / DY_IN_DY2O3, "USD/t", "usgs_mcs2025_ree", "Dy oxide US$260/kg (2024) / 0.871"),
    ("CAM.NMC811", 26000, "USD/t", "everbatt2023", "NMC811 US$26/kg"),
    ("CAM.NMC622", 25000, "USD/t", "everbatt2023", "NMC622 US$25/kg"),
    ("CAM.LFP", 10000, "USD/t", "everbatt2023", "LFP US$10/kg"),
    ("C.spherical", 2800, "USD/t", A, "spherical graphite about US$2,800/t [U]"),
    ("cell.NMC811", 89e6, "USD/GWh", "bnef_battery2023", "BEV cell price US$89/kWh (2023 survey; was US$100/kWh assumed)"),
    ("cell.NMC622", 89e6, "USD/GWh", "bnef_battery2023", "BEV cell price US$89/kWh (2023 survey; was US$100/kWh assumed)"),
    ("cell.LFP", 95e6, "USD/GWh", "bnef_battery2023", "LFP cell price US$95/kWh (2023 survey, as in variable_cost.csv; was US$70/kWh assumed)"),
]
for c, v, u, src, note in PRICES:
    add("reference_price", commodity=c, value=r(v, 4), unit=u, source=src, note=note)

# ---------------------------------------------------------------------------
# Lifetimes, historical inflows, collection
# ---------------------------------------------------------------------------
def life(c, dist, mean=None, std=None, shape=None, src=A, note=""):
    add("lifetimes", commodity=c, region="*", distribution=dist, mean=mean, std=std, shape=shape, source=src, note=note)


for ch in CHEMS:
    life(f"ev_battery.{ch}", "normal", 15, 4, None, "busch2025", "EV battery mean 15 y, sd 4 (logistic in the source, normal here)")
life("ess_battery.LFP", "normal", 20, 5, None, "busch2025", "stationary storage mean 20 y (Busch et al. 2025); sd 5 assumed")
wk, wl = 4.54, 4.38
wm = wl * math.gamma(1 + 1 / wk)
ws = wl * math.sqrt(math.gamma(1 + 2 / wk) - math.gamma(1 + 1 / wk) ** 2)
life("portable_battery", "weibull", round(wm, 3), round(ws, 3), wk, "busch2025", f"laptop battery Weibull shape 4.54, scale 4.38 y (US EPA basis); mean and std computed from them")
life("magnet.ev", "normal", 17, 4, None, "busch2025", "EV car lifetime mean 17 y, sd 4 (magnet leaves with the vehicle)")
wk, wl = 3.5, 25.0
life("magnet.wind", "weibull", round(wl * math.gamma(1 + 1 / wk), 3), round(wl * math.sqrt(math.gamma(1 + 2 / wk) - math.gamma(1 + 1 / wk) ** 2), 3), wk, "unu_weibull",
     "PV-panel Weibull (shape 3.5, scale 25 y) as analogue for wind turbines (20 y design life, fraunhofer_wind)")

SCRAP_NOTE = ("[S][U] cell manufacturing scrap fully collectable: Tesla reports 100 % of its scrapped Li-ion batteries recycled, none landfilled, most of them"
              " pre-consumer (R&D and quality-control scrap) (tesla_impact2020); one cell maker's report applied to all cell plants")
HIST_BEV = {"CA": {2015: 0.231, 2016: 0.29, 2017: 0.554, 2018: 1.227, 2019: 2.151, 2020: 2.442, 2021: 4.252, 2022: 7.251, 2023: 10.638, 2024: 15.093},
            "KR": {2015: 0.074, 2016: 0.156, 2017: 0.401, 2018: 1.541, 2019: 1.754, 2020: 2.736, 2021: 6.615, 2022: 11.325, 2023: 11.395, 2024: 9.512}}
HIST_BEV_UNITS = {"CA": {2015: 4553, 2016: 5182, 2017: 9666, 2018: 21307, 2019: 32402, 2020: 34806, 2021: 58726, 2022: 98574, 2023: 143201, 2024: 188468},
                  "KR": {2015: 2995, 2016: 5771, 2017: 13839, 2018: 32084, 2019: 32659, 2020: 45501, 2021: 96395, 2022: 159243, 2023: 157873, 2024: 139323}}
HIST_PHEV = {"CA": {2015: 2412, 2016: 5660, 2017: 9420, 2018: 21459, 2019: 18561, 2020: 12076, 2021: 27306, 2022: 28845},
             "KR": {2015: 273, 2016: 291, 2017: 630, 2018: 1643, 2019: 2253, 2020: 6559, 2021: 19029, 2022: 12731}}
PHEV_KWH = {"CA": 15.4, "KR": 16.7}
# IEA Global EV Data Explorer (iea_gevo2023_data): car sales before 2015 (BEV, PHEV); Korea lists no PHEV before 2015; Canada has no 2010 sales row:
# its 2010 value is the 2011 stock less the 2011 sales (BEV 250 - 220, PHEV 300 - 300), the cars on the road at the end of 2010
IEA_EARLY_EV = {"CA": {2010: (250 - 220, 300 - 300), 2011: (220, 300), 2012: (620, 1300), 2013: (1600, 1500), 2014: (2800, 2300)},
                "KR": {2010: (61, 0), 2011: (270, 0), 2012: (510, 0), 2013: (600, 0), 2014: (1300, 0)}}
# IRENA year-end wind capacity, GW (irena_capacity2024); additions are the year-on-year differences
WIND_CAP = {"CA": {2009: 3.282, 2010: 3.967, 2011: 5.265, 2012: 6.201, 2013: 7.801, 2014: 9.694, 2015: 11.214, 2016: 11.973, 2017: 12.250,
                   2018: 12.816, 2019: 13.220, 2020: 13.735, 2021: 14.259, 2022: 15.265, 2023: 16.989},
            "KR": {2009: 0.351, 2010: 0.382, 2011: 0.425, 2012: 0.464, 2013: 0.576, 2014: 0.612, 2015: 0.847, 2016: 1.067, 2017: 1.215,
                   2018: 1.420, 2019: 1.494, 2020: 1.645, 2021: 1.724, 2022: 1.908, 2023: 2.167}}


def hist_split(y):
    if y <= 2020:
        return (0.30, 0.70, 0.0)
    f = (y - 2020) / 4
    return (0.30 + 0.20 * f, 0.70 - 0.30 * f, 0.10 * f)


for reg in ("CA", "KR"):
    for y in range(2010, 2025):
        if y in HIST_BEV[reg]:
            bev = HIST_BEV[reg][y]
            ph = HIST_PHEV[reg].get(y, HIST_PHEV[reg][2022]) * PHEV_KWH[reg] / 1e6
            units = HIST_BEV_UNITS[reg][y] + HIST_PHEV[reg].get(y, HIST_PHEV[reg][2022])
            src = "busch_etm"
            note = f"BEV {bev} GWh + PHEV {ph:.3f} GWh ({'units x ' + str(PHEV_KWH[reg]) + ' kWh' if y <= 2022 else '2022 PHEV units held (GAP)'})"
        else:
            n_bev, n_ph = IEA_EARLY_EV[reg][y]
            kwh_bev = HIST_BEV[reg][2015] * 1e6 / HIST_BEV_UNITS[reg][2015]
            bev = n_bev * kwh_bev / 1e6
            ph = n_ph * PHEV_KWH[reg] / 1e6
            units = n_bev + n_ph
            src = "iea_gevo2023_data"
            note = (f"IEA car sales: {n_bev:,} BEV x {kwh_bev:.1f} kWh (2015 mean pack, busch_etm, held) [U] + {n_ph:,} PHEV x {PHEV_KWH[reg]} kWh"
                    f" = {bev + ph:.4f} GWh")
            if reg == "CA" and y == 2010:
                note = ("IEA lists no 2010 sales for Canada: 2011 stock less 2011 sales (BEV 250 - 220, PHEV 300 - 300) = cars on the road at end-2010, taken as"
                        " 2010 sales [U]; " + note.replace("IEA car sales: ", ""))
        tot = bev + ph
        for ch, sh in zip(CHEMS, hist_split(y)):
            if sh > 0:
                add("historical_inflow", region=reg, commodity=f"ev_battery.{ch}", year=y, value=r(tot * sh, 4), unit="GWh", source=src,
                    note=note + f"; chemistry share {sh:.2f} assumed (NMC622 stands for NMC111/532/LMO blends before 2020)")
        add("historical_inflow", region=reg, commodity="magnet.ev", year=y, value=r(units * 1e-3, 4), unit="t", source=src,
            note=f"{units:,.0f} EVs x 1 kg NdFeB [U] (heim2023)")
        add("historical_inflow", region=reg, commodity="portable_battery", year=y, value=r(PORTABLE[reg] * 1.02 ** (y - 2025), 4), unit="GWh", source=A,
            note=f"portable Li-ion placed on market, assumed: the 2025 demand ({PORTABLE[reg]} GWh{', busch2025_na' if reg == 'CA' else ', assumed'}) less 2 %/yr")
        if y in WIND_CAP[reg] and y - 1 in WIND_CAP[reg]:
            gw = WIND_CAP[reg][y] - WIND_CAP[reg][y - 1]
            add("historical_inflow", region=reg, commodity="magnet.wind", year=y, value=r(gw * 1000 * WIND_T_PER_MW, 4), unit="t", source="irena_capacity2024",
                note=f"IRENA wind capacity {WIND_CAP[reg][y - 1]} -> {WIND_CAP[reg][y]} GW: additions {gw:.3f} GW x 0.5 t NdFeB/MW (heim2023's average over all turbines)")
        elif reg == "CA" and y == 2024:
            cap24 = WIND_CAP["CA"][2019] * 1.35
            gw = cap24 - WIND_CAP["CA"][2023]
            add("historical_inflow", region=reg, commodity="magnet.wind", year=y, value=r(gw * 1000 * WIND_T_PER_MW, 4), unit="t", source="canrea2025",
                note=f"wind capacity +35 % in 2019-2024 (canrea2025) on IRENA's 2019 {WIND_CAP['CA'][2019]} GW = {cap24:.3f} GW at end-2024, less IRENA's 2023 {WIND_CAP['CA'][2023]} GW:"
                     f" additions {gw:.3f} GW [U] (CanREA's 4.7 GW of new wind in 2020-2024 less IRENA's 2020-2023 additions gives 0.93 GW) x 0.5 t NdFeB/MW (heim2023)")
        else:
            recent = [WIND_CAP[reg][k] - WIND_CAP[reg][k - 1] for k in range(y - 5, y)]
            gw = sum(recent) / len(recent)
            add("historical_inflow", region=reg, commodity="magnet.wind", year=y, value=r(gw * 1000 * WIND_T_PER_MW, 4), unit="t", source=A,
                note=f"{y} not in the IRENA series: additions assumed at the {y - 5}-{y - 1} mean ({gw:.3f} GW, irena_capacity2024) x 0.5 t NdFeB/MW (heim2023)")

for reg in ("CA", "KR"):
    for ch in CHEMS:
        for y, v in ((2025, 0.9), (2050, 0.95)):
            add("collection_rate", region=reg, commodity=f"battery.{ch}.eol", year=y, value=v, unit="dimensionless", source=A,
                note="EV and ESS packs are large, tracked assets: 90 % collectable assumed (the EU sets no EV collection target; all EV batteries must be taken back)")
        add("collection_rate", region=reg, commodity=f"scrap.{ch}", year=2025, value=1.0, unit="dimensionless", source="tesla_impact2020", note=SCRAP_NOTE)
    for y, v, src in ((2025, 0.45, A), (2030, 0.73, "eu_2023_1542"), (2050, 0.8, A)):
        add("collection_rate", region=reg, commodity="battery.portable.eol", year=y, value=v, unit="dimensionless", source=src,
            note="portable batteries: EU targets 63 % (2027) and 73 % (2030) used as the benchmark; 2025 and 2050 assumed")
    for y, v in ((2025, 0.2), (2040, 0.6), (2050, 0.7)):
        add("collection_rate", region=reg, commodity="NdFeB.eol", year=y, value=v, unit="dimensionless", source=A,
            note="<5 % of REE magnets recycled at end of life today (2022 trade press); collectable share rises with dismantling of motors and generators, assumed")
    add("collection_rate", region=reg, commodity="NdFeB.scrap", year=2025, value=1.0, unit="dimensionless", source=A, note="manufacturing scrap fully collectable")

# ---------------------------------------------------------------------------
# Policy tables (data/policy/, not yet wired)
# ---------------------------------------------------------------------------
POL = defaultdict(list)
# schema tables (mfa/inputs/tables.py), used by scenario overrides in models/canada_korea.yaml
for el in ("Li", "Ni", "Co", "Mn", "C", "NdPr", "DyTb"):
    POL["supplier_cap_kr"].append(dict(region="KR", item=el, year=2030, value=0.5, unit="dimensionless", source="motie2023",
                                       note="no more than 50 % of a strategic mineral from one country by 2030 (from about 80 %)"))
for c in ("Li.hydroxide", "Li.carbonate", "Ni.sulfate", "Co.sulfate", "Mn.sulfate", "C.spherical", "NdPr.oxide", "HREE.oxide"):
    POL["stockpile_days_kr"].append(dict(region="KR", commodity=c, year=2030, value=100, unit="dimensionless", source="motie2023",
                                         note="public stockpile 54 -> 100 days of demand (value in days); target year not stated, 2030 assumed"))
for proc_, els in (("pcam_NMC811", ("Ni", "Co")), ("pcam_NMC622", ("Ni", "Co")), ("cam_NMC811", ("Li",)), ("cam_NMC622", ("Li",)), ("cam_LFP", ("Li",))):
    for el in els:
        a_, b_ = dict(Co=(0.16, 0.26), Li=(0.06, 0.12), Ni=(0.06, 0.15))[el]
        for reg in ("CA", "KR"):
            POL["recycled_content_eu_levels"] += [
                dict(process=proc_, region=reg, element=el, year=2031, value=a_, unit="dimensionless", source="eu_2023_1542",
                     note="EU minimum recycled content from Aug 2031, applied to CA/KR battery-material making as a scenario"),
                dict(process=proc_, region=reg, element=el, year=2036, value=b_, unit="dimensionless", source="eu_2023_1542",
                     note="EU minimum recycled content from Aug 2036 (Art. 8(2))")]
# tidy policy data without a schema yet
POL["recycling_rate_target"] += [dict(region="KR", element="*", year=2023, value=0.02, unit="dimensionless", source="motie2023", note="recycling rate of strategic minerals"),
                                 dict(region="KR", element="*", year=2030, value=0.20, unit="dimensionless", source="motie2023", note="target 20 % by 2030")]
for el, a, b in (("Li", 0.5, 0.8), ("Co", 0.9, 0.95), ("Ni", 0.9, 0.95), ("Cu", 0.9, 0.95)):
    POL["material_recovery_target"] += [dict(region="EU", element=el, year=2027, value=a, unit="dimensionless", source="eu_2023_1542", note="material recovery from waste batteries, end 2027"),
                                        dict(region="EU", element=el, year=2031, value=b, unit="dimensionless", source="eu_2023_1542", note="end 2031")]
for y, v, note in ((2022, 0.089, "observed ZEV share"), (2026, 0.2, "target"), (2030, 0.6, "target"), (2035, 1.0, "target; policy changes after 2024 not checked")):
    POL["zev_sales_share"].append(dict(region="CA", year=y, value=v, unit="dimensionless", source="ca_evas2023", note=note))

# ---------------------------------------------------------------------------
# Scenario data (models/canada_korea.yaml): default eol route closure, and the
# policy tables of the partnership, supply_shock, net_zero and circular scenarios
# ---------------------------------------------------------------------------
EOL_TRADED = [row["commodity"] for row in T["commodities"] if row["stage"] == "eol"]
EOL_UNIT = {row["commodity"]: row["unit"] for row in T["commodities"]}
BIG = 1e6  # "no practical limit" on an opened route (t or GWh a year)
for c in EOL_TRADED:
    # default (every scenario): end-of-life batteries, cell scrap and magnet scrap may not cross borders
    add("trade_limit", commodity=c, origin="*", destination="*", year=2025, value=0.0, unit=EOL_UNIT[c],
        source="basel1989", note="transboundary movement of waste batteries/scrap (and of black mass made from them) needs prior informed consent (Basel); modelled as closed unless a scenario opens a route")
    # partnership: recycling cooperation opens CA<->KR (a row with no '*' wins over the wildcard row)
    POL["trade_limit_partnership"].append(dict(commodity=c, origin="*", destination="*", year=2025, value=0.0, unit=EOL_UNIT[c],
                                               source="basel1989", note="default closure of end-of-life routes kept for every other route"))
    for o, d in (("CA", "KR"), ("KR", "CA")):
        POL["trade_limit_partnership"].append(dict(commodity=c, origin=o, destination=d, year=2025, value=BIG, unit=EOL_UNIT[c],
                                                   source="mou_cakr2023", note="recycling cooperation (MOU 2023 scope): end-of-life batteries, cell and magnet scrap, black mass and Cu scrap tradable between CA and KR without a practical limit (1e6 a year); the pre-agreed consent is an assumption"))

for c, unit in KR_EXPORT_PRODUCTS.items():
    for table in (T["trade_limit"], POL["trade_limit_partnership"]):
        table.append(dict(commodity=c, origin="*", destination="KR", year=2025, value=0.0, unit=unit, source=A,
                          note="modelling device: KR demand for cells and CAM stands for Korean-made exports, so imports into KR must not serve it (route closed)"))

# responsible_sourcing: shared CA-KR standard on the supply-weighted governance risk (origin_risk.csv)
SOURCING_LIMIT = 0.40
for reg in ("KR", "CA"):
    for el in ("Co", "C", "NdPr"):
        POL["sourcing_limit_governance"].append(dict(region=reg, item=el, indicator="governance", year=2030, value=SOURCING_LIMIT, unit="dimensionless", source=A,
            note="scenario: CA-KR shared ethical-sourcing standard (MOU 2023 scope, mou_cakr2023, sets no figure): supply-weighted WGI governance risk of the element at most 0.40 from 2030, "
                 "i.e. supply governed on average at least like a WGI mean estimate of +0.5 (Chile 0.35, China 0.56, DRC 0.82 in origin_risk.csv); threshold and year assumed. "
                 "Dy/Tb is left out: only CN (0.56) and ROW (0.63) supply it, so a limit would leave magnet demand unmet"))

# ira_compliance: the US IRA clean-vehicle credit's critical-mineral rules on Korean output sold to the US
# (origin_share.csv / origin_groups.csv of mfa.model.origin). The model has no US demand: the share of
# Korea's supply bound for the US is the US share of Korea's cathode exports in 2023 (KITA): US$1.83 bn in
# Jan-Jul (yonhap_cam2023) of US$7.49 bn in Jan-Jun (kita_cam2023), i.e. (1.83 / 7) / (7.49 / 6) = 0.21 a month.
US_SHARE = round((1.83 / 7) / (7.49 / 6), 2)
US_SHARE_NOTE = (f"share of Korea's supply bound for the US = {US_SHARE:.2f}: the US share of Korea's cathode exports in 2023 "
                 "(US$1.83 bn Jan-Jul, yonhap_cam2023, of US$7.49 bn Jan-Jun, kita_cam2023, per month), assumed for all Korean "
                 "cell and CAM output and every year (assumption)")
APPLICABLE = {2025: 0.60, 2026: 0.70, 2027: 0.80}  # irc_30d (e)(1)(B): 60 % 2025, 70 % 2026, 80 % after 2026
FTA = {"US": "the United States itself", "CA": "USMCA", "KR": "KORUS", "AU": "AUSFTA", "CL": "US-Chile FTA",
       "JP": "US-Japan Critical Minerals Agreement (2023), treated as an FTA for 30D"}
for reg, why in FTA.items():
    POL["origin_groups_ira"].append(dict(group="fta", region=reg, value=1, unit="dimensionless", source="irs_notice_2023_29",
                                         note=f"US free-trade partner for 30D: {why}; the other FTA partners (e.g. Mexico, Peru, Morocco) sit in ROW, which is not counted as one"))
POL["origin_groups_ira"].append(dict(group="feoc", region="CN", value=1, unit="dimensionless", source="crs_in12322",
                                     note="foreign entity of concern: entities of a covered nation (China, Russia, North Korea, Iran); only China is a region of its own (Russia sits in ROW, not counted); Chinese-owned plants outside China are not modelled apart (the model has no ownership)"))
for el in ("Li", "Ni", "Co", "C"):
    for y, pct in APPLICABLE.items():
        POL["origin_share_ira"].append(dict(region="KR", item=el, basis="processing", group="fta", bound="min", year=y,
            value=round(pct * US_SHARE, 4), unit="dimensionless", source="irc_30d",
            note=f"applicable percentage {pct:.0%} (30D(e)(1)(B)) of the US-bound share: at least {pct:.0%} x {US_SHARE:.2f} of Korea's supply of the element processed (last substantial transformation) in the US or an FTA partner; "
                 "counted on Korea's supply (imports and own mining or recycling), i.e. the reading in which converting imported salts into CAM in Korea does not by itself qualify the minerals; " + US_SHARE_NOTE))
    for basis, step in (("mine", "extracted"), ("processing", "processed")):
        POL["origin_share_ira"].append(dict(region="KR", item=el, basis=basis, group="feoc", bound="max", year=2025,
            value=round(1 - US_SHARE, 4), unit="dimensionless", source="irc_30d",
            note=f"30D(d)(7): no critical minerals {step} by a foreign entity of concern after 2024 (crs_in12322): at most 1 - {US_SHARE:.2f} of Korea's supply {step} in China, so that the US-bound share can be FEOC-free; " + US_SHARE_NOTE))

# partnership: offtake shares of Korea's supply from Canada (assumption: no public volumes)
OFFTAKE = {2028: 0.10, 2030: 0.20, 2035: 0.30}
for el in ("Li", "Ni", "Co", "C"):
    for y, v in OFFTAKE.items():
        POL["offtake_share_kr_ca"].append(dict(region="KR", item=el, origin="CA", year=y, value=v, unit="dimensionless", source=A,
                                               note="scenario: Korean offtake agreements with Canadian producers (MOU 2023, mou_cakr2023, names no volumes); path 10 % (2028), 20 % (2030), 30 % (2035 on) of Korea's supply of the element assumed"))
# partnership: joint-venture capacity in Canada dedicated to Korea (assumptions modelled on announced Becancour plants)
POL["dedicated_capacity_jv"] += [
    dict(process="li_hydroxide_spodumene", region="CA", destination="KR", year=2028, value=6000.0, unit="t",
         source=A, note="assumed Korean-Canadian LiOH JV in Becancour: 6,000 t Li = 36 kt LiOH.H2O a year, about the size of Nemaska's 33 kt LCE plant (nemaska); whole output shipped to KR"),
    dict(process="pcam_NMC811", region="CA", destination="KR", year=2029, value=30000.0, unit="t",
         source=A, note="assumed pCAM JV in Becancour dedicated to Korean CAM makers, 30 kt pCAM a year, about the scale of the announced Becancour CAM plants (ultium_cam 30 kt, ecopro_ford 45 kt)"),
]
# partnership: technology transfer to Canadian refining and material processes (assumptions)
SAVING_INPUT = {"li_hydroxide_spodumene": 0.04, "graphite_spheronisation": 0.10, "ni_sulfide_refining": 0.02, "co_sulfate_refining": 0.02}
for p_, v in SAVING_INPUT.items():
    for y, x in ((2027, 0.0), (2035, v)):
        POL["input_saving_ca"].append(dict(process=p_, region="CA", year=y, value=x, unit="dimensionless", source=A,
                                           note=f"technology transfer from Korean refiners: {v:.0%} less input per unit by 2035 (yield gain within the process's loss), linear from 2027, assumed"))
for p_ in ("li_hydroxide_spodumene", "graphite_spheronisation", "ni_sulfide_refining", "ni_sulfate_refining", "co_sulfate_refining", "pcam_NMC811", "cam_NMC811"):
    for y, x in ((2027, 0.0), (2035, 0.10), (2050, 0.20)):
        POL["energy_saving_ca"].append(dict(process=p_, region="CA", year=y, value=x, unit="dimensionless", source=A,
                                            note="technology transfer: 10 % less electricity and energy by 2035, 20 % by 2050, linear from 2027, assumed"))

# supply_shock: Chinese export controls on graphite (Dec 2023) and rare earths (Apr 2025), as a 2028-2029 cut
SHOCK = {"C.spherical": (0.5, "mofcom_2023_39"), "C.synthetic": (0.5, "mofcom_2023_39"), "C.flake": (0.5, "mofcom_2023_39"),
         "HREE.oxide": (0.9, "mofcom_2025_18"), "NdPr.oxide": (0.5, "mofcom_2025_18")}
for c, (f, src) in SHOCK.items():
    for y in (2028, 2029):
        POL["supply_shock_cn"].append(dict(origin="CN", commodity=c, year=y, value=f, unit="dimensionless", source=src,
                                           note=f"scenario: licences under the controls withheld for {f:.0%} of CN exports of {c} in {y} (relative to 2027); size of the cut assumed, the controls are sourced"))
# Korea's public stockpile today: 54 days (motie2023) held from the start, 100 days from 2030
KR_STOCK = ("Li.hydroxide", "Li.carbonate", "Ni.sulfate", "Co.sulfate", "Mn.sulfate", "C.spherical", "NdPr.oxide", "HREE.oxide")
for c in KR_STOCK:
    POL["stockpile_days_kr_current"] += [
        dict(region="KR", commodity=c, year=2025, value=54, unit="dimensionless", source="motie2023", note="public stockpile today about 54 days of demand (value in days)"),
        dict(region="KR", commodity=c, year=2030, value=100, unit="dimensionless", source="motie2023", note="100-day target; target year not stated, 2030 assumed")]
PRICE = {c: v for c, v, *_ in PRICES}
for c in KR_STOCK:
    pr = PRICE[c]
    add("holding_cost", commodity=c, region="*", value=r(0.01 * pr, 4), unit="USD/t", source=A,
        note=f"storage and insurance 1 % of the reference price ({pr:,.0f} USD/t) a year, assumed; the capital cost is already in the discounting")

# net_zero: caps on CA's and KR's chain emissions from 2030, relative to the reference run
# REF_EMIS: emissions (tCO2e: direct + electricity + transport into the region) of the reference
# scenario, from `mfa run models/canada_korea.yaml -s reference` (table emissions, summed by region/year).
REF_EMIS = {"CA": {2030: 1495414.0, 2050: 1037157.0}, "KR": {2030: 5043069.0, 2050: 3527262.0}}
NZ_PATH = {2030: 1.0, 2040: 0.80, 2050: 0.50}  # share of the region's 2030 reference level
for reg, lv in REF_EMIS.items():
    for y, f in NZ_PATH.items():
        POL["emission_cap_net_zero"].append(dict(region=reg, year=y, value=round(f * lv[2030], -2), unit="tCO2e", source=A,
            note=f"scenario cap = {f:.0%} x reference {reg} emissions in 2030 ({lv[2030]:,.0f} tCO2e; reference 2050: {lv[2050]:,.0f}); see README for why the path stops at {NZ_PATH[2050]:.0%}"))
CAD_USD = 0.730  # boc_fx2024
for y, cad in ((2025, 95.0), (2030, 170.0)):
    POL["carbon_price_ca"].append(dict(region="CA", year=y, value=round(cad * CAD_USD, 2), unit="USD/tCO2e", source="eccc_carbon2021",
                                       note=f"federal benchmark CAD {cad:.0f}/t x 0.730 USD/CAD (boc_fx2024); held at the 2030 level afterwards (no schedule after 2030)"))

# circular: collection toward EU Battery Regulation targets and higher magnet collection
for reg in ("CA", "KR"):
    for ch in CHEMS:
        for y, v in ((2025, 0.9), (2030, 0.95), (2040, 0.98)):
            POL["collection_rate_circular"].append(dict(region=reg, commodity=f"battery.{ch}.eol", year=y, value=v, unit="dimensionless", source=A,
                note="scenario: EV/ESS packs collected under extended producer responsibility, 95 % by 2030 and 98 % by 2040 assumed (EU 2023/1542 requires take-back of all EV batteries)"))
        POL["collection_rate_circular"].append(dict(region=reg, commodity=f"scrap.{ch}", year=2025, value=1.0, unit="dimensionless", source="tesla_impact2020", note=SCRAP_NOTE))
    for y, v, src in ((2025, 0.45, A), (2027, 0.63, "eu_2023_1542"), (2030, 0.73, "eu_2023_1542"), (2040, 0.85, A)):
        POL["collection_rate_circular"].append(dict(region=reg, commodity="battery.portable.eol", year=y, value=v, unit="dimensionless", source=src,
            note="EU portable-battery collection targets 63 % (2027) and 73 % (2030); 2025 and 2040 assumed"))
    for y, v in ((2025, 0.2), (2030, 0.5), (2040, 0.8)):
        POL["collection_rate_circular"].append(dict(region=reg, commodity="NdFeB.eol", year=y, value=v, unit="dimensionless", source=A,
            note="scenario: magnet recovery from dismantled motors and generators, 50 % by 2030 and 80 % by 2040 assumed"))
    POL["collection_rate_circular"].append(dict(region=reg, commodity="NdFeB.scrap", year=2025, value=1.0, unit="dimensionless", source=A, note="manufacturing scrap fully collectable"))
# circular: EU recycled-content levels where feasible (Ni, Co in pCAM; Li in NMC CAM only, not LFP: see README)
for proc_, els in (("pcam_NMC811", ("Ni", "Co")), ("pcam_NMC622", ("Ni", "Co")), ("cam_NMC811", ("Li",)), ("cam_NMC622", ("Li",))):
    for el in els:
        a_, b_ = dict(Co=(0.16, 0.26), Li=(0.06, 0.12), Ni=(0.06, 0.15))[el]
        for reg in ("CA",):
            POL["recycled_content_circular"] += [
                dict(process=proc_, region=reg, element=el, year=2031, value=a_, unit="dimensionless", source="eu_2023_1542",
                     note="EU minimum recycled content from Aug 2031 (Art. 8(2)), applied in CA only and not to LFP CAM: Korean export-scale CAM making cannot meet it from Korean end of life (see README)"),
                dict(process=proc_, region=reg, element=el, year=2036, value=b_, unit="dimensionless", source="eu_2023_1542",
                     note="EU minimum recycled content from Aug 2036 (Art. 8(2))")]

# No recipe may create an element (mfa.inputs.conservation): where rounding to 5 significant
# digits gave out more of an element than the inputs hold, the input coefficient is rounded up
# (and cell_NMC622's electrolyte Li, which had copied the NMC811 value, is its own).
ROUNDED_UP = {
    ("cell_NMC811", "Cu.refined"): (377.05, 'BatPaC copper (current collector, tabs): cell Cu 369.5 t/GWh x 1.020408 (2 % cell scrap) = 377.041, rounded up to 377.05 so that no Cu is created (was 377.04)'),
    ("cell_NMC811", "Cu.secondary"): (377.05, 'recycled copper substitute (same coefficient as Cu.refined)'),
    ("cell_NMC622", "CAM.NMC622"): (1534.33, 'BatPaC Ni intensity / CAM content = 546.3 / 0.36332 = 1503.63 t/GWh, / (1 - 2 % cell scrap) = 1534.32, rounded up to 1534.33 so that no Ni is created (was 1534.3)'),
    ("cell_NMC622", "C.spherical"): (928.17, 'BatPaC graphite; natural or synthetic: cell C 909.6 t/GWh x 1.020408 = 928.163, rounded up to 928.17 so that no C is created (was 928.16)'),
    ("cell_NMC622", "C.synthetic"): (928.17, 'BatPaC graphite; natural or synthetic (same coefficient as C.spherical)'),
    ("cell_NMC622", "Li.carbonate"): (2.591, 'electrolyte Li (LiPF6): BatPaC Li minus CAM Li = 110.2 x 1.020408 - 1534.33 x 0.0716 = 2.5909, rounded up to 2.591 (was 2.551, the NMC811 value, which created 0.04 % Li)'),
    ("cell_NMC622", "Li.secondary"): (2.591, 'recycled lithium substitute (same coefficient as Li.carbonate)'),
    ("magnet_making", "HREE.oxide"): (0.053334, '4 % Dy/Tb / (1 - 25 % scrap) = 0.0533333, rounded up to 0.053334 so that no Dy/Tb is created (was 0.053333)'),
    ("magnet_making", "HREE.secondary"): (0.053334, 'recycled substitute (same coefficient as HREE.oxide)'),
}
for row in T["process_io"]:
    fix = ROUNDED_UP.get((row["process"], row["commodity"]))
    if fix and row["direction"] == "in":
        row["value"], row["note"] = fix

# A process is defined by its route: where its input/output coefficients come from a source,
# the definition row names that source (the first sourced coefficient, inputs before outputs;
# stoichiometry (ciaaw) fixes coefficients, not a route, and does not count).
for row in T["processes"]:
    if row["source"] != A:
        continue
    coefs = sorted((x for x in T["process_io"] if x["process"] == row["process"] and x["source"] not in (A, "ciaaw")),
                   key=lambda x: x["direction"] != "in")
    if coefs:
        row["source"] = coefs[0]["source"]
        row["note"] = f"{row['note']}; route as described by its coefficients' source ({coefs[0]['source']})"
        continue
    # no sourced coefficient: a sourced inventory of the route (direct emissions, electricity) describes it
    inventory = [x for t in ("emission_factor", "electricity_use") for x in T[t]
                 if x["process"] == row["process"] and x["source"] not in (A, "ipcc2006")]
    if inventory:
        row["source"] = inventory[0]["source"]
        row["note"] = f"{row['note']}; route as described by its inventory's source ({inventory[0]['source']})"

# ---------------------------------------------------------------------------
# Market-consistent economics (issue 14): fixed operating costs, disposal costs, treatment
# obligations for collected batteries, rest-of-world market limits, second life, technology
# transfer, direct-recycling readiness. Data first; the model reads the tables once the
# mechanisms that use them exist (data/README.md says which do).
# ---------------------------------------------------------------------------
FIXED_OM_SHARE = 0.03  # of overnight investment a year, the part of maintenance that idle plants still pay (peters2003)
add("fixed_cost_share", process="*", region="*", value=FIXED_OM_SHARE, unit="dimensionless", source="peters2003",
    note=f"fixed operating cost a year = {FIXED_OM_SHARE:.0%} of the investment cost per unit of capacity (investment_cost.csv): "
         "maintenance averages 6 % of fixed capital a year and half of it does not vary with output "
         "(75 % of the full-rate cost at a 50 % operating rate, peters2003); insurance and property taxes left out; range 1-6 %")

PACK_T_PER_GWH = {ch: CELL_T_PER_GWH[ch] * PACK_PER_CELL[ch] for ch in CHEMS}
DISPOSAL_USD_PER_T = 2000  # hazardous-waste disposal of spent Li-ion packs, assumed
for reg in ("*",):
    for ch in CHEMS:
        for com_ in (f"battery.{ch}.eol", f"scrap.{ch}"):
            add("disposal_cost", commodity=com_, region=reg, value=r(DISPOSAL_USD_PER_T * PACK_T_PER_GWH[ch], 4), unit="USD/GWh", source=A,
                note=f"hazardous-waste disposal about US${DISPOSAL_USD_PER_T:,}/t of spent packs (range 500-5,000) x {PACK_T_PER_GWH[ch]:.0f} t/GWh; "
                     "no sourced tipping fee for Li-ion packs was found; US hazardous-waste fees of about US$0.8-25/lb are quoted for other wastes")
        add("disposal_cost", commodity=f"black_mass.{ch}", region=reg, value=DISPOSAL_USD_PER_T, unit="USD/t", source=A,
            note=f"as spent packs, US${DISPOSAL_USD_PER_T:,}/t (range 500-5,000), assumed")
    add("disposal_cost", commodity="battery.portable.eol", region=reg, value=r(DISPOSAL_USD_PER_T * PACK_T_PER_GWH["NMC622"], 4), unit="USD/GWh", source=A,
        note=f"as NMC622 packs, US${DISPOSAL_USD_PER_T:,}/t, assumed")
    for com_ in ("NdFeB.eol", "NdFeB.scrap", "Cu.scrap"):
        add("disposal_cost", commodity=com_, region=reg, value=r(56.80 / SHORT_TON_T, 4), unit="USD/t", source="eref_tipfee2023",
            note="non-hazardous landfill: the US national average MSW landfill tip fee, US$56.80 per short ton in 2023 "
                 "(unweighted; ton-weighted US$57.63; regional US$43-84) / 0.9072 t = US$62.6/t; old value 200 was assumed")

# Penalty of final demand not served, per unit of the commodity: options.unmet_penalty
# (US$500 M per GWh of cells and packs, about 5x a GWh's price) would price a tonne of CAM at
# US$500,000/kg and make the LP badly scaled when demand cannot be met (recycled_content).
UNMET_USD_PER_T = 1.0e7
UNMET_CAM_USD_PER_T = 1.0e6
for com_ in ("CAM.NMC622", "CAM.NMC811"):
    add("unmet_penalty", commodity=com_, value=UNMET_CAM_USD_PER_T, unit="USD/t", source=A,
        note=f"a modelling device, not a price: a tonne of CAM not made costs US${UNMET_CAM_USD_PER_T:,.0f}, about 40x the NMC "
             "CAM price (US$25-26/kg, everbatt2023 in reference_price.csv), so the LP makes every tonne it can; "
             "options.unmet_penalty (US$500 M) is per GWh of cells and packs and, applied to tonnes, made the LP badly scaled "
             "(HiGHS stopped with excessive dual values in recycled_content), assumed")
for com_ in ("Ga.metal", "Ge.metal", "NdFeB.magnet", "Si.metal", "W.APT", "magnet.ev", "magnet.wind"):
    add("unmet_penalty", commodity=com_, value=UNMET_USD_PER_T, unit="USD/t", source=A,
        note=f"a modelling device, not a price: a tonne of final demand not served costs US${UNMET_USD_PER_T:,.0f} (US$10,000/kg), "
             "above the full cost of any tonne of product with final demand in the model (the dearest, germanium metal, "
             "about US$1,000-3,000/kg in 2023-2024), so the LP serves every tonne it can; "
             "options.unmet_penalty (US$500 M) is per GWh of cells and packs, assumed")

# collected batteries must be recycled or repurposed (no landfill): share of the collected arising
for com_ in [f"battery.{ch}.eol" for ch in CHEMS] + [f"scrap.{ch}" for ch in CHEMS]:
    add("treatment_obligation", region="KR", commodity=com_, year=2025, value=1.0, unit="dimensionless", source="kr_eeev_act",
        note="[S] EEEV Act: producer responsibility for collection and recycling of EV batteries; returned batteries are sold for reuse or recycling, none landfilled (read as an obligation to treat all collected batteries)")
    add("treatment_obligation", region="CA", commodity=com_, year=2025, value=1.0, unit="dimensionless", source="qc_epr2021",
        note="[S] Quebec's EPR regulation with recovery and recycling rates for EV batteries; applied to all of Canada (other provinces' battery EPR rules, e.g. Ontario's, are assumed to have the same effect) [U]")
for reg, src, what in (("KR", "kr_eeev_act", "EEEV Act"), ("CA", "qc_epr2021", "provincial battery EPR")):
    add("treatment_obligation", region=reg, commodity="battery.portable.eol", year=2025, value=1.0, unit="dimensionless", source=src,
        note=f"[S] {what}: collected portable batteries are recycled, not landfilled (reading of the EPR obligation) [U]")

# rest-of-world market: the model may sell surplus and by-products (and buy) at reference_price
# up to a share of world production (USGS 2024), the range within which a price taker does not move the price
WORLD_2024 = {  # t contained element, USGS MCS 2025 (PROD_EST_2024, world)
    "Cu.concentrate": 23_000_000, "Cu.refined": 27_000_000, "Co.intermediate": 290_000, "Ni.concentrate": 3_700_000,
    "Li.spodumene": 240_000, "C.flake": 1_600_000, "Mn.ore": 20_000_000,
}
MARKET_SHARE = 0.05
NOT_BOUGHT = {"C.flake", "Li.spodumene"}  # Korea's and Canada's graphite and lithium origins are calibrated (observed_share)
# a region sells what it makes: only regions with capacity of a process that puts out the commodity
# (so that no region resells what it imported); any region may buy
MAKERS = {c: sorted({row["region"] for row in T["capacity"] for x in T["process_io"]
                     if x["process"] == row["process"] and x["direction"] == "out" and x["commodity"] == c and row["value"] > 0})
          for c in WORLD_2024}
for com_, world in WORLD_2024.items():
    for direction in ("sell",) if com_ in NOT_BOUGHT else ("sell", "buy"):
        for reg in (MAKERS[com_] if direction == "sell" else ["*"]):
            add("market_limit", commodity=com_, region=reg, direction=direction, year=2025, value=r(MARKET_SHARE * world, 4), unit="t",
                source="usgs_mcs2025",
                note=f"{MARKET_SHARE:.0%} of world 2024 output ({world:,} t, usgs_mcs2025) per region and year; the share is an assumption "
                     "(a seller of a few per cent of the market takes the price as given; range 2-10 %)"
                     + ("; sold only by regions with capacity that makes it" if direction == "sell" else ""))
for com_, v, src, note in (
    ("Cu.concentrate", r(8478 * 0.85, 4), "statista_prices2023", "copper 2023 average US$8,478/t x 85 % payable after treatment and refining charges (payable assumed)"),
    ("Ni.concentrate", r(21521 * 0.70, 4), "statista_prices2023", "nickel 2023 average US$21,521/t x 70 % payable in sulfide concentrate (payable assumed)"),
    ("C.flake", 800, A, "flake graphite concentrate about US$800/t (2024), assumed; spherical graphite about US$2,800/t [U]"),
    ("Mn.ore", 450, "seaisi_mysteel2024", "manganese ore US$4.6/dmtu (South African 36.5 % Mn at Tianjin, incl. 13 % VAT, 27 Mar 2024) and US$3.95/dmtu CIF China "
     "(Tshipi lump, Apr 2024): about US$4.5 per dry metric tonne unit (10 kg Mn), i.e. US$450/t Mn contained; range US$3.7-10/dmtu in 2024"),
):
    add("reference_price", commodity=com_, value=v, unit="USD/t", source=src, note=note)

# second life: remaining life and the cap on second-life packs' share of stationary-storage demand (the
# state-of-health derating is the yield of repurpose_LFP in process_io)
for reg in ("*",):
    add("second_life_cap", region=reg, year=2025, value=0.5, unit="dimensionless", source="busch2024",
        note="at most half of new stationary storage from second-life packs: Busch et al. send 50 % of available EV batteries to second life in their baseline "
             "(30 % and 70 % alternatives); applied here as a cap on the share of storage demand, an assumption on how to transfer it (range 0.3-0.7)")
    add("second_life_lifetime", region=reg, value=10, unit="year", source="nrel_second_use",
        note="[S] NREL: about 10 more years in second use at 70 % of initial capacity (range 5-12 y)")

# technology transfer: a licence fee per unit of activity of the processes that receive it (policy/input_saving_ca.csv)
ROYALTY = 0.025  # razgaitis2006: 25 % of a 10 % margin in the chemical industry
for proc_, product in (("li_hydroxide_spodumene", "Li.hydroxide"), ("graphite_spheronisation", "C.spherical"),
                       ("ni_sulfide_refining", "Ni.intermediate"), ("co_sulfate_refining", "Co.sulfate")):
    price = next(x["value"] for x in T["reference_price"] if x["commodity"] == product)
    add("transfer_cost", process=proc_, region="CA", year=2027, value=r(ROYALTY * price, 4), unit="USD/t", source="razgaitis2006",
        note=f"licence fee {ROYALTY:.1%} of the product's reference price (US${price:,.0f}/t {product}) per unit of output while the transfer applies: "
             "the chemical-industry royalty of razgaitis2006 (25 % of a 10 % margin); sourced range: 20 % of technology royalty rates "
             "are 2 % of sales or less and 67 % are 5 % or less (parr_royalty); old rate 3 % was assumed")

# calibration corridor: import shares by origin start near the observed (observed_share.csv) and move gradually
add("share_corridor", region="*", item="*", bound="width", value=0.05, unit="dimensionless", source=A,
    note="the model's share of an origin in the first model year within 5 points of the latest observed share: half the "
         "10-point calibration target, leaving room for the year between observation and model start, assumed")
add("share_corridor", region="*", item="*", bound="drift", value=0.10, unit="dimensionless", source=A,
    note="the corridor widens by 10 points a year: Korea's LiOH share from China moved 87.9 % -> 79.6 % -> 82.7 % in "
         "2022-2024 (kita2023, kita2024, kcs_argus2025), up to 8 points a year; graphite from China 79.5 % (2017) -> 93.9 % (2022), "
         "about 3 points a year (kita2023); 10 points leaves room for policy scenarios (50 % supplier cap from 2030), assumed")

# direct recycling readiness: installed capacity capped while the technology scales up
for reg in ("*",):
    for ch in CHEMS:
        for y, v in ((2029, 0.0), (2030, 0.5), (2035, 5.0), (2040, 20.0)):
            add("max_capacity", process=f"recycle_direct_{ch}", region=reg, year=y, value=v, unit="GWh", source=A,
                note="direct recycling is at pilot scale (no commercial plant); installed total at most 0.5 GWh in 2030, 5 GWh in 2035 and 20 GWh in 2040 "
                     "(linear in between), assumed: a technology-readiness ramp, range x0.5-x2")

# ---------------------------------------------------------------------------
# Observed figures of 2020-2024 (observed.csv, observed_share.csv): not model inputs; the
# calibration table (mfa.calibration) compares the first model year with them.
# scope "model": the model is meant to reproduce the figure (CA/KR output and KR imports);
# scope "wider": the figure includes markets or uses the model leaves out (suppliers' output
# for the whole world, Korean copper refining for all uses).
# Conversions to t of contained element: LiOH.H2O x 0.1654 (LiOH+Li2O imports are taken as
# LiOH.H2O), Li2CO3 x 0.1879; USGS figures are already in contained element.
# ---------------------------------------------------------------------------
def observed(quantity, region, partner, commodity, year, value, scope, source, note):
    add("observed", quantity=quantity, region=region, partner=partner, commodity=commodity, year=year,
        scope=scope, value=r(value, 6), unit="t", source=source, note=note)


USGS_OUTPUT = [  # (quantity, commodity, region, 2023, 2024, scope, what)
    ("mine_output", "Li.spodumene", "CA", 3240, 4300, "model", "lithium mine production (t Li)"),
    ("mine_output", "Li.spodumene", "AU", 91700, 88000, "wider", "lithium mine production (t Li; all spodumene)"),
    ("mine_output", "Ni.concentrate", "CA", 159000, 190000, "model", "nickel mine production (t Ni; NRCan: 158,668 t in concentrate in 2023)"),
    ("mine_output", "Ni.laterite", "ID", 2030000, 2200000, "wider", "nickel mine production (t Ni)"),
    ("mine_output", "Ni.laterite", "PH", 413000, 330000, "wider", "nickel mine production (t Ni)"),
    ("mine_output", "Co.intermediate", "CD", 175000, 220000, "wider", "cobalt mine production (t Co)"),
    ("mine_output", "Co.intermediate", "CA", 4220, 4500, "model", "cobalt mine production (t Co), a by-product of nickel mining (NRCan: 3,063 t in concentrate in 2022)"),
    ("mine_output", "C.flake", "CA", 5470, 20000, "model", "natural graphite mine production (t, gross weight = t C in the model; NRCan: 4,261 t in 2023)"),
    ("mine_output", "C.flake", "KR", 9620, 9600, "model", "natural graphite mine production (t, gross weight)"),
    ("mine_output", "C.flake", "CN", 1210000, 1270000, "wider", "natural graphite mine production (t, gross weight)"),
    ("mine_output", "C.flake", "MZ", 98000, 75000, "wider", "natural graphite mine production (t, gross weight)"),
    ("mine_output", "Cu.concentrate", "CA", 500000, 450000, "model", "copper mine production, recoverable (t Cu)"),
    ("mine_output", "Cu.concentrate", "CL", 5250000, 5300000, "wider", "copper mine production, recoverable (t Cu)"),
    ("mine_output", "Mn.ore", "ZA", 7300000, 7400000, "wider", "manganese mine production (t Mn)"),
    ("refinery_output", "Cu.refined", "KR", 604000, 620000, "wider", "refined copper production (t Cu), all uses: Korean non-battery copper demand is not modelled"),
    ("refinery_output", "Cu.refined", "CA", 315000, 320000, "wider", "refined copper production (t Cu), all uses"),
    ("refinery_output", "Ga.metal", "KR", 3, 3, "model", "primary low-purity gallium (t Ga; USGS gives kg)"),
]
for q_, com_, reg, v23, v24, scope_, what in USGS_OUTPUT:
    for y, v in ((2023, v23), (2024, v24)):
        observed(q_, reg, reg, com_, y, v, scope_, "usgs_mcs2025",
                 f"[P] {what}; USGS {'2024 estimate' if y == 2024 else '2023'}")
observed("mine_output", "CA", "CA", "C.flake", 2022, 13597, "model", "nrcan_facts2024", "[S] natural graphite production (t), NRCan graphite facts")
KR_IMPORTS_2024 = [  # (commodity, origin, t product, Li per t product)
    ("Li.hydroxide", "CN", 83863, LI_IN_LIOH_H2O), ("Li.hydroxide", "CL", 13400, LI_IN_LIOH_H2O),
    ("Li.hydroxide", "US", 2122, LI_IN_LIOH_H2O), ("Li.hydroxide", "AU", 2062, LI_IN_LIOH_H2O),
    ("Li.carbonate", "CL", 20471, LI_IN_LCE), ("Li.carbonate", "AR", 5888, LI_IN_LCE),
    ("Li.carbonate", "CN", 590, LI_IN_LCE),
]
KR_IMPORT_TOTAL_2024 = {"Li.hydroxide": 101447, "Li.carbonate": 26965}  # t product, all origins
for com_, o, gross, f in KR_IMPORTS_2024:
    form = "LiOH+Li2O (as LiOH.H2O)" if com_ == "Li.hydroxide" else "Li2CO3"
    observed("imports", "KR", o, com_, 2024, gross * f, "model", "kcs_argus2025",
             f"[S] Korea Customs: {gross:,} t {form} from {o} x {f} t Li/t; national total {KR_IMPORT_TOTAL_2024[com_]:,} t")
observed("imports", "KR", "CN", "Li.carbonate", 2023, 3538 * LI_IN_LCE, "model", "kcs_argus2025",
         f"[S] Korea Customs: 3,538 t Li2CO3 from China x {LI_IN_LCE} (2023 total about 51,000 t, origins other than China not reported)")


def observed_share(region, item, partner, year, value, basis, source, note):
    add("observed_share", region=region, item=item, partner=partner, year=year, basis=basis,
        value=value, unit="dimensionless", source=source, note=note)


for com_ in ("Li.hydroxide", "Li.carbonate"):  # 2024 shares by volume from the customs tonnages above
    rows_ = [(o, g) for c_, o, g, _ in KR_IMPORTS_2024 if c_ == com_]
    total_ = sum(g for _, g in rows_)
    for o, g in rows_:
        observed_share("KR", com_, o, 2024, r(g / total_, 4), "volume", "kcs_argus2025",
                       f"[S] Korea Customs: {g:,} of {total_:,} t imported in 2024")
for o, v in (("CN", 0.796), ("CL", 0.175)):
    observed_share("KR", "Li.hydroxide", o, 2023, v, "value", "kita2024", "[S] KITA: share of LiOH+Li2O import value (US$6.19 bn)")
observed_share("KR", "Li.hydroxide", "CN", 2022, 0.879, "value", "kita2023", "[S] KITA: share of LiOH+Li2O import value (US$3.68 bn)")
observed_share("KR", "Li.carbonate", "CL", 2021, 0.82, "value", "motie2023", "[S] MOTIE strategy (Feb 2023): Li2CO3 imports from Chile; basis not stated, read as value")
observed_share("KR", "Li.carbonate", "CL", 2020, 0.89, "value", "kcci2022", "[S] KCCI from UN Comtrade: >89 % from Chile; basis not stated, read as value")
observed_share("KR", "Co.sulfate", "CN", 2021, 0.97, "value", "motie2023", "[S] MOTIE strategy (Feb 2023): cobalt sulfate imports from China; basis not stated, read as value")
observed_share("KR", "Co.intermediate", "CN", 2022, 0.728, "value", "kita2023", "[S] KITA: cobalt oxide + hydroxide, US$179 M of US$246 M (oxide is a refined form; the model's Co.intermediate is hydroxide) [U for the mapping]")
observed_share("KR", "Ni.sulfate", "EU", 2020, 0.59, "value", "kcci2022", "[S] KCCI from UN Comtrade: nickel sulfate from Finland (EU in the model); 2020 is the latest year found")
observed_share("KR", "Ni.intermediate", "CN", 2024, 0.964, "value", "kr_rare_metals2024", "[U] nickel hydroxide from China; secondary summary")
observed_share("KR", "pCAM.NMC811", "CN", 2024, 0.941, "value", "kr_rare_metals2024", "[U] precursor (all chemistries, pCAM.NMC811 stands for high-Ni pCAM) from China; secondary summary")
observed_share("KR", "C", "CN", 2022, 0.937, "volume", "motie_graphite2023", "[S] MOTIE: synthetic and natural graphite for batteries (US$241 M), 93.7 % of the volume from China")
observed_share("KR", "C", "CN", 2022, 0.939, "value", "kita2023", "[S] KITA: graphite import value from China")
observed_share("KR", "C.flake", "CN", 2020, 0.874, "value", "kcci2022", "[S] KCCI from UN Comtrade: natural graphite from China; basis not stated, read as value")
observed_share("KR", "C.spherical", "CN", 2024, 0.976, "value", "kr_rare_metals2024", "[U] natural graphite (mostly spherical for anodes) from China; secondary summary")
observed_share("KR", "C.synthetic", "CN", 2024, 0.988, "value", "kr_rare_metals2024", "[U] synthetic graphite from China; secondary summary")
for o, v in (("CN", 0.847), ("PH", 0.143)):
    observed_share("KR", "NdFeB.magnet", o, 2023, v, "value", "kita2024", "[S] KITA: NdFeB permanent magnet imports (0.875 from China in 2022)")
observed_share("KR", "Ga.metal", "CN", 2024, 0.98, "value", "kr_rare_metals2024", "[U] gallium from China; secondary summary")

# ---------------------------------------------------------------------------
# Write
# ---------------------------------------------------------------------------
def write(name, rows, path=None, cols=None):
    spec = TABLES.get(name)
    if cols is None:
        cols = [c.name for c in spec.columns if c.name not in ("source", "note")]
        if spec.parameter:
            cols += ["value", "unit"]
        cols += ["source", "note"]
    path = path or DATA / f"{name}.csv"
    with open(path, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        for row in rows:
            w.writerow({c: ("" if row.get(c) is None else row.get(c)) for c in cols})


def merge_capacity():
    """One row per (process, region, year): the validator keys capacity without 'plant'."""
    merged = {}
    for row in T["capacity"]:
        key = (row["process"], row["region"], row["year"])
        merged.setdefault(key, []).append(row)
    out = []
    for rows in merged.values():
        if len(rows) == 1:
            out.append(rows[0])
            continue
        m = dict(rows[0])
        m["value"] = r(sum(x["value"] for x in rows), 5)
        m["plant"] = " + ".join(x["plant"] for x in rows)
        sourced = [x["source"] for x in rows if x["source"] != A]
        m["source"] = sourced[0] if sourced else A
        m["note"] = "sum of plants: " + " | ".join(f"{x['plant']} [{x['source']}]: {x['value']:g} ({x['note']})" for x in rows)
        out.append(m)
    merged = out
    T["capacity"] = merged


def main():
    merge_capacity()
    for name, rows in T.items():
        write(name, rows)
    write("demand", DEMAND["steps"])
    write("demand", DEMAND["aps"], path=DATA / "demand_aps.csv")
    with open(DATA / "sources.csv", "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["id", "publisher", "title", "year", "table_page", "link_or_doi", "what_was_taken"])
        for s in SOURCES:
            w.writerow(s)
    (DATA / "policy").mkdir(exist_ok=True)
    for name, rows in POL.items():
        cols = [k for k in rows[0] if k not in ("value", "unit", "source", "note")] + ["value", "unit", "source", "note"]
        write(name, rows, path=DATA / "policy" / f"{name}.csv", cols=cols)
    print({k: len(v) for k, v in T.items()}, "demand", len(DEMAND["steps"]), "sources", len(SOURCES))


if __name__ == "__main__":
    main()
