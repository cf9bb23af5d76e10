#!/usr/bin/env python3
"""Build the tracker's own reference dataset from the sourced facts in ../shared/data.

Usage (from the repository root):

    python scripts/build_reference_data.py [SHARED_DATA_DIR]

SHARED_DATA_DIR defaults to ../shared/data relative to the repository root. The script reads
economies.csv, forums.csv, instruments.csv, commitments.csv and facts.csv from it and writes
economies.csv, forums.csv, themes.csv, instruments.csv, commitments.csv and reports.csv into
reference_data/, with rules.csv (the mapping rules applied), sources.csv (the external sources
the reports cite) and retired.csv (reports of earlier versions that the rules no longer make, for
`manage.py load_reference_data` to withdraw). UNCTAD's Global Cyberlaw Tracker is read from
unctad_cyberlaw.csv and mapped by tracker/unctad.py, the module `manage.py import_unctad` uses.
Standard library only; the output is byte-identical from run to run.

One file of about 2,000 lines, on purpose: half of it is the mapping tables (the grid, themes,
adoption dates, laws, agents, the rules and the facts left out, each beside its source), then
the builders in the order the files are written and the checks of the output; one pass from the
facts to the files, readable top to bottom and runnable with the standard library alone.

Every judgment (tile-grid layout, themes, adoption dates, scopes, prerequisites, and how each
fact becomes a status report) lives below in an explicit, commented table. Nothing is invented:
a fact becomes a report only where it supports one, and every fact row of facts.csv must be
either used by a mapping or listed in SKIPPED_FACTS with its reason, or the script stops.
Before writing, every reference is checked; on any problem the script exits non-zero.
"""

import csv
import datetime
import re
import sys
import urllib.parse
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
from tracker import unctad  # noqa: E402  (standard library only, no Django)

DEFAULT_SOURCE_DIR = REPO_ROOT.parent / "shared" / "data"
OUT_DIR = REPO_ROOT / "reference_data"

Date = datetime.date

# --------------------------------------------------------------------------------------------
# Editorial tables
# --------------------------------------------------------------------------------------------

# Tile-grid map (row, col), editorial, not a fact: a Pacific-centred layout with Asia and
# Oceania on the left and the Americas on the right; rows 0-5, columns 0-7, one economy a tile.
GRID = {
    # North: Russia's Pacific coast above China and Korea; Canada top right.
    "RUS": (0, 2),
    "CAN": (0, 6),
    # North-east Asia, with the United States across the ocean.
    "CHN": (1, 2),
    "KOR": (1, 3),
    "JPN": (1, 4),
    "USA": (1, 6),
    # Mainland South-East Asia and the south China coast; Mexico below the US.
    "THA": (2, 0),
    "VNM": (2, 1),
    "HKG": (2, 2),
    "TWN": (2, 3),
    "MEX": (2, 6),
    # Maritime South-East Asia (Borneo, the Philippines below Chinese Taipei).
    "MYS": (3, 0),
    "BRN": (3, 1),
    "PHL": (3, 3),
    # Singapore, Indonesia, Papua New Guinea; Peru bottom right.
    "SGP": (4, 0),
    "IDN": (4, 1),
    "PNG": (4, 3),
    "PER": (4, 7),
    # Australia and New Zealand at the bottom; Chile below Peru.
    "AUS": (5, 2),
    "NZL": (5, 4),
    "CHL": (5, 7),
}
GRID_MAX_ROW, GRID_MAX_COL = 5, 7

# Themes (editorial).
THEMES = [
    (
        "data-flows",
        "Data flows",
        "Cross-border flows of information and data, and the mechanisms (certification systems, "
        "interoperable rules) that let personal data move between economies.",
    ),
    (
        "privacy",
        "Privacy",
        "Protection of personal information: privacy principles, data-protection laws and "
        "cooperation between privacy enforcement authorities.",
    ),
    (
        "cybersecurity",
        "Cybersecurity",
        "Security of networks, information and online transactions, digital security risk "
        "management and the fight against cybercrime.",
    ),
    (
        "paperless-trade",
        "Paperless trade",
        "Replacing paper trade-administration and customs documents with electronic equivalents.",
    ),
    (
        "digital-infrastructure",
        "Digital infrastructure",
        "Physical and network infrastructure of the digital economy: broadband, ICT networks, "
        "critical information infrastructure and AI infrastructure.",
    ),
    (
        "consumer-protection",
        "Consumer protection",
        "Trust and confidence of consumers and users online, including complaint handling and "
        "redress.",
    ),
    (
        "inclusion-smes",
        "Inclusion and SMEs",
        "Bridging the digital divide and widening participation in the digital economy (women, "
        "small businesses, developing economies), including capacity building.",
    ),
    (
        "e-commerce",
        "E-commerce",
        "Electronic commerce and the legal and regulatory environment for electronic transactions.",
    ),
    (
        "artificial-intelligence",
        "Artificial intelligence",
        "Development, adoption and governance of artificial intelligence.",
    ),
    (
        "digital-economy-policy",
        "Digital economy policy",
        "Overall policy frameworks, roadmaps, visions and work programmes for the internet and "
        "digital economy.",
    ),
]

# Theme assignment (editorial), based on each instrument's summary and, where listed, its
# commitments (e.g. AIDER's key focus areas).
INSTRUMENT_THEMES = {
    # Roles of government and business in e-commerce; paperless target; trust (GOV-2).
    "BLUEPRINT-EC": [
        "e-commerce",
        "paperless-trade",
        "consumer-protection",
        "digital-economy-policy",
    ],
    # Market structures, infrastructure/technology investment, human capacity.
    "E-APEC": ["digital-economy-policy", "digital-infrastructure", "inclusion-smes"],
    "CYBERSEC-2002": ["cybersecurity"],
    # Network security, secure transactions, cybercrime.
    "TRUSTED-ONLINE-2005": ["cybersecurity", "e-commerce"],
    "PT-STRATEGIES-2004": ["paperless-trade"],
    "PT-IAP": ["paperless-trade"],
    # Principles plus international implementation (cross-border transfers).
    "PRIVACY-FW": ["privacy", "data-flows"],
    "PRIVACY-FW-2015": ["privacy", "data-flows"],
    # Projects that produced the CBPR system (cross-border privacy rules).
    "DPP-2007": ["privacy", "data-flows"],
    # ICT/digital-economy enablers.
    "DPC-2008": ["digital-economy-policy", "digital-infrastructure"],
    "CPEA": ["privacy"],
    # Cross-border data certification; consumer-friendly complaint handling (FEAT-4, FEAT-5).
    "CBPR": ["privacy", "data-flows", "consumer-protection"],
    "PRP": ["privacy", "data-flows"],
    # Eleven key focus areas: infrastructure, trust and security, data flows, inclusion, e-commerce.
    "AIDER": [
        "digital-economy-policy",
        "digital-infrastructure",
        "cybersecurity",
        "data-flows",
        "inclusion-smes",
        "e-commerce",
    ],
    "CBEFF": ["e-commerce"],
    "DE-ACTION-AGENDA-2018": ["digital-economy-policy"],
    # Digital security, critical information infrastructure, personal data security.
    "FSDE": ["cybersecurity", "digital-infrastructure", "privacy"],
    "LSR": ["inclusion-smes"],
    # Inclusive economic participation through digital economy and technology.
    "KL-DECL-2020": ["digital-economy-policy", "inclusion-smes"],
    # Innovation and digitalisation driver (enabling environment, digital infrastructure).
    "PV2040": ["digital-economy-policy", "digital-infrastructure"],
    "APA": ["digital-economy-policy"],
    # Accelerated AIDER implementation, including on data privacy.
    "GGD-2023": ["digital-economy-policy", "privacy"],
    "DAIMS-2025": ["digital-economy-policy", "artificial-intelligence"],
    # AI ecosystems, participation/capacity building, AI infrastructure.
    "AI-INIT-2025": ["artificial-intelligence", "inclusion-smes", "digital-infrastructure"],
    "GLOBAL-CBPR": ["privacy", "data-flows"],
}

# Source `kind` wording -> the model's choice values.
KIND_MAP = {
    "declaration": "declaration",
    "roadmap": "roadmap",
    "framework": "framework",
    "action plan": "action_plan",
    "principles": "principles",
    "certification system": "certification_system",
    "arrangement": "arrangement",
    "blueprint": "blueprint",
    "strategy": "strategy",
}

# Source `overseeing_forum` wording -> one forum short_name (the body most directly in charge);
# "unconfirmed" -> no forum.
FORUM_MAP = {
    "ECSG": "ECSG",
    "ECSG (PTS)": "PTS",
    "DPS (ECSG)": "DPS",
    # The CPEA administrators are not a forum row; DPS develops and implements the CPEA.
    "DPS / CPEA Administrators": "DPS",
    # The JOP administers CBPR/PRP day to day; DPS is its policy home.
    "JOP / DPS (ECSG)": "JOP",
    "TELWG": "TELWG",
    "DESG": "DESG",
    "SOM": "SOM",
    # Committees and the PSU evaluate; Senior Officials own the Plan.
    "SOM (with committees and PSU for evaluation)": "SOM",
    "GCBPRF": "GCBPRF",
    "unconfirmed": "",
}

# Adoption date: (first day of the known period, precision, judgment sentence). Where sources
# differ, the better-sourced date is picked and the sentence says so.
ADOPTION = {
    "BLUEPRINT-EC": (
        "1998-11-01",
        "month",
        "Month of the Kuala Lumpur AMM; 15 Nov 1998 is the date of Hong Kong's endorsement "
        "statement, not necessarily the day of adoption.",
    ),
    "E-APEC": ("2001-01-01", "year", ""),
    "CYBERSEC-2002": ("2002-01-01", "year", ""),
    "TRUSTED-ONLINE-2005": (
        "2005-01-01",
        "year",
        "Sources differ on the adopting body (Leaders per ccdcoe.org, TEL per itlaw), not on the "
        "year.",
    ),
    "PT-STRATEGIES-2004": ("2004-11-01", "month", ""),
    "PT-IAP": ("", "unknown", "No start year confirmed."),
    "PRIVACY-FW": (
        "2004-11-01",
        "month",
        "Sources differ: often cited as 2005 (first version published Dec 2005, DataGuidance); "
        "Ministers' endorsement in Nov 2004 (dpmc.gov.au, 2004/AMM/014rev1, APEC CPEA page) is "
        "better-sourced and used.",
    ),
    "PRIVACY-FW-2015": (
        "",
        "unknown",
        "Formal endorsement date not found: tabled at the Concluding SOM in Lima, 14-15 Nov 2016, "
        "published Aug 2017; left unknown rather than guessed.",
    ),
    "DPP-2007": ("2007-09-01", "month", ""),
    "DPC-2008": (
        "2008-01-01",
        "year",
        "Year inferred by the source from a Feb 2009 ECSG summary referring to the 2008 Lima "
        "Leaders' Meeting.",
    ),
    "CPEA": ("2010-07-16", "day", "Launch date."),
    "CBPR": ("2011-11-01", "month", ""),
    "PRP": (
        "2015-02-01",
        "month",
        "Sources differ: natlawreview says the PRP was finalized in 2016; the Feb 2015 endorsement "
        "of the program requirements at SOM1 (TrustArc, Feb 2015; Hunton, Sep 2015) is "
        "better-sourced and used.",
    ),
    "AIDER": ("2017-11-01", "month", ""),
    "CBEFF": (
        "2017-11-01",
        "month",
        "The 29th AMM met on 8-9 Nov 2017; the day of approval is not pinned down, so month "
        "precision is kept.",
    ),
    "DE-ACTION-AGENDA-2018": (
        "2018-01-01",
        "year",
        "Year of publication with the 2018 Leaders' meeting papers; formal adoption status is "
        "unclear (no consensus Leaders' Declaration in 2018).",
    ),
    "FSDE": ("", "unknown", "Year and adopting body not found."),
    "LSR": (
        "2019-12-01",
        "month",
        "Endorsement by Senior Officials on behalf of Ministers (Dec 2019) is taken as adoption; "
        "Ministers had welcomed it in Oct 2019.",
    ),
    "KL-DECL-2020": ("2020-11-20", "day", ""),
    "PV2040": ("2020-11-20", "day", ""),
    "APA": ("2021-11-12", "day", ""),
    "GGD-2023": ("2023-11-17", "day", ""),
    "DAIMS-2025": ("2025-08-04", "day", ""),
    "AI-INIT-2025": (
        "2025-11-01",
        "month",
        "Month of the Gyeongju Leaders' Meeting; 1 Nov 2025 is the date of a press report, so "
        "month precision is kept.",
    ),
    "GLOBAL-CBPR": (
        "2022-04-21",
        "day",
        "Date of the Global CBPR Declaration; the Global CBPR and PRP Systems launched "
        "30 Apr 2024.",
    ),
}

# superseded_by: only where a source supports it. The 2015 edition is titled "Updates to APEC
# Privacy Framework" (2016/CSOM/012app17) and DataGuidance calls the Aug 2017 text the current
# version of the Framework first published in 2005.
SUPERSEDED_BY = {"PRIVACY-FW": "PRIVACY-FW-2015"}

# Commitment scope. Default: economy. Collective = APEC-level actions and features of a system,
# shown on the instrument's page and not scored per economy.
COLLECTIVE_PREFIXES = {
    "CBPR": ("COMP-", "FEAT-", "AA-", "PR-COUNT"),  # system components, features, AA process
    "PRP": ("ELEM-", "PR-COUNT"),  # certification elements for processors
    "CPEA": ("AIM-",),  # aims of the arrangement
    "DE-ACTION-AGENDA-2018": ("C1", "C2", "C3"),  # APEC work program items
    "AI-INIT-2025": ("OBJ-",),  # APEC-wide objectives
    "PV2040": ("DRIVER-",),  # economic drivers of the vision
    # FSDE principles (Awareness, Responsibility, Cooperation, Privacy) are known by title only
    # and state values for all stakeholders, with no test an economy could pass; the strategies
    # (STRAT-*) are the actionable part and stay economy scope.
    "FSDE": ("PRIN-",),
    # APA REV-3: Committees and the PSU evaluate and Senior Officials report; REV-4: review of
    # the collective actions. REV-1, REV-2, REV-5 concern each economy's individual actions.
    "APA": ("REV-3", "REV-4"),
}
# Economy scope kept on purpose (for the record): AIDER KFA-*, PRIVACY-FW P*, CBPR ECON-*,
# FSDE STRAT-*, BLUEPRINT-EC GOV-* and PT-TARGET (a paperless target with separate deadlines for
# developed and developing economies, so met or missed economy by economy), APA REV-1/2/5,
# GLOBAL-CBPR MEM-* (membership criteria each jurisdiction meets).

# Prerequisites, only where the source's step order supports them: cbprs.org numbers the economy
# requirements 1 (APEC member), 2 (CPEA), 3 (letter of intent, three elements, the first naming a
# CPEA-participating authority), 4 (enforcement map); the JOP findings report (ECON-5) reviews
# the application, so it follows the map. Global CBPR MEM-1..3 are a list of criteria, not steps:
# no prerequisites. No other instrument states an order between its commitments.
# CBPR-ECON-1 (be an APEC member) is an eligibility prerequisite (rule R1), not a scored step:
# the chain starts at ECON-2.
PREREQUISITES = {
    "CBPR-ECON-3a": ["CBPR-ECON-2"],
    "CBPR-ECON-3b": ["CBPR-ECON-2"],
    "CBPR-ECON-3c": ["CBPR-ECON-2"],
    "CBPR-ECON-4": ["CBPR-ECON-3a", "CBPR-ECON-3b", "CBPR-ECON-3c"],
    "CBPR-ECON-5": ["CBPR-ECON-4"],
}

# --------------------------------------------------------------------------------------------
# Fact -> report tables. Dates are written as the fact gives them: "YYYY", "YYYY-MM" or
# "YYYY-MM-DD"; the script checks each appears in the fact's text, takes the last day of the
# period, and never goes before the instrument's adoption (end of its known period).
# --------------------------------------------------------------------------------------------

# The cbprs.org documents list, cited in the notes of the AUS and SGP rows for the letter and JOP
# dates; the reports keep the row's own source_url and name this one.
CBPR_DOCUMENTS = "https://cbprs.org/documents/"

# Pages read through a copy: the original is cited, never the copy (the research notes name the
# original). The build stops if any output still names a mirror host.
MIRRORS = {
    "https://dev2.ts-export.com/carview.php?tsp=https%3A%2F%2Fcbprs.org%2Fdocuments%2F": (
        CBPR_DOCUMENTS
    ),
}
MIRROR_HOSTS = ("dev2.ts-export.com",)


def original(text: str) -> str:
    """The text with every mirror address replaced by the page it copies."""
    for mirror, page in MIRRORS.items():
        text = text.replace(mirror, page)
    return text


# CBPR participants (facts "CBPR", participating). loi = letter of intent, jop = JOP Findings
# Report, joined = participation date used when the fact gives no JOP date.
CBPR_PARTICIPANTS = {
    "USA": {"loi": "2012-05-22", "jop": "2012-07-25"},
    "MEX": {"loi": "2012-09-24", "jop": "2013-01-16"},
    "JPN": {"loi": "2013-06-07", "jop": "2014-04-25"},
    "CAN": {"loi": "2014-08-07", "jop": "2015-04-01"},
    "KOR": {"loi": "2016-09-28", "jop": "2017-06-01"},
    # Letter date conflict: cbprs.org documents list 23 Jun 2017 (the official list, via a
    # mirror) vs a Notice of Intent of 26 Jul 2017 cited by OpenGov: cbprs.org taken.
    "SGP": {
        "loi": "2017-06-23",
        "jop": "2017-12-15",
        "loi_note": "Sources differ on the letter date: the cbprs.org documents list gives "
        "23 Jun 2017, OpenGov cites a Notice of Intent of 26 Jul 2017; the official cbprs.org "
        "list is taken as better-sourced.",
        "dates_from": CBPR_DOCUMENTS,
    },
    "AUS": {"loi": "2018-08-01", "jop": "2018-11-02", "dates_from": CBPR_DOCUMENTS},
    # No letter or JOP date in the fact: APEC's ratification of the application is used.
    "TWN": {"joined": "2018-11-23"},
    # Letter sent before a DPS meeting in Puerto Varas (year not in the source); member since
    # March 2020: the participation month is used for every step.
    "PHL": {"joined": "2020-03"},
}

# CPEA participants with a date (facts "CPEA", participating) -> CBPR-ECON-2.
CPEA_DATES = {
    "AUS": "2010-07-16",
    "NZL": "2010-07-16",
    "USA": "2010-07-16",
    "CAN": "2012-05",  # "participant as at May 2012"
    "HKG": "2012-05",
    "JPN": "2012-05",
    "PHL": "2017-12-06",  # "2017 (reported 2017-12-06)": the report date, by which it held
}
# CPEA participants without a join date: implemented by the CBPR letter-of-intent date (the
# letter must confirm a CPEA-participating authority), or the participation date if no letter
# date is known. Economies not in CBPR_PARTICIPANTS would be left as no data.
CPEA_UNDATED = ["KOR", "MEX", "SGP", "TWN"]

# Comprehensive data-protection law -> PRIVACY-FW P1..P9, as a time series per economy, oldest
# first (rule R2: every facts.csv topic starting with LAW feeds it):
# (fact topic, status, date as the fact gives it, target date or "", sentence for the evidence).
# A date of "" means the fact is undated (recorded from the Framework's adoption).
MAPPING_LAW = (
    "Mapping: a comprehensive data-protection law is taken as domestic implementation of this "
    "Privacy Framework principle ({title})."
)
LAW = "Comprehensive data protection law"
PRIVACY_LAW = {
    "AUS": [(LAW, "implemented", "1988", "", "")],
    # Three sources conflict: thescoop.co (Brunei news, Mar 2025) reports the Order approved in
    # Jan 2025 with phased implementation; nope.net says enacted 1 Dec 2025, effective
    # 1 Jan 2026; globalprivacylaws.com says 2016 (not corroborated). thescoop.co taken.
    "BRN": [
        (
            LAW,
            "partial",
            "2025-01",
            "",
            "Sources differ on the enactment: nope.net says enacted 1 Dec 2025; "
            "globalprivacylaws.com says enacted 2016 (not corroborated, likely an error); the "
            "contemporaneous Brunei report used here is taken as better-sourced. Mapping: an "
            "order approved with phased implementation is taken as partial implementation of "
            "this Privacy Framework principle ({title}) until it is in force.",
        ),
        # Rule R2: the entry-into-force row.
        (
            LAW + " (entry into force)",
            "implemented",
            "2026-01-01",
            "",
            "The sources are secondary (the commencement notification itself was not read). "
            "Mapping: the Order in force is taken as full domestic implementation of this Privacy "
            "Framework principle ({title}); a compliance grace period for organisations does not "
            "change that the Order is in force (as for Indonesia's transition).",
        ),
    ],
    "CAN": [(LAW, "implemented", "2000", "", "")],
    # Rule R2. Law 19.628 (1999) predates the Framework: partial from the Framework's adoption.
    # Law 21.719 (published 13 Dec 2024, in force 1 Dec 2026 unless postponed) amends it: still
    # partial, with the entry into force as the target. No "planned" report: it would lower
    # Chile's status below what Law 19.628 already gives. "implemented" only once a row
    # "(entry into force)" with status "in force" exists (none yet: a postponement bill was
    # pending in Sep 2026).
    "CHL": [
        (
            LAW + " (earlier law)",
            "partial",
            "1999-08-18",
            "",
            "DataGuidance: the Law 'neither provides a catalogue of violations, nor establishes "
            "an official data privacy authority'; oversight is carried out by the Transparency "
            "Council (CPLT). Mapping: a law covering public and private processing of personal "
            "data, but without a data-protection authority or a catalogue of violations, is "
            "taken as partial implementation of this Privacy Framework principle ({title}) "
            "(judgment).",
        ),
        (
            LAW,
            "partial",
            "2024-12-13",
            "2026-12-01",
            "Law 19.628 still applies until Law 21.719 is in force; its scheduled entry into "
            "force (1 Dec 2026) is the target date. A bill (Boletín N.º 18.623-07, Sep 2026) "
            "proposes to move it to 1 Dec 2027; its outcome is not known, so the entry into "
            "force is not recorded. Mapping: the earlier law stays partial implementation of "
            "this Privacy Framework principle ({title}) until the new law is in force.",
        ),
    ],
    # In-force date used where the fact gives one.
    "CHN": [(LAW, "implemented", "2021-11-01", "", "The in-force date is used.")],
    # Conflict 1995 (insidecyberlaw) vs 20 Dec 1996 (DataGuidance): both predate the Framework,
    # so the effective date is the Framework's adoption either way.
    "HKG": [
        (
            LAW,
            "implemented",
            "1996",
            "",
            "Sources differ: DataGuidance says the initial Ordinance was enacted on 20 Dec 1996; "
            "both dates predate the Framework, so the effective date is the same.",
        )
    ],
    "IDN": [
        (
            LAW,
            "implemented",
            "2022-10-17",
            "",
            "The in-force date is used; the 2-year transition for compliance does not change "
            "that the law is in force.",
        )
    ],
    "JPN": [(LAW, "implemented", "2003", "", "")],
    "KOR": [(LAW, "implemented", "2011-09-30", "", "The in-force date is used.")],
    "MYS": [(LAW, "implemented", "2010", "", "")],
    "MEX": [(LAW, "implemented", "2010-07-05", "", "")],
    # The 1993 Act it replaced is named but not described in the sources: not assessed.
    "NZL": [
        (
            LAW,
            "implemented",
            "2020-12-01",
            "",
            "The Privacy Act 1993 it replaced is not assessed: its scope and dates are not in "
            "the sources.",
        )
    ],
    "PER": [(LAW, "implemented", "2011-07-03", "", "")],
    "PHL": [(LAW, "implemented", "2012", "", "")],
    "RUS": [(LAW, "implemented", "2006-07-27", "", "")],
    "SGP": [(LAW, "implemented", "2012", "", "")],
    "TWN": [
        (
            LAW,
            "implemented",
            "2012-10-01",
            "",
            "The in-force date is used (the amended Act passed on 27 Apr 2010).",
        )
    ],
    # Published 27 May 2019, fully enforced 1 Jun 2022 (asiasociety.org, the row's source) vs
    # fully effective 1 Jun 2021 (HSF 2022): the later date is the conservative choice.
    "THA": [
        (
            LAW,
            "partial",
            "2019-05-27",
            "",
            "Mapping: the Act was published but fully enforced only later, so it is taken as "
            "partial implementation of this Privacy Framework principle ({title}) until full "
            "enforcement.",
        ),
        (
            LAW,
            "implemented",
            "2022-06-01",
            "",
            "Sources differ: Herbert Smith Freehills (2022) says the Act became fully effective "
            "on 1 Jun 2021; the row's source (asiasociety.org) gives 1 Jun 2022, used as the "
            "better-sourced and conservative date.",
        ),
    ],
    "USA": [
        (
            LAW,
            "partial",
            "",
            "",
            "Mapping: sectoral federal laws and state laws without a comprehensive federal law "
            "are taken as partial implementation of this Privacy Framework principle ({title}). "
            "The source is undated, so, as for an absence from an undated list, the status is "
            "recorded from the Framework's adoption.",
        )
    ],
    "VNM": [
        (
            LAW,
            "partial",
            "2023-07-01",
            "",
            "Mapping: a government decree, not a law, is taken as partial implementation of "
            "this Privacy Framework principle ({title}).",
        ),
        (
            LAW,
            "implemented",
            "2026-01-01",
            "",
            "Mapping: the Law on Personal Data Protection in force from 1 Jan 2026 is taken as "
            "full domestic implementation of this Privacy Framework principle ({title}). The "
            "law's dates are from the source named in the fact's notes (recordinglaw.com).",
        ),
    ],
}

# UNCITRAL MLEC-based electronic transactions law -> BLUEPRINT-EC GOV-3.
MAPPING_ETL = (
    "Mapping: an electronic-transactions law based on the UNCITRAL Model Law on Electronic "
    "Commerce is taken as a domestic framework compatible with evolving international norms "
    "(Blueprint government role GOV-3)."
)
ETL = {
    "AUS": (
        "implemented",
        "1999",
        "The newer UNCITRAL page lists Australia 2011 and its states 2010-2013 (later amending "
        "legislation); the older page's 1999 is the first enactment.",
    ),
    "BRN": ("implemented", "2000", ""),
    "CHN": ("implemented", "2004", ""),
    "HKG": ("implemented", "2000", ""),
    "MEX": ("implemented", "2000", ""),
    "NZL": ("implemented", "2002", ""),
    "PHL": ("implemented", "2000", ""),
    "KOR": ("implemented", "1999", ""),
    "SGP": ("implemented", "1998", ""),
    "THA": ("implemented", "2002", ""),
    "VNM": ("implemented", "2005", ""),
    "MYS": ("implemented", "2006", ""),
    "PNG": ("implemented", "2022", ""),
    # Provinces and territories enacted 2000-2011 (contract law is provincial in Canada):
    # implemented by the end of the span, the conservative date by which all listed had enacted.
    "CAN": (
        "implemented",
        "2011",
        "The provinces and territories listed enacted between 2000 and 2011; the end of the "
        "span is used, by which all of them had enacted. Provincial enactment is taken as "
        "implementation because private-law matters such as electronic transactions fall to "
        "the provinces in Canada.",
    ),
    # Uniform act prepared 1999, enacted state by state; the source gives neither the extent of
    # state adoption nor a federal MLEC-based statute: partial.
    "USA": (
        "partial",
        "1999",
        "Mapping: a uniform act enacted state by state, where the source gives neither how many "
        "states enacted it nor a federal MLEC-based statute, is taken as partial implementation "
        "of GOV-3. The date is the year of the uniform act; research_notes.md records that the "
        "same UNCITRAL page names California's enactment in 1999.",
    ),
}

# Global CBPR Forum membership -> GLOBAL-CBPR-MEM-1.
GCBPR_MEMBERS = {
    "USA": "2022-04-21",
    "CAN": "2022-04-21",
    "JPN": "2022-04-21",
    "KOR": "2022-04-21",
    "PHL": "2022-04-21",
    "SGP": "2022-04-21",
    "TWN": "2022-04-21",
    "AUS": "2022-09",  # "2022 (by Sep 2022)"
}

# Global CBPR Accountability Agents -> GLOBAL-CBPR-MEM-3 (the criterion's first branch: use a
# Forum-recognised Accountability Agent). Key: the fact row; value: date. JPN's comes from the
# note of its CBPR Accountability Agent row, which names the same DataGuidance announcement as
# the USA and KOR rows (dated 2024-04-30 there). The row's own fact (JIPDEC's APEC-CBPR
# recognition, Jan 2016) maps to nothing, for the reason given for the other AA rows below.
GCBPR_AGENTS = {
    ("USA", "Global CBPR Accountability Agent"): "2024-04-30",
    ("KOR", "Global CBPR Accountability Agent"): "2024-04-30",
    # Rule R3: the same DataGuidance list names Singapore's and Chinese Taipei's agents.
    ("SGP", "Global CBPR Accountability Agent"): "2024-04-30",
    ("TWN", "Global CBPR Accountability Agent"): "2024-04-30",
}
GCBPR_AGENT_FROM_NOTE = {
    "JPN": (
        "CBPR Accountability Agent",
        "2024-04-30",
        "https://www.dataguidance.com/news/international-global-cbpr-forum-announces-establishment",
    ),
}

# Rule R4: a national digital-economy strategy -> AIDER KFA-04 ("Development of holistic
# government policy frameworks for the internet and digital economy"), implemented from the
# fact's date (floored at AIDER's adoption). No row (IDN, PHL, USA) stays no data; no other AIDER
# focus area, FSDE strategy or APA duty gets reports (no per-economy evidence was found).
STRATEGY_TOPIC = "Digital economy strategy"
STRATEGY_COMMITMENT = "AIDER-KFA-04"
MAPPING_STRATEGY = (
    "Mapping (judgment): a government-adopted national digital-economy strategy is taken as a "
    "holistic policy framework under AIDER focus area 4."
)
# Sentences of a strategy row's notes said in the evidence: its period and any judgment.
STRATEGY_NOTE_SENTENCES = re.compile(r"(?:Period|Judgment|Goals to|Phases)\b[^.]*\.")

# Rule R5: UNCTAD Global Cyberlaw Tracker rows -> reports of origin "independent" (the mapping
# itself lives in tracker/unctad.py, shared with `manage.py import_unctad`).
UNCTAD_FILE = "unctad_cyberlaw.csv"

# Facts used by no report, with the reason. The script stops if a fact is neither used nor here.
NO_DATA, NOT_MAPPED = "no data", "not mapped"
_AA_REASON = (
    "An APEC-CBPR Accountability Agent recognition is an organisation-level event; the AA-* "
    "commitments are collective (the recognition process) and ECON-3b is already carried by "
    "the letter of intent, so no economy-scope commitment fits."
)
_AA_UNCONF = (
    "Unconfirmed: absence from the Global CBPR Forum's April 2024 AA list only; APEC-CBPR AA "
    "status not found."
)
_DEPA = (
    "DEPA is a binding agreement outside APEC and not an instrument of this dataset; no "
    "commitment fits, and none is created for it."
)
_ETL_UNCONF = (
    "Unconfirmed: not found in the retrieved portion of the UNCITRAL MLEC status pages; absence "
    "from that list does not show absence of an e-transactions law."
)
SKIPPED_FACTS = {
    ("USA", "CBPR Accountability Agent"): (NOT_MAPPED, _AA_REASON),
    ("USA", "CBPR/PRP Accountability Agent"): (NOT_MAPPED, _AA_REASON),
    ("SGP", "CBPR/PRP Accountability Agent"): (
        NOT_MAPPED,
        _AA_REASON + " The Global CBPR recognition its note mentions has its own row, used for "
        "GLOBAL-CBPR-MEM-3.",
    ),
    ("TWN", "CBPR Accountability Agent"): (
        NOT_MAPPED,
        _AA_REASON + " The Global CBPR recognition has its own row, used for GLOBAL-CBPR-MEM-3.",
    ),
    ("AUS", "CBPR Accountability Agent"): (NO_DATA, _AA_UNCONF),
    ("CAN", "CBPR Accountability Agent"): (NO_DATA, _AA_UNCONF),
    ("MEX", "CBPR Accountability Agent"): (NO_DATA, _AA_UNCONF),
    ("PHL", "CBPR Accountability Agent"): (NO_DATA, _AA_UNCONF),
    ("USA", "PRP"): (
        NOT_MAPPED,
        "PRP has no economy-scope commitment (ELEM-* and PR-COUNT describe the system).",
    ),
    ("SGP", "PRP"): (
        NOT_MAPPED,
        "PRP has no economy-scope commitment (ELEM-* and PR-COUNT describe the system).",
    ),
    ("PHL", "PRP"): (NO_DATA, "Unconfirmed: interest expressed (Dec 2017), participation not."),
    ("MEX", "Global CBPR Forum"): (
        NO_DATA,
        "Member, but join date unconfirmed: no effective date can be stated.",
    ),
    ("PNG", "Comprehensive data protection law"): (NO_DATA, "Unconfirmed: no source found."),
    ("CHL", "Electronic transactions law (UNCITRAL MLEC-based)"): (NO_DATA, _ETL_UNCONF),
    ("IDN", "Electronic transactions law (UNCITRAL MLEC-based)"): (NO_DATA, _ETL_UNCONF),
    ("JPN", "Electronic transactions law (UNCITRAL MLEC-based)"): (NO_DATA, _ETL_UNCONF),
    ("PER", "Electronic transactions law (UNCITRAL MLEC-based)"): (NO_DATA, _ETL_UNCONF),
    ("RUS", "Electronic transactions law (UNCITRAL MLEC-based)"): (NO_DATA, _ETL_UNCONF),
    ("TWN", "Electronic transactions law (UNCITRAL MLEC-based)"): (NO_DATA, _ETL_UNCONF),
    ("CHL", "DEPA"): (NOT_MAPPED, _DEPA),
    ("NZL", "DEPA"): (NOT_MAPPED, _DEPA),
    ("SGP", "DEPA"): (NOT_MAPPED, _DEPA),
    ("KOR", "DEPA"): (NOT_MAPPED, _DEPA),
    ("CHN", "DEPA"): (NOT_MAPPED, _DEPA + " Applicant; application date unconfirmed."),
    ("CAN", "DEPA"): (NOT_MAPPED, _DEPA + " Applicant; application date unconfirmed."),
    ("PER", "DEPA"): (NOT_MAPPED, _DEPA + " Applicant; application date unconfirmed."),
}

# Reports made by earlier versions of this script that the rules no longer make. They are kept
# in retired.csv for good, so that `manage.py load_reference_data` withdraws them, with the
# reason, on a database loaded with any earlier version: (economy or "*" for all, commitment,
# status, effective date, reason).
RETIRED = [
    (
        "*",
        "CBPR-ECON-1",
        "implemented",
        "2011-11-30",
        "Rule R1 (audit of 2026-12): being an APEC member economy is an eligibility "
        "prerequisite of the CBPR System, met by all 21 economies through membership, not a "
        "step of implementation; it is no longer scored, so this report no longer counts.",
    ),
    *(
        (
            "CHL",
            f"PRIVACY-FW-P{n}",
            "planned",
            "2024-12-13",
            "Rule R2 (audit of 2026-12): Chile's Law 19.628 (1999) is in force, so Law 21.719 "
            "does not make the principle planned; it is recorded as partial from 13 Dec 2024 "
            "with the new law's entry into force as the target date.",
        )
        for n in range(1, 10)
    ),
]

# The mapping rules, as the methodology page lists them (rules.csv): general rules, then the
# rules of the 2026-12 audit (R1-R6 of the research README).
RULES = [
    (
        "G1",
        "What is scored per economy",
        "Only commitments each economy carries out are scored (AIDER focus areas, Privacy "
        "Framework principles, CBPR economy steps ECON-2 to ECON-5, CYBERSEC-2002 LAW-1, FSDE "
        "strategies, Blueprint government roles, Aotearoa Plan reporting duties, Global CBPR "
        "membership criteria). System features, eligibility prerequisites and collective APEC "
        "actions are shown on the instrument's page and not scored.",
    ),
    (
        "G2",
        "A fact becomes a report",
        "A dated, sourced fact becomes a published status report only where it supports one. "
        "The effective date is the fact's date (the last day of the year or month when only "
        "that is known) and never before the instrument's adoption. The evidence quotes the "
        "fact, the source is the fact's page, the origin is secretariat research, and where "
        "the mapping is a judgment the evidence says so.",
    ),
    (
        "G3",
        "Absent from an undated list",
        "An economy absent from an undated list of participants is recorded as not "
        "implemented from the instrument's adoption. Missing evidence is never turned into "
        "not implemented: it stays no data.",
    ),
    (
        "G4",
        "Unconfirmed and conflicting facts",
        "Unconfirmed facts are not stated as facts and stay no data. Where sources give "
        "different dates, the better-sourced date is used and the evidence says that sources "
        "differ.",
    ),
    (
        "G5",
        "Original sources only",
        "A page read through a copy is cited by its original address, never the copy's.",
    ),
    (
        "G6",
        "One report per date",
        "There is at most one report per economy, commitment and effective date; a later "
        "report replaces an earlier one from its own effective date.",
    ),
    (
        "R1",
        "CBPR membership is eligibility, never scored",
        "Being an APEC member economy (CBPR ECON-1) is an eligibility prerequisite, met by all "
        "21 economies through membership. It is shown on the CBPR page, has no status reports "
        "and counts in no score; the CBPR steps start at ECON-2.",
    ),
    (
        "R2",
        "Data-protection laws as a series",
        "Each economy's comprehensive data-protection laws give its status on every Privacy "
        "Framework principle, oldest first. Chile: Law 19.628 (1999) is partial from the "
        "Framework's adoption (no data-protection authority, no catalogue of violations); Law "
        "21.719 keeps it partial from 13 Dec 2024 with its entry into force (1 Dec 2026) as "
        "the target date, and makes it implemented only once it is in force. Brunei: partial "
        "from Jan 2025, implemented from 1 Jan 2026, when its Order entered into force.",
    ),
    (
        "R3",
        "Global CBPR Accountability Agents",
        "An Accountability Agent recognised by the Global CBPR Forum in an economy (Japan, "
        "Korea, Singapore, Chinese Taipei, the United States, 30 Apr 2024) meets the "
        "Accountability Agent membership criterion of Global CBPR.",
    ),
    (
        "R4",
        "Digital-economy strategies and AIDER",
        "A government-adopted national digital-economy strategy is taken as a holistic policy "
        "framework under AIDER focus area 4, implemented from its adoption (not before AIDER's, "
        "Nov 2017). Economies without a sourced strategy stay no data; no other AIDER focus "
        "area, FSDE strategy or Aotearoa Plan duty has per-economy evidence.",
    ),
    (
        "R5",
        "UNCTAD Global Cyberlaw Tracker",
        "UNCTAD's entries become reports of origin independent assessment (assessor UNCTAD "
        "Global Cyberlaw Tracker, dated by its snapshot): Cybercrime gives CYBERSEC-2002 LAW-1 "
        "(legislation implemented, draft planned, no legislation not implemented); Electronic "
        "Transactions gives Blueprint GOV-1 and Consumer Protection Blueprint GOV-2 "
        "(legislation implemented, draft planned, no legislation no report). Privacy and "
        "Indirect Taxation are not used. An electronic-transactions law already dated by "
        "UNCITRAL keeps that date; a secretariat report on the same cell and date is kept "
        "instead of UNCTAD's. A refresh adds a report only where the status changed.",
    ),
    (
        "R6",
        "Target dates",
        "A deadline stated by an instrument is shown on its commitment (CYBERSEC-2002 LAW-1: "
        "31 Oct 2003); a report carries it only when its effective date is not after it.",
    ),
]

# External sources the reports cite, by host (GitHub: by repository): (name, snapshot date or
# ""). sources.csv counts the reports citing each; the build stops on a host not named here.
SOURCE_NAMES = {
    "ag.gov.au": ("Australian Attorney-General's Department", ""),
    "aprenderly.com": ("Agenda Digital 2020 (Chile), document copy", ""),
    "asiasociety.org": ("Asia Society Policy Institute", ""),
    "avitar.legal": ("Avitar Legal", ""),
    "bbbprograms.org": ("BBB National Programs", ""),
    "busquedas.elperuano.pe": ("El Peruano (Peru's official gazette)", ""),
    "canada.ca": ("Government of Canada", ""),
    "cbprs.org": ("CBPR System (cbprs.org): participant, documents and requirements lists", ""),
    "chinalawandpractice.com": ("China Law & Practice", ""),
    "dataffix.com": ("Dataffix", ""),
    "dataguidance.com": ("DataGuidance news", ""),
    "datamatters.sidley.com": ("Sidley Data Matters", ""),
    "digital.go.jp": ("Digital Agency of Japan", ""),
    "digital.govt.nz": ("New Zealand Government (digital.govt.nz)", ""),
    "docest.com": ("docest.com (document copy)", ""),
    "english.luatvietnam.vn": ("LuatVietnam", ""),
    "focustaiwan.tw": ("Focus Taiwan (CNA)", ""),
    "galexia.com": ("Galexia", ""),
    "github.com/unctad-infovis/2026-cyberlaw_tracker": (
        "UNCTAD Global Cyberlaw Tracker",
        "2026-04-27",
    ),
    "gmpsiaprec.blogspot.com": ("GMPS / APEC release reproduced (blog)", ""),
    "ict.gov.pg": ("PNG Department of Information and Communications Technology", ""),
    "imda.gov.sg": ("Infocomm Media Development Authority (Singapore)", ""),
    "insidecyberlaw.com": ("Inside Cyberlaw", ""),
    "korea.net": ("Korea.net (Government of Korea)", ""),
    "kpmg.com": ("KPMG China", ""),
    "lawbrarian.com": ("Lawbrarian", ""),
    "lawinfochina.com": ("LawInfoChina", ""),
    "legacy.dataguidance.com": ("DataGuidance jurisdiction pages", ""),
    "legal500.com": ("The Legal 500 guides", ""),
    "lexology.com": ("Lexology", ""),
    "marketing.org.nz": ("Marketing Association of New Zealand", ""),
    "ministers.treasury.gov.au": ("Australian Treasury ministers' releases", ""),
    "mondaq.com": ("Mondaq", ""),
    "news.gov.hk": ("news.gov.hk (Hong Kong Government)", ""),
    "newsbytes.ph": ("NewsBytes.PH", ""),
    "nope.net": ("nope.net regulation notes", ""),
    "ontier.law": ("ONTIER", ""),
    "opinion.inquirer.net": ("Philippine Daily Inquirer", ""),
    "pna.gov.ph": ("Philippine News Agency", ""),
    "privacydesk.in": ("PrivacyDesk", ""),
    "regalert.today": ("RegAlert", ""),
    "saluddigital.com": ("Salud Digital", ""),
    "securitycurated.com": ("Security Curated", ""),
    "taipeitimes.com": ("Taipei Times", ""),
    "tass.com": ("TASS", ""),
    "technology-risk.com": ("Technology Risk", ""),
    "thailand-business-supplement.com": ("Thailand Business Supplement", ""),
    "thescoop.co": ("The Scoop (Brunei)", ""),
    "thesundaily.my": ("The Sun Daily (Malaysia)", ""),
    "uncitral.org": ("UNCITRAL status pages (former site)", ""),
    "uncitral.un.org": ("UNCITRAL status pages", ""),
}

# --------------------------------------------------------------------------------------------
# Output formats
# --------------------------------------------------------------------------------------------

COLUMNS = {
    "economies": [
        "code",
        "iso_alpha2",
        "name",
        "iso_short_name",
        "year_joined",
        "region",
        "subregion",
        "grid_row",
        "grid_col",
        "source_url",
        "notes",
    ],
    "forums": [
        "short_name",
        "name",
        "parent",
        "is_apec_body",
        "established_year",
        "mandate",
        "source_url",
        "notes",
    ],
    "themes": ["slug", "name", "description"],
    "instruments": [
        "slug",
        "short_name",
        "title",
        "kind",
        "adopted_on",
        "adopted_precision",
        "adoption_note",
        "adopting_body",
        "forum",
        "themes",
        "summary",
        "source_url",
        "is_apec_instrument",
        "superseded_by",
        "notes",
    ],
    "commitments": [
        "instrument",
        "code",
        "title",
        "description",
        "order",
        "weight",
        "scope",
        "prerequisites",
        "target_date",
        "source_url",
        "source_note",
    ],
    "reports": [
        "economy",
        "commitment",
        "status",
        "effective_date",
        "target_date",
        "evidence",
        "source_url",
        "origin",
        "assessor",
        "assessed_on",
    ],
    "rules": ["code", "title", "text"],
    "sources": ["name", "url", "snapshot_date", "used_for", "report_count"],
    "retired": ["economy", "commitment", "status", "effective_date", "reason"],
}

STATUSES = ("implemented", "partial", "pilot", "planned", "not_implemented", "not_applicable")
PRECISIONS = ("day", "month", "year", "unknown")
CODE_RE = re.compile(r"^[A-Z0-9]+(?:-[A-Za-z0-9]+)*$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


class DataError(Exception):
    """A problem in the source data or the mapping tables: the build stops."""


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise DataError(f"missing source file: {path}")
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def parse_period(text: str) -> tuple[Date, str]:
    """'2012', '2012-05' or '2012-05-22' -> (first day of the period, precision)."""
    parts = text.split("-")
    try:
        if len(parts) == 1:
            return Date(int(parts[0]), 1, 1), "year"
        if len(parts) == 2:
            return Date(int(parts[0]), int(parts[1]), 1), "month"
        if len(parts) == 3:
            return Date.fromisoformat(text), "day"
    except ValueError:
        pass
    raise DataError(f"not a date, month or year: {text!r}")


def end_of_period(start: Date, precision: str) -> Date:
    if precision == "year":
        return Date(start.year, 12, 31)
    if precision == "month":
        following = Date(start.year + start.month // 12, start.month % 12 + 1, 1)
        return following - datetime.timedelta(days=1)
    return start


def display(start: Date, precision: str) -> str:
    if precision == "year":
        return str(start.year)
    if precision == "month":
        return f"{MONTHS[start.month - 1]} {start.year}"
    return f"{start.day} {MONTHS[start.month - 1]} {start.year}"


def mentions(text: str, start: Date, precision: str) -> bool:
    """Does the fact's text state this date at this precision? Guards the tables against typos."""
    y, m, d = start.year, MONTHS[start.month - 1], start.day
    if precision == "year":
        return re.search(rf"(?<!\d){y}(?!\d)", text) is not None
    if precision == "month":
        forms = [f"{y}-{start.month:02d}", f"{m} {y}", f"{m[:3]} {y}"]
    else:
        forms = [start.isoformat(), f"{d} {m} {y}", f"{d} {m[:3]} {y}"]
    return any(form in text for form in forms)


def sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith(".") else text + "."


def period_note(precision: str) -> str:
    if precision == "year":
        return " (source gives the year only; the last day of that year is used)"
    if precision == "month":
        return " (source gives the month only; the last day of that month is used)"
    return ""


# --------------------------------------------------------------------------------------------
# Builders
# --------------------------------------------------------------------------------------------


def build_economies(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    out = []
    for row in rows:
        code = row["iso_alpha3"]
        if code not in GRID:
            raise DataError(f"economy {code} has no tile in GRID")
        grid_row, grid_col = GRID[code]
        notes = [
            sentence(row["notes"]) if row["notes"] else "",
            f"Year joined: {row['source_url']} (corroborated by {row['corroborating_url']}).",
            f"APEC name: {row['name_source_url']}.",
            f"ISO codes, ISO short name, region and sub-region: {row['iso_source_url']} "
            f"({row['subregion_scheme']}).",
        ]
        out.append(
            {
                "code": code,
                "iso_alpha2": row["iso_alpha2"],
                "name": row["apec_name"],
                "iso_short_name": row["iso_short_name"],
                "year_joined": row["year_joined_apec"],
                "region": row["m49_region"],
                "subregion": row["subregion"],
                "grid_row": str(grid_row),
                "grid_col": str(grid_col),
                "source_url": row["source_url"],
                "notes": " ".join(n for n in notes if n),
            }
        )
    extra = set(GRID) - {r["code"] for r in out}
    if extra:
        raise DataError(f"GRID names economies not in economies.csv: {sorted(extra)}")
    return sorted(out, key=lambda r: r["code"])


def build_forums(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    out = []
    for row in rows:
        notes = [f"Confidence: {sentence(row['confidence'])}"]
        if row["established_date"]:
            notes.append(f"Established: {row['established_date']}.")
        if row["notes"]:
            notes.append(sentence(row["notes"]))
        out.append(
            {
                "short_name": row["short_name"],
                "name": row["name"],
                "parent": row["parent"],
                "is_apec_body": row["is_apec_body"],
                "established_year": row["established_year"],
                "mandate": row["mandate"],
                "source_url": row["source_url"],
                "notes": " ".join(notes),
            }
        )
    return out


def build_themes() -> list[dict[str, str]]:
    return [{"slug": s, "name": n, "description": d} for s, n, d in THEMES]


def slug_of(short_name: str) -> str:
    return short_name.lower()


def build_instruments(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    out = []
    for row in rows:
        short = row["short_name"]
        if short not in ADOPTION:
            raise DataError(f"instrument {short} has no entry in ADOPTION")
        if short not in INSTRUMENT_THEMES:
            raise DataError(f"instrument {short} has no entry in INSTRUMENT_THEMES")
        if row["overseeing_forum"] not in FORUM_MAP:
            raise DataError(
                f"instrument {short}: forum {row['overseeing_forum']!r} not in FORUM_MAP"
            )
        if row["kind"] not in KIND_MAP:
            raise DataError(f"instrument {short}: kind {row['kind']!r} not in KIND_MAP")
        adopted_on, precision, judgment = ADOPTION[short]
        if adopted_on and row["adopted_year"] and adopted_on[:4] != row["adopted_year"]:
            raise DataError(f"instrument {short}: ADOPTION year differs from the source's year")
        raw_date = row["adopted_date"] or row["adopted_year"] or "no date given"
        note = f"Source date: {raw_date} (confidence: {row['date_confidence']})."
        if judgment:
            note += " " + judgment
        body = row["adopting_body"]
        if body.startswith("unconfirmed"):
            body = ""  # the detail stays in notes
        notes = []
        if row["notes"]:
            notes.append(sentence(row["notes"]))
        forum = FORUM_MAP[row["overseeing_forum"]]
        if row["overseeing_forum"] not in ("", forum):
            if forum:
                notes.append(
                    f"Overseeing forum in the source: {row['overseeing_forum']}; {forum} used."
                )
            else:
                notes.append("Overseeing forum unconfirmed in the source: left empty.")
        if body != row["adopting_body"]:
            notes.append(f"Adopting body in the source: {row['adopting_body']}.")
        superseded = SUPERSEDED_BY.get(short, "")
        if superseded:
            notes.append(
                f"Superseded by {superseded}: the 2016 CSOM paper is titled 'Updates to APEC "
                "Privacy Framework' and DataGuidance calls the Aug 2017 text the current version."
            )
        out.append(
            {
                "slug": slug_of(short),
                "short_name": short,
                "title": row["title"],
                "kind": KIND_MAP[row["kind"]],
                "adopted_on": adopted_on,
                "adopted_precision": precision,
                "adoption_note": note,
                "adopting_body": body,
                "forum": forum,
                "themes": ";".join(INSTRUMENT_THEMES[short]),
                "summary": row["summary"],
                "source_url": row["source_url"],
                "is_apec_instrument": row["is_apec_instrument"],
                "superseded_by": slug_of(superseded) if superseded else "",
                "notes": " ".join(notes),
            }
        )
    extra = (set(ADOPTION) | set(INSTRUMENT_THEMES)) - {r["short_name"] for r in out}
    if extra:
        raise DataError(f"tables name instruments not in instruments.csv: {sorted(extra)}")
    return out


def scope_of(instrument: str, code: str) -> str:
    prefixes = COLLECTIVE_PREFIXES.get(instrument, ())
    return "collective" if code.startswith(prefixes) else "economy"


# Rule R1: what an eligibility prerequisite (commitments.csv scoring=prerequisite) says on the
# instrument's page; it is collective, so no economy is scored on it.
PREREQUISITE_NOTE = (
    "Eligibility prerequisite, met by all 21 APEC economies through membership: not a step of "
    "implementation, and not scored."
)


def build_commitments(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    out = []
    order: dict[str, int] = {}
    for row in rows:
        instrument = row["instrument_short_name"]
        order[instrument] = order.get(instrument, 0) + 1
        code = f"{instrument}-{row['code']}"
        scope = scope_of(instrument, row["code"])
        description = row["description"]
        if row["scoring"] == "prerequisite":
            scope = "collective"
            description = f"{description} {PREREQUISITE_NOTE}".strip()
        elif row["scoring"]:
            raise DataError(f"commitment {code}: unknown scoring {row['scoring']!r}")
        target = ""
        if row["target_date"]:
            # Rule R6: "2003-10" is the last day of October 2003.
            target = end_of_period(*parse_period(row["target_date"])).isoformat()
        out.append(
            {
                "instrument": slug_of(instrument),
                "code": code,
                "title": row["title"],
                "description": description,
                "order": str(order[instrument]),
                "weight": "1",
                "scope": scope,
                "prerequisites": ";".join(PREREQUISITES.get(code, [])),
                "target_date": target,
                "source_url": original(row["source_url"]),
                "source_note": row["confirmation"],
            }
        )
    return out


class ReportBuilder:
    """Collects status reports from facts, enforcing the date rules as they are added."""

    def __init__(self, facts, economies, instruments, commitments, unctad_rows=()):
        self.facts = {(f["economy_iso3"], f["instrument_or_topic"]): f for f in facts}
        if len(self.facts) != len(facts):
            raise DataError("facts.csv has two rows for the same economy and topic")
        self.used: set[tuple[str, str]] = set()
        self.economies = {e["code"]: e for e in economies}
        self.instruments = {i["short_name"]: i for i in instruments}
        self.commitments = {c["code"]: c for c in commitments}
        self.reports: dict[tuple[str, str, str], dict[str, str]] = {}
        self.unctad_rows = list(unctad_rows)

    # -- facts -------------------------------------------------------------------------------

    def fact(self, economy: str, topic: str) -> dict[str, str]:
        key = (economy, topic)
        if key not in self.facts:
            raise DataError(f"no fact for {economy} / {topic}")
        self.used.add(key)
        return self.facts[key]

    def fact_date(self, fact: dict[str, str], period: str) -> tuple[Date, str]:
        """The date as the fact gives it, checked against the fact's own text."""
        start, precision = parse_period(period)
        text = " ".join([fact["fact"], fact["date_or_year"], fact["notes"]])
        if not mentions(text, start, precision):
            raise DataError(
                f"{fact['economy_iso3']} / {fact['instrument_or_topic']}: the fact does not "
                f"state {period!r}"
            )
        return start, precision

    # -- instruments -------------------------------------------------------------------------

    def adoption(self, instrument: str) -> tuple[Date, str]:
        row = self.instruments[instrument]
        if not row["adopted_on"]:
            raise DataError(f"{instrument} has no adoption date: no report can be dated on it")
        return Date.fromisoformat(row["adopted_on"]), row["adopted_precision"]

    def adoption_end(self, instrument: str) -> Date:
        return end_of_period(*self.adoption(instrument))

    def adoption_words(self, instrument: str) -> str:
        start, precision = self.adoption(instrument)
        title = self.instruments[instrument]["title"]
        words = f"the adoption of the {title} ({display(start, precision)}"
        return words + ("; the last day of that period is used)" if precision != "day" else ")")

    def dated(self, instrument: str, start: Date, precision: str) -> tuple[Date, str]:
        """Effective date for a fact date: end of its period, never before the adoption."""
        effective = end_of_period(start, precision)
        note = period_note(precision)
        floor = self.adoption_end(instrument)
        if effective < floor:
            return floor, (
                f"{note}. The fact predates the instrument, so the effective date is "
                f"{self.adoption_words(instrument)}"
            )
        return effective, note

    # -- reports -----------------------------------------------------------------------------

    def add(
        self,
        economy,
        code,
        status,
        effective: Date,
        evidence,
        source_url,
        target="",
        *,
        origin="secretariat",
        assessor="",
        assessed_on="",
    ):
        key = (economy, code, effective.isoformat())
        # Rule R6: the commitment's own deadline, carried by a report dated on or before it.
        deadline = self.commitments[code]["target_date"]
        if not target and deadline and effective.isoformat() <= deadline:
            target = deadline
        row = {
            "economy": economy,
            "commitment": code,
            "status": status,
            "effective_date": effective.isoformat(),
            "target_date": target,
            "evidence": " ".join(original(evidence).split()),
            "source_url": original(source_url),
            "origin": origin,
            "assessor": assessor,
            "assessed_on": assessed_on,
        }
        if key in self.reports:
            if self.reports[key]["origin"] != origin:
                # Rule R5: a secretariat report on the same cell and date is kept, the
                # independent assessment dropped.
                if origin == "secretariat":
                    self.reports[key] = row
                return
            if self.reports[key]["status"] != status:
                raise DataError(f"two different statuses for {key}")
            return  # deduplicate: one report per (economy, commitment, effective date)
        self.reports[key] = row

    # -- mappings ----------------------------------------------------------------------------

    def cbpr_steps(self):
        """ECON-3a/b/c, ECON-4 and ECON-5 for the participants; ECON-5 not implemented for the
        economies absent from the cbprs.org list (ECON-3*/ECON-4 stay no data for them)."""
        for economy, dates in CBPR_PARTICIPANTS.items():
            fact = self.fact(economy, "CBPR")
            quote = f"Source: {sentence(fact['fact'])}"
            if "dates_from" in dates:
                if not {dates["dates_from"], *MIRRORS} & set(fact["notes"].split()):
                    raise DataError(f"{economy} / CBPR: the notes do not cite the dates' source")
                quote += (
                    f" Letter and JOP dates: cbprs.org documents list ({dates['dates_from']}), "
                    "as cited in the fact's notes."
                )
            if "loi" in dates:
                start, precision = self.fact_date(fact, dates["loi"])
                when = "Effective date: the letter-of-intent date."
                if "loi_note" in dates:
                    when += " " + dates["loi_note"]
            else:
                start, precision = self.fact_date(fact, dates["joined"])
                when = (
                    f"No letter-of-intent date is given; the letter precedes the JOP review, so "
                    f"the step is taken as done by the participation date, "
                    f"{display(start, precision)}{period_note(precision)}."
                )
            effective, _ = self.dated("CBPR", start, precision)
            for letter, element in (
                ("a", "confirming a CPEA-participating Privacy Enforcement Authority"),
                ("b", "committing to use an APEC-recognised Accountability Agent"),
                ("c", "describing the laws applicable to Accountability Agents"),
            ):
                evidence = (
                    f"{quote} {when} Mapping: the economy's letter of intent is taken to include "
                    f"the element the CBPR requirements ask of it ({element}); the letter itself "
                    "was not read."
                )
                self.add(
                    economy,
                    f"CBPR-ECON-3{letter}",
                    "implemented",
                    effective,
                    evidence,
                    fact["source_url"],
                )

            if "jop" in dates:
                start, precision = self.fact_date(fact, dates["jop"])
                when = f"JOP Findings Report dated {display(start, precision)}."
            else:
                start, precision = self.fact_date(fact, dates["joined"])
                when = (
                    f"No JOP Findings Report date is given; the participation date, "
                    f"{display(start, precision)}{period_note(precision)}, is taken as the end "
                    "of the JOP review."
                )
            effective, _ = self.dated("CBPR", start, precision)
            self.add(
                economy,
                "CBPR-ECON-4",
                "implemented",
                effective,
                f"{quote} {when} Mapping: the enforcement map is part of the application the JOP "
                "reviews, so it is taken as completed by the date of the JOP findings "
                "(judgment; the map itself was not read).",
                fact["source_url"],
            )
            self.add(
                economy,
                "CBPR-ECON-5",
                "implemented",
                effective,
                f"{quote} {when}",
                fact["source_url"],
            )

        for (economy, topic), fact in sorted(self.facts.items()):
            if topic == "CBPR" and fact["status"] == "not participating":
                self.fact(economy, topic)
                self.add(
                    economy,
                    "CBPR-ECON-5",
                    "not_implemented",
                    self.adoption_end("CBPR"),
                    f"Source: {sentence(fact['fact'])} The list's snapshot date is unknown, so "
                    f"the economy is recorded as not participating from "
                    f"{self.adoption_words('CBPR')}. Absence from the list does not show whether "
                    "a letter of intent was sent, so the earlier steps are left as no data.",
                    fact["source_url"],
                )

    def cpea(self):
        """ECON-2 (participate in CPEA) from the CPEA facts."""
        for (economy, topic), fact in sorted(self.facts.items()):
            if topic != "CPEA":
                continue
            quote = f"Source: {sentence(fact['fact'])}"
            if fact["status"] == "not participating":
                self.fact(economy, topic)
                self.add(
                    economy,
                    "CBPR-ECON-2",
                    "not_implemented",
                    self.adoption_end("CBPR"),
                    f"{quote} The list's snapshot date is unknown, so the economy is recorded as "
                    f"not participating from {self.adoption_words('CBPR')}: the later of the CPEA "
                    "launch (16 July 2010) and the adoption of the CBPR System, to which this "
                    "commitment belongs.",
                    fact["source_url"],
                )
            elif economy in CPEA_DATES:
                self.fact(economy, topic)
                start, precision = self.fact_date(fact, CPEA_DATES[economy])
                effective, note = self.dated("CBPR", start, precision)
                extra = ""
                if economy == "PHL":
                    extra = " The source gives 2017; the report dated 6 December 2017 is used."
                self.add(
                    economy,
                    "CBPR-ECON-2",
                    "implemented",
                    effective,
                    f"{quote} Participating as of {display(start, precision)}{note}.{extra}",
                    fact["source_url"],
                )
            elif economy in CPEA_UNDATED:
                self.fact(economy, topic)
                if economy not in CBPR_PARTICIPANTS:
                    raise DataError(f"{economy}: undated CPEA fact without CBPR participation")
                cbpr = self.fact(economy, "CBPR")
                dates = CBPR_PARTICIPANTS[economy]
                period = dates.get("loi") or dates["joined"]
                start, precision = self.fact_date(cbpr, period)
                effective, note = self.dated("CBPR", start, precision)
                step = "letter of intent" if "loi" in dates else "CBPR participation"
                self.add(
                    economy,
                    "CBPR-ECON-2",
                    "implemented",
                    effective,
                    f"{quote} The join date is not given. Inference: the CBPR letter of intent "
                    "must confirm a CPEA-participating Privacy Enforcement Authority, so CPEA "
                    f"participation is taken to hold by the date of the economy's {step}, "
                    f"{display(start, precision)}{note} (CBPR fact: {sentence(cbpr['fact'])})",
                    fact["source_url"],
                )
            else:
                raise DataError(f"CPEA fact for {economy} is not covered by a table")

    def privacy_laws(self):
        """PRIVACY-FW P1..P9 from the comprehensive data-protection law facts."""
        principles = [c for c in self.commitments.values() if c["instrument"] == "privacy-fw"]
        for economy, series in PRIVACY_LAW.items():
            for topic, status, period, target, note in series:
                fact = self.fact(economy, topic)
                quote = f"Source: {sentence(fact['fact'])}"
                if period:
                    start, precision = self.fact_date(fact, period)
                    effective, when = self.dated("PRIVACY-FW", start, precision)
                    when = f"Effective date: {display(start, precision)}{when}."
                else:
                    effective = self.adoption_end("PRIVACY-FW")
                    when = f"Effective date: {self.adoption_words('PRIVACY-FW')}."
                if target:
                    target_start, _ = self.fact_date(fact, target)
                    target = target_start.isoformat()
                for principle in principles:
                    title = f"{principle['code'].split('-')[-1]} {principle['title']}"
                    # A note with {title} states the mapping itself (partial, planned, or a
                    # second step); otherwise the standard mapping sentence follows the note.
                    if "{title}" in note:
                        mapping = note.format(title=title)
                    else:
                        mapping = f"{note} {MAPPING_LAW.format(title=title)}".strip()
                    self.add(
                        economy,
                        principle["code"],
                        status,
                        effective,
                        f"{quote} {when} {mapping}",
                        fact["source_url"],
                        target,
                    )

    def e_transactions(self):
        """BLUEPRINT-EC GOV-3 from the UNCITRAL MLEC-based e-transactions law facts."""
        for economy, (status, period, note) in ETL.items():
            fact = self.fact(economy, "Electronic transactions law (UNCITRAL MLEC-based)")
            start, precision = self.fact_date(fact, period)
            effective, when = self.dated("BLUEPRINT-EC", start, precision)
            mapping = note if note.startswith("Mapping:") else f"{note} {MAPPING_ETL}".strip()
            self.add(
                economy,
                "BLUEPRINT-EC-GOV-3",
                status,
                effective,
                f"Source: {sentence(fact['fact'])} UNCITRAL status entry: "
                f"{fact['date_or_year']}. Effective date: {display(start, precision)}{when}. "
                f"{mapping}",
                fact["source_url"],
            )

    def global_cbpr(self):
        """GLOBAL-CBPR MEM-1 (Forum members) and MEM-3 (Forum-recognised Accountability Agents)."""
        for economy, period in GCBPR_MEMBERS.items():
            fact = self.fact(economy, "Global CBPR Forum")
            start, precision = self.fact_date(fact, period)
            effective, when = self.dated("GLOBAL-CBPR", start, precision)
            self.add(
                economy,
                "GLOBAL-CBPR-MEM-1",
                "implemented",
                effective,
                f"Source: {sentence(fact['fact'])} Member as of {display(start, precision)}"
                f"{when}. Mapping: membership of the Global CBPR Forum is taken as meeting this "
                "membership criterion (concurring with the Declaration).",
                fact["source_url"],
            )
        mapping = (
            "Mapping: an Accountability Agent in the economy recognised by the Global CBPR Forum "
            "is taken as meeting the first branch of this criterion (use a Forum-recognised "
            "Accountability Agent); the enforcement explanation was not checked."
        )
        for (economy, topic), period in GCBPR_AGENTS.items():
            fact = self.fact(economy, topic)
            start, precision = self.fact_date(fact, period)
            effective, when = self.dated("GLOBAL-CBPR", start, precision)
            self.add(
                economy,
                "GLOBAL-CBPR-MEM-3",
                "implemented",
                effective,
                f"Source: {sentence(fact['fact'])} Approved {display(start, precision)}{when}. "
                f"{mapping}",
                fact["source_url"],
            )
        for economy, (topic, period, url) in GCBPR_AGENT_FROM_NOTE.items():
            fact = self.fact(economy, topic)
            if url not in fact["notes"]:
                raise DataError(f"{economy} / {topic}: the note does not cite {url}")
            others = [f for f in self.facts.values() if f["source_url"] == url]
            if not any(f["date_or_year"] == period for f in others):
                raise DataError(f"no fact dates the announcement {url} as {period}")
            self.add(
                economy,
                "GLOBAL-CBPR-MEM-3",
                "implemented",
                Date.fromisoformat(period),
                f"Source: the note to the fact '{fact['fact']}' reads '{fact['notes']}'. "
                f"The cited announcement is the Global CBPR Forum's list of "
                f"{display(*parse_period(period))} (the date the USA and Korea rows give for it). "
                f"{mapping}",
                url,
            )

    def strategies(self):
        """AIDER KFA-04 from the national digital-economy strategies (rule R4)."""
        for (economy, topic), fact in sorted(self.facts.items()):
            if topic != STRATEGY_TOPIC:
                continue
            self.fact(economy, topic)
            start, precision = self.fact_date(fact, fact["date_or_year"])
            effective, when = self.dated("AIDER", start, precision)
            said = " ".join(STRATEGY_NOTE_SENTENCES.findall(fact["notes"]))
            self.add(
                economy,
                STRATEGY_COMMITMENT,
                "implemented",
                effective,
                f"Source: {sentence(fact['fact'])} Adopted {display(start, precision)}{when}. "
                f"{said} {MAPPING_STRATEGY}",
                fact["source_url"],
            )

    def unctad(self):
        """Reports of origin independent from UNCTAD's Global Cyberlaw Tracker (rule R5)."""
        gov3 = {
            r["economy"]: Date.fromisoformat(r["effective_date"])
            for r in sorted(self.reports.values(), key=lambda r: r["effective_date"], reverse=True)
            if r["commitment"] == "BLUEPRINT-EC-GOV-3" and r["status"] == "implemented"
        }
        for row in self.unctad_rows:
            if row["economy"] not in self.economies:
                raise DataError(f"{UNCTAD_FILE}: unknown economy {row['economy']}")
            if row["area"] not in unctad.AREAS:
                raise DataError(f"{UNCTAD_FILE}: unknown area {row['area']}")
            if row["unctad_status"] not in (*unctad.WORDS, unctad.NOT_COVERED):
                raise DataError(f"{UNCTAD_FILE}: unknown status {row['unctad_status']!r}")
            entry = unctad.Entry(
                economy=row["economy"],
                area=row["area"],
                word=row["unctad_status"],
                titles=tuple(row["law_titles"].split(";")) if row["law_titles"] else (),
                urls=tuple(row["law_urls"].split(";")) if row["law_urls"] else (),
            )
            code = unctad.commitment_for(entry.area)
            floor = None
            if code is not None:
                floor = self.adoption_end(self.commitments[code]["instrument"].upper())
            snapshot = Date.fromisoformat(row["snapshot_date"])
            mapped = unctad.map_entry(
                entry,
                snapshot=snapshot,
                caveat=row["notes"],
                dated_from=gov3.get(entry.economy),
                floor=floor,
            )
            if mapped is None:
                continue
            self.add(
                mapped.economy,
                mapped.commitment,
                mapped.status,
                mapped.effective_date,
                mapped.evidence,
                row["source_url"],
                origin=unctad.ORIGIN,
                assessor=unctad.ASSESSOR,
                assessed_on=snapshot.isoformat(),
            )

    def build(self) -> list[dict[str, str]]:
        self.cbpr_steps()
        self.cpea()
        self.privacy_laws()
        self.e_transactions()
        self.global_cbpr()
        self.strategies()
        self.unctad()
        skipped = set(SKIPPED_FACTS)
        missing = set(self.facts) - self.used - skipped
        if missing:
            raise DataError(f"facts neither mapped nor listed in SKIPPED_FACTS: {sorted(missing)}")
        both = self.used & skipped
        if both:
            raise DataError(f"facts both mapped and listed in SKIPPED_FACTS: {sorted(both)}")
        unknown = skipped - set(self.facts)
        if unknown:
            raise DataError(f"SKIPPED_FACTS names facts not in facts.csv: {sorted(unknown)}")
        return list(self.reports.values())


def source_key(url: str) -> str:
    """The source a report's address belongs to: its host without "www.", or for GitHub the
    repository (a dataset published there)."""
    parts = urllib.parse.urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    if host == "github.com":
        return "github.com/" + "/".join(parts.path.strip("/").split("/")[:2])
    return host


def build_sources(reports, commitments) -> list[dict[str, str]]:
    by_key: dict[str, list[dict[str, str]]] = {}
    for report in reports:
        by_key.setdefault(source_key(report["source_url"]), []).append(report)
    unnamed = sorted(set(by_key) - set(SOURCE_NAMES))
    if unnamed:
        raise DataError(f"sources without a name in SOURCE_NAMES: {unnamed}")
    out = []
    for key, cited in sorted(by_key.items(), key=lambda item: (-len(item[1]), item[0])):
        name, snapshot = SOURCE_NAMES[key]
        first = urllib.parse.urlsplit(min(r["source_url"] for r in cited))
        url = f"{first.scheme}://{first.netloc}/"
        if key.startswith("github.com/"):
            url = f"https://{key}"
        instruments = sorted({commitments[r["commitment"]]["instrument"] for r in cited})
        out.append(
            {
                "name": name,
                "url": url,
                "snapshot_date": snapshot,
                "used_for": ";".join(instruments),
                "report_count": str(len(cited)),
            }
        )
    extra = set(SOURCE_NAMES) - set(by_key)
    if extra:
        raise DataError(f"SOURCE_NAMES names sources no report cites: {sorted(extra)}")
    return out


def build_rules() -> list[dict[str, str]]:
    return [{"code": c, "title": t, "text": x} for c, t, x in RULES]


def build_retired(economies) -> list[dict[str, str]]:
    out = []
    for economy, commitment, status, effective, reason in RETIRED:
        for code in sorted(economies) if economy == "*" else [economy]:
            out.append(
                {
                    "economy": code,
                    "commitment": commitment,
                    "status": status,
                    "effective_date": effective,
                    "reason": reason,
                }
            )
    return out


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


def validate(data: dict[str, list[dict[str, str]]]) -> list[str]:
    errors: list[str] = []
    economies = {e["code"]: e for e in data["economies"]}
    forums = {f["short_name"]: f for f in data["forums"]}
    themes = {t["slug"] for t in data["themes"]}
    instruments = {i["slug"]: i for i in data["instruments"]}
    commitments = {c["code"]: c for c in data["commitments"]}

    for name, rows in data.items():
        for number, row in enumerate(rows, start=2):
            if list(row) != COLUMNS[name]:
                errors.append(f"{name}.csv line {number}: columns differ from the format")

    def unique(name, rows, key):
        seen = set()
        for row in rows:
            value = key(row)
            if value in seen:
                errors.append(f"{name}.csv: duplicate {value}")
            seen.add(value)

    unique("economies", data["economies"], lambda r: r["code"])
    unique("economies", data["economies"], lambda r: r["iso_alpha2"])
    unique("economies", data["economies"], lambda r: r["name"])
    unique("economies", data["economies"], lambda r: (r["grid_row"], r["grid_col"]))
    unique("forums", data["forums"], lambda r: r["short_name"])
    unique("themes", data["themes"], lambda r: r["slug"])
    unique("instruments", data["instruments"], lambda r: r["slug"])
    unique("instruments", data["instruments"], lambda r: r["short_name"])
    unique("commitments", data["commitments"], lambda r: r["code"])
    unique(
        "reports",
        data["reports"],
        lambda r: (r["economy"], r["commitment"], r["effective_date"]),
    )

    for e in data["economies"]:
        if not (
            re.fullmatch(r"[A-Z]{3}", e["code"]) and re.fullmatch(r"[A-Z]{2}", e["iso_alpha2"])
        ):
            errors.append(f"economy {e['code']}: bad ISO code")
        if not 1989 <= int(e["year_joined"]) <= 2100:
            errors.append(f"economy {e['code']}: year joined out of range")
        row, col = int(e["grid_row"]), int(e["grid_col"])
        if not (0 <= row <= GRID_MAX_ROW and 0 <= col <= GRID_MAX_COL):
            errors.append(f"economy {e['code']}: tile outside the grid")
    if len(economies) != 21:
        errors.append(f"expected 21 economies, found {len(economies)}")

    for f in data["forums"]:
        if f["parent"] and f["parent"] not in forums:
            errors.append(f"forum {f['short_name']}: unknown parent {f['parent']}")
        if f["is_apec_body"] not in ("yes", "no"):
            errors.append(f"forum {f['short_name']}: is_apec_body must be yes/no")
        if f["established_year"] and not f["established_year"].isdigit():
            errors.append(f"forum {f['short_name']}: established_year is not a year")
        seen, node = set(), f
        while node["parent"] and node["parent"] in forums:
            if node["short_name"] in seen:
                errors.append(f"forum {f['short_name']}: parent cycle")
                break
            seen.add(node["short_name"])
            node = forums[node["parent"]]

    for i in data["instruments"]:
        slug = i["slug"]
        if not SLUG_RE.fullmatch(slug):
            errors.append(f"instrument {slug}: bad slug")
        if i["kind"] not in KIND_MAP.values():
            errors.append(f"instrument {slug}: bad kind {i['kind']}")
        if i["adopted_precision"] not in PRECISIONS:
            errors.append(f"instrument {slug}: bad precision")
        if bool(i["adopted_on"]) == (i["adopted_precision"] == "unknown"):
            errors.append(f"instrument {slug}: adopted_on and precision disagree")
        if i["adopted_on"]:
            try:
                start = Date.fromisoformat(i["adopted_on"])
                if i["adopted_precision"] in ("month", "year") and start.day != 1:
                    errors.append(f"instrument {slug}: not the first day of the period")
                if i["adopted_precision"] == "year" and start.month != 1:
                    errors.append(f"instrument {slug}: not the first day of the year")
            except ValueError:
                errors.append(f"instrument {slug}: bad date {i['adopted_on']}")
        if i["forum"] and i["forum"] not in forums:
            errors.append(f"instrument {slug}: unknown forum {i['forum']}")
        for theme in filter(None, i["themes"].split(";")):
            if theme not in themes:
                errors.append(f"instrument {slug}: unknown theme {theme}")
        if i["superseded_by"] and i["superseded_by"] not in instruments:
            errors.append(f"instrument {slug}: unknown superseded_by {i['superseded_by']}")
        if i["superseded_by"] == slug:
            errors.append(f"instrument {slug}: supersedes itself")
        if i["is_apec_instrument"] not in ("yes", "no"):
            errors.append(f"instrument {slug}: is_apec_instrument must be yes/no")
        if len(i["adoption_note"]) > 500 or len(i["short_name"]) > 40 or len(i["title"]) > 300:
            errors.append(f"instrument {slug}: a field is longer than the model allows")

    for c in data["commitments"]:
        code = c["code"]
        if not CODE_RE.fullmatch(code) or len(code) > 60:
            errors.append(f"commitment {code}: bad code")
        if c["instrument"] not in instruments:
            errors.append(f"commitment {code}: unknown instrument {c['instrument']}")
        if c["scope"] not in ("economy", "collective"):
            errors.append(f"commitment {code}: bad scope")
        for prerequisite in filter(None, c["prerequisites"].split(";")):
            if prerequisite not in commitments or prerequisite == code:
                errors.append(f"commitment {code}: bad prerequisite {prerequisite}")
        if len(c["title"]) > 300 or len(c["source_note"]) > 300:
            errors.append(f"commitment {code}: a field is longer than the model allows")
        if not c["order"].isdigit() or float(c["weight"]) <= 0:
            errors.append(f"commitment {code}: bad order or weight")

    first_implemented: dict[tuple[str, str], Date] = {}
    for r in data["reports"]:
        label = f"report {r['economy']} {r['commitment']} {r['effective_date']}"
        if r["economy"] not in economies:
            errors.append(f"{label}: unknown economy")
        commitment = commitments.get(r["commitment"])
        if commitment is None:
            errors.append(f"{label}: unknown commitment")
            continue
        if commitment["scope"] != "economy":
            errors.append(f"{label}: commitment is collective")
        if r["status"] not in STATUSES:
            errors.append(f"{label}: status {r['status']} not on the scale")
        if r["origin"] == "secretariat":
            if r["assessor"] or r["assessed_on"]:
                errors.append(f"{label}: secretariat research has no assessor or snapshot date")
        elif r["origin"] == "independent":
            if not (r["assessor"] and r["assessed_on"]):
                errors.append(f"{label}: an independent assessment names its assessor and date")
        else:
            errors.append(f"{label}: origin must be secretariat or independent")
        if not r["source_url"].startswith(("http://", "https://")) or not r["evidence"]:
            errors.append(f"{label}: missing source or evidence")
        try:
            effective = Date.fromisoformat(r["effective_date"])
            target = Date.fromisoformat(r["target_date"]) if r["target_date"] else None
        except ValueError:
            errors.append(f"{label}: bad date")
            continue
        if target is not None and target < effective:
            errors.append(f"{label}: target date before effective date")
        instrument = instruments[commitment["instrument"]]
        if instrument["adopted_on"]:
            adopted = Date.fromisoformat(instrument["adopted_on"])
            if effective < end_of_period(adopted, instrument["adopted_precision"]):
                errors.append(f"{label}: effective before the instrument's adoption")
        if r["status"] == "implemented":
            key = (r["economy"], r["commitment"])
            first_implemented[key] = min(effective, first_implemented.get(key, effective))

    for c in data["commitments"]:
        if c["target_date"]:
            try:
                Date.fromisoformat(c["target_date"])
            except ValueError:
                errors.append(f"commitment {c['code']}: bad target date")

    current = {
        (r["economy"], r["commitment"], r["status"], r["effective_date"]) for r in data["reports"]
    }
    for r in data["retired"]:
        key = (r["economy"], r["commitment"], r["status"], r["effective_date"])
        if key in current:
            errors.append(f"retired report {key} is made again by the current rules")
        if r["economy"] not in economies or r["commitment"] not in commitments or not r["reason"]:
            errors.append(f"retired report {key}: unknown economy or commitment, or no reason")

    sources = data["sources"]
    covered = {source_key(s["url"]) for s in sources}
    for r in data["reports"]:
        if source_key(r["source_url"]) not in covered:
            errors.append(f"report source {r['source_url']} has no sources.csv row")
    if sum(int(s["report_count"]) for s in sources) != len(data["reports"]):
        errors.append("sources.csv report counts do not add up to the reports")

    for name, rows in data.items():
        for row in rows:
            for value in row.values():
                if any(host in value for host in MIRROR_HOSTS):
                    errors.append(f"{name}.csv cites a mirror: {value[:80]}")

    # A pipeline step is never implemented before the steps it depends on.
    for (economy, code), when in first_implemented.items():
        for prerequisite in filter(None, commitments[code]["prerequisites"].split(";")):
            before = first_implemented.get((economy, prerequisite))
            if before is None or before > when:
                errors.append(f"{economy} {code} implemented before prerequisite {prerequisite}")
    return errors


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str]) -> int:
    if len(argv) > 2:
        print("usage: build_reference_data.py [SHARED_DATA_DIR]", file=sys.stderr)
        return 2
    source = Path(argv[1]) if len(argv) == 2 else DEFAULT_SOURCE_DIR
    try:
        src = {
            name: read_csv(source / f"{name}.csv")
            for name in ("economies", "forums", "instruments", "commitments", "facts")
        }
        src["unctad"] = read_csv(source / UNCTAD_FILE)
        data = {
            "economies": build_economies(src["economies"]),
            "forums": build_forums(src["forums"]),
            "themes": build_themes(),
            "instruments": build_instruments(src["instruments"]),
            "commitments": build_commitments(src["commitments"]),
        }
        builder = ReportBuilder(
            src["facts"], data["economies"], data["instruments"], data["commitments"], src["unctad"]
        )
        instrument_rank = {i["slug"]: n for n, i in enumerate(data["instruments"])}
        commitments = {c["code"]: c for c in data["commitments"]}
        data["reports"] = sorted(
            builder.build(),
            key=lambda r: (
                r["economy"],
                instrument_rank[commitments[r["commitment"]]["instrument"]],
                int(commitments[r["commitment"]]["order"]),
                r["effective_date"],
            ),
        )
        data["rules"] = build_rules()
        data["sources"] = build_sources(data["reports"], commitments)
        data["retired"] = build_retired({e["code"] for e in data["economies"]})
    except DataError as error:
        print(f"build_reference_data: {error}", file=sys.stderr)
        return 1

    errors = validate(data)
    if errors:
        print("build_reference_data: validation failed, nothing written:", file=sys.stderr)
        for error in errors:
            print(f"  - {error}", file=sys.stderr)
        return 1

    OUT_DIR.mkdir(exist_ok=True)
    for name, rows in data.items():
        write_csv(OUT_DIR / f"{name}.csv", COLUMNS[name], rows)
        print(f"{name}.csv: {len(rows)} rows")
    for (economy, topic), (kind, reason) in sorted(SKIPPED_FACTS.items()):
        print(f"{kind}: {economy} / {topic}: {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
