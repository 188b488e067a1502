#!/usr/bin/env python
"""Generate N synthetic articles in the archive's native layout, for benchmarks.

    .venv/bin/python bench/generate_corpus.py --n 100000 --out /tmp/gen100k.tar.gz --seed 1
    .venv/bin/python bench/generate_corpus.py --n 5000 --out /tmp/gen5k        # a folder
    .venv/bin/python bench/generate_corpus.py --n 5000 --out /tmp/gen5k.zip

Each file looks like DESIGN.md "Input files": a breadcrumb (``News   /   Russia``), a
headline, most of the time a photo caption ending in a credit and stating the day ("... in
Moscow on March 3, 2019. (Via AFP)"), body paragraphs with subheadings, the body naming the
same weekday ("On Sunday, ..."), then a site footer (several variants, sometimes none).

What makes it useful for measuring a news archive at scale:

- sections form a tree with a few big sections and a long tail;
- dates spread over 2010-2025, more of them in recent years;
- a cast of several thousand invented people, each with a role word ("Foreign Minister",
  "spokesman", "striker") and a country; people, countries and cities are drawn from Zipf
  distributions, so a few are in a large share of the articles and most are rare; surnames
  come back later in the text alone ("Kovaren said");
- lengths vary from 100 to 1,500 words (log-normal, median about 420);
- word frequencies are skewed too: nouns are drawn Zipf-wise from word lists, and a long
  tail of invented landmark names ("the Velmorin Dam") gives genuinely rare search terms.

All text comes from the templates and word lists in this file (real country and city names
are facts, not corpus text). Same ``--seed`` and ``--n``, same bytes: every shard of 1,000
articles has its own random stream, so the output does not depend on ``--workers``.

Output: a folder (one subfolder per 1,000 articles: ``0000/000_<16 hex>.txt``), or, when
``--out`` ends in ``.tar.gz`` / ``.tgz`` / ``.zip``, one archive written as a stream, in
constant memory. Shards are generated in worker processes; the main process only writes.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import gzip
import io
import itertools
import math
import multiprocessing
import os
import random
import re
import sys
import tarfile
import time
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

SHARD = 1000
FIRST_DAY = dt.date(2010, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)
MIN_WORDS, MAX_WORDS, MEDIAN_WORDS = 100, 1500, 420
# A fixed modification time in archives, so the same seed gives the same bytes.
ARCHIVE_MTIME = 1_700_000_000


def _words(text: str) -> list[str]:
    """A word list written as one string, for brevity."""
    return text.split()


def _items(text: str) -> list[str]:
    """A list of phrases written as one "|"-separated string."""
    return [item.strip() for item in text.split("|") if item.strip()]


# --- word lists --------------------------------------------------------------------------------

# name | adjective | region | cities. Roughly in order of how often a Middle East-centred
# international news site names them; the order is the Zipf rank.
COUNTRIES = """
Iran|Iranian|ME|Tehran,Mashhad,Isfahan,Tabriz,Shiraz
the United States|American|AM|Washington,New York,Los Angeles,Chicago,Houston
Russia|Russian|EU|Moscow,Saint Petersburg,Kazan,Novosibirsk
Israel|Israeli|ME|Tel Aviv,Haifa
Syria|Syrian|ME|Damascus,Aleppo,Homs,Latakia
Ukraine|Ukrainian|EU|Kyiv,Kharkiv,Odesa,Lviv
China|Chinese|AS|Beijing,Shanghai,Wuhan,Shenzhen,Guangzhou
Iraq|Iraqi|ME|Baghdad,Basra,Mosul,Erbil
Lebanon|Lebanese|ME|Beirut,Sidon,Baalbek
Yemen|Yemeni|ME|Sanaa,Aden
Saudi Arabia|Saudi|ME|Riyadh,Jeddah,Mecca
Turkey|Turkish|ME|Ankara,Istanbul,Izmir
Afghanistan|Afghan|AS|Kabul,Kandahar,Herat
Pakistan|Pakistani|AS|Islamabad,Karachi,Lahore,Peshawar
Britain|British|EU|London,Manchester,Birmingham,Glasgow
France|French|EU|Paris,Marseille,Lyon
Germany|German|EU|Berlin,Munich,Hamburg,Frankfurt
Palestine|Palestinian|ME|Ramallah,Jenin,Nablus
Egypt|Egyptian|AF|Cairo,Alexandria
India|Indian|AS|New Delhi,Mumbai,Kolkata,Chennai
Venezuela|Venezuelan|AM|Caracas,Maracaibo
North Korea|North Korean|AS|Pyongyang
South Korea|South Korean|AS|Seoul,Busan
Japan|Japanese|AS|Tokyo,Osaka
Qatar|Qatari|ME|Doha
Bahrain|Bahraini|ME|Manama
the United Arab Emirates|Emirati|ME|Abu Dhabi,Dubai
Libya|Libyan|AF|Tripoli,Benghazi,Misrata
Italy|Italian|EU|Rome,Milan,Naples
Spain|Spanish|EU|Madrid,Barcelona,Seville
Azerbaijan|Azerbaijani|EU|Baku
Armenia|Armenian|EU|Yerevan
Belarus|Belarusian|EU|Minsk
Poland|Polish|EU|Warsaw,Krakow
Cuba|Cuban|AM|Havana
Brazil|Brazilian|AM|Brasilia,Sao Paulo,Rio de Janeiro
Mexico|Mexican|AM|Mexico City,Guadalajara,Monterrey
Canada|Canadian|AM|Ottawa,Toronto,Montreal,Vancouver
Oman|Omani|ME|Muscat
Kuwait|Kuwaiti|ME|Kuwait City
Sudan|Sudanese|AF|Khartoum,Omdurman
Somalia|Somali|AF|Mogadishu
Nigeria|Nigerian|AF|Abuja,Lagos,Kano
Ethiopia|Ethiopian|AF|Addis Ababa
South Africa|South African|AF|Pretoria,Johannesburg,Cape Town,Durban
Kenya|Kenyan|AF|Nairobi,Mombasa
Algeria|Algerian|AF|Algiers,Oran
Tunisia|Tunisian|AF|Tunis
Morocco|Moroccan|AF|Rabat,Casablanca
Kazakhstan|Kazakh|AS|Astana,Almaty
Uzbekistan|Uzbek|AS|Tashkent,Samarkand
Tajikistan|Tajik|AS|Dushanbe
Indonesia|Indonesian|AS|Jakarta,Surabaya
Malaysia|Malaysian|AS|Kuala Lumpur
the Philippines|Filipino|AS|Manila
Vietnam|Vietnamese|AS|Hanoi,Ho Chi Minh City
Thailand|Thai|AS|Bangkok
Bangladesh|Bangladeshi|AS|Dhaka,Chittagong
Sri Lanka|Sri Lankan|AS|Colombo
Australia|Australian|AS|Canberra,Sydney,Melbourne
the Netherlands|Dutch|EU|Amsterdam,Rotterdam
Belgium|Belgian|EU|Brussels,Antwerp
Sweden|Swedish|EU|Stockholm,Gothenburg
Norway|Norwegian|EU|Oslo,Bergen
Denmark|Danish|EU|Copenhagen
Finland|Finnish|EU|Helsinki
Austria|Austrian|EU|Vienna
Switzerland|Swiss|EU|Geneva,Zurich
Greece|Greek|EU|Athens,Thessaloniki
Serbia|Serbian|EU|Belgrade
Hungary|Hungarian|EU|Budapest
Romania|Romanian|EU|Bucharest
the Czech Republic|Czech|EU|Prague
Ireland|Irish|EU|Dublin
Portugal|Portuguese|EU|Lisbon,Porto
Argentina|Argentine|AM|Buenos Aires
Chile|Chilean|AM|Valparaiso
Colombia|Colombian|AM|Bogota,Medellin
Peru|Peruvian|AM|Lima
Bolivia|Bolivian|AM|La Paz
Ecuador|Ecuadorian|AM|Quito,Guayaquil
Nicaragua|Nicaraguan|AM|Managua
Ghana|Ghanaian|AF|Accra,Kumasi
Senegal|Senegalese|AF|Dakar
Mali|Malian|AF|Bamako
Zimbabwe|Zimbabwean|AF|Harare
Uganda|Ugandan|AF|Kampala
Tanzania|Tanzanian|AF|Dar es Salaam
Cyprus|Cypriot|EU|Nicosia
Iceland|Icelandic|EU|Reykjavik
New Zealand|New Zealand|AS|Wellington,Auckland
Mongolia|Mongolian|AS|Ulaanbaatar
Nepal|Nepalese|AS|Kathmandu
Turkmenistan|Turkmen|AS|Ashgabat
Kyrgyzstan|Kyrgyz|AS|Bishkek
Lithuania|Lithuanian|EU|Vilnius
Latvia|Latvian|EU|Riga
Estonia|Estonian|EU|Tallinn
Slovakia|Slovak|EU|Bratislava
Croatia|Croatian|EU|Zagreb
Bulgaria|Bulgarian|EU|Plovdiv
Uruguay|Uruguayan|AM|Montevideo
Paraguay|Paraguayan|AM|Asuncion
Haiti|Haitian|AM|Port-au-Prince
Angola|Angolan|AF|Luanda
Mozambique|Mozambican|AF|Maputo
Cameroon|Cameroonian|AF|Yaounde,Douala
Rwanda|Rwandan|AF|Kigali
Eritrea|Eritrean|AF|Asmara
"""

# (breadcrumb, domain, region code or country name or ""), most read first: the Zipf rank.
SECTIONS: list[tuple[str, str, str]] = [
    ("News / Middle East", "politics", "ME"),
    ("News / Iran", "politics", "Iran"),
    ("News / US", "politics", "the United States"),
    ("News / Europe", "politics", "EU"),
    ("News / Middle East / Palestine", "politics", "Palestine"),
    ("News / Russia", "politics", "Russia"),
    ("News / Asia-Pacific", "politics", "AS"),
    ("News / Middle East / Syria", "politics", "Syria"),
    ("Business / Economy", "business", ""),
    ("News / Africa", "politics", "AF"),
    ("News / UK", "politics", "Britain"),
    ("Sport / Football", "sport", ""),
    ("News / Americas", "politics", "AM"),
    ("News / Middle East / Yemen", "politics", "Yemen"),
    ("News / Europe / Ukraine", "politics", "Ukraine"),
    ("Business / Energy", "business", ""),
    ("News / Middle East / Lebanon", "politics", "Lebanon"),
    ("Culture / Film", "culture", ""),
    ("News / Middle East / Iraq", "politics", "Iraq"),
    ("Science / Health", "science", ""),
    ("News / Asia-Pacific / China", "politics", "China"),
    ("Sport", "sport", ""),
    ("Business / Markets", "business", ""),
    ("Opinion", "politics", ""),
    ("News / Americas / Latin America", "politics", "AM"),
    ("Sport / Tennis", "sport", ""),
    ("Science / Space", "science", ""),
    ("Culture / Books", "culture", ""),
    ("News / Asia-Pacific / Afghanistan", "politics", "Afghanistan"),
    ("Business / Trade", "business", ""),
    ("Culture / Music", "culture", ""),
    ("Science / Climate", "science", ""),
    ("Sport / Athletics", "sport", ""),
    ("Opinion / Letters", "politics", ""),
    ("Culture", "culture", ""),
    ("Science / Technology", "science", ""),
    ("Sport / Wrestling", "sport", ""),
    ("Interviews", "politics", ""),
    ("Culture / Heritage", "culture", ""),
    ("News / Africa / Sahel", "politics", "AF"),
    ("Business / Agriculture", "business", ""),
    ("Sport / Volleyball", "sport", ""),
]

# First names checked against the place gazetteer (no "Sofia", "Milan", "Florence").
FIRST_NAMES = _words("""
Aaron Abbas Adnan Agnes Aida Alan Albert Aleksei Alina Amal Amir Ana Andrei Anita Ansel Arash
Arjun Arturo Asel Aziz Beatriz Bilal Bogdan Boris Camila Carl Celine Chen Chiara Clara Dalia
Damir Daniel Darius Dina Dmitri Edith Eduardo Elif Elias Emil Emre Erik Esra Ewa Farid Felix
Gabriel Galina Gustav Hana Helga Hiro Hugo Ibrahim Ida Igor Ilse Ines Ingrid Ismail Ivan Jamal
Jana Javier Jonas Jorge Karim Kenji Leila Lina Luis Magnus Mahmoud Malik Mariam Marta Mateo
Mehdi Mei Mina Mira Mohsen Nikolai Nina Noor Olga Omar Oscar Otto Pablo Parisa Pavel Petra Priya
Rafael Rami Reza Rosa Ruth Saeed Salma Samir Sara Selim Sergei Soraya Stefan Tamar Tariq Tomas
Ulla Viktor Walid Wei Yasmin Yusuf Zainab Zoran Zhang Laszlo Greta Anouk Bjorn Dariusz Femi
Kwame Thabo Nomvula Tendai Oluwaseun Chidi Ayesha Imran Farhan Rohan Anil Kavita Sunita Thanh
Minh Hoang Somchai Siti Kofi Abebe Tesfaye
""")

# Surnames are invented: onset + vowel + middle + ending, checked against the gazetteer.
_SUR_ONSETS = _words("B Br D Dr F G Gr H K Kr L M N P R S St T Tr V Z Ch Sh Al El Or Ar")
_SUR_VOWELS = _words("a e i o u ai ei ou ae")
_SUR_MIDDLES = _words("n r l s k m nd rk lt v sh d t g nt rv ld st")
_SUR_ENDINGS = _words(
    "ov ski ez ani ari ssen berg ton elli oglu ashvili ura ide etti ova enko yan ian azi "
    "ero ano ard ell ouri ic ek ander ing ach avi eddu olo ström enov ulis"
)
# Invented surnames that happen to be real place names.
_SURNAME_CLASHES = frozenset(
    _words("Beining Boston Burton Chunian Kanton Kumano Lemberg Palani Pasing")
)

# Invented landmark stems for the long tail of rare terms ("the Velmorin Dam").
_COIN_A = _words("Vel Tar Mor Quen Ost Bral Kes Dun Hal Ith Cor Fen Lor Mar Sev Tav Ul Var Zen Ard")
_COIN_B = _words("mor rin ven dal bel tor wick stead holm gard mere ros lan nor thal brook vik dor")
_COIN_C = ["", "a", "en", "ia", "o", "is", "ar", "on"]
# Invented stems that happen to be real place names.
_COIN_CLASHES = frozenset(_words("Corbelia Keswick Marbel Marbela Morros"))
LANDMARKS = _words("Dam Valley Bridge Institute Field Pass Reservoir Corridor Basin Plateau")

ROLES = {
    # (role before the name, lower-case description for appositions)
    "politics": [
        ("President", "president"),
        ("Prime Minister", "prime minister"),
        ("Foreign Minister", "foreign minister"),
        ("Defense Minister", "defense minister"),
        ("Interior Minister", "interior minister"),
        ("government spokesman", "government spokesman"),
        ("government spokeswoman", "government spokeswoman"),
        ("Foreign Ministry spokesman", "foreign ministry spokesman"),
        ("opposition leader", "opposition leader"),
        ("senator", "senator"),
        ("lawmaker", "lawmaker"),
        ("ambassador", "ambassador"),
        ("special envoy", "special envoy"),
        ("army commander", "army commander"),
        ("Deputy Foreign Minister", "deputy foreign minister"),
        ("security chief", "security chief"),
        ("political analyst", "political analyst"),
        ("party leader", "party leader"),
        ("mayor", "mayor"),
        ("governor", "governor"),
    ],
    "business": [
        ("Economy Minister", "economy minister"),
        ("Finance Minister", "finance minister"),
        ("Oil Minister", "oil minister"),
        ("central bank governor", "central bank governor"),
        ("chief executive", "chief executive"),
        ("economist", "economist"),
        ("market analyst", "market analyst"),
        ("Trade Minister", "trade minister"),
        ("investor", "investor"),
        ("banker", "banker"),
    ],
    "sport": [
        ("coach", "coach"),
        ("striker", "striker"),
        ("midfielder", "midfielder"),
        ("goalkeeper", "goalkeeper"),
        ("captain", "captain"),
        ("manager", "manager"),
        ("sprinter", "sprinter"),
        ("wrestler", "wrestling champion"),
        ("tennis player", "tennis player"),
        ("boxer", "boxer"),
    ],
    "culture": [
        ("director", "film director"),
        ("actor", "actor"),
        ("actress", "actress"),
        ("novelist", "novelist"),
        ("singer", "singer"),
        ("producer", "producer"),
        ("artist", "artist"),
        ("author", "author"),
    ],
    "science": [
        ("researcher", "researcher"),
        ("professor", "professor"),
        ("Health Minister", "health minister"),
        ("expert", "expert"),
        ("lead author", "lead author"),
        ("project director", "project director"),
    ],
}
CAST_SIZES = {"politics": 3500, "business": 900, "sport": 1000, "culture": 700, "science": 400}

ORGS = {
    "politics": [
        "the United Nations",
        "the European Union",
        "the Arab League",
        "the African Union",
        "the Security Council",
        "the foreign ministry",
        "the interior ministry",
        "parliament",
        "the electoral commission",
        "the Red Cross",
        "rights groups",
        "the defence ministry",
        "the presidential office",
        "local authorities",
    ],
    "business": [
        "the central bank",
        "the World Bank",
        "the International Monetary Fund",
        "the finance ministry",
        "the statistics office",
        "OPEC",
        "the stock exchange",
        "the chamber of commerce",
        "the energy ministry",
        "the customs office",
    ],
    "sport": [
        "the football federation",
        "the league",
        "the Olympic committee",
        "the club",
        "the organisers",
        "the national team",
        "the sports ministry",
        "the referees' committee",
    ],
    "culture": [
        "the festival",
        "the culture ministry",
        "the national museum",
        "the film academy",
        "the publishers' association",
        "the heritage organisation",
        "the jury",
    ],
    "science": [
        "the health ministry",
        "the World Health Organization",
        "the space agency",
        "the university",
        "the research institute",
        "the meteorological office",
        "the environment agency",
    ],
}

NOUNS = {
    "politics": """talks|agreement|sanctions|election|ceasefire|negotiations|security situation|
        crisis|conflict|deal|military operation|resolution|protests|opposition|reforms|budget|
        border|investigation|aid convoy|statement|referendum|coalition|constitution|delegation|
        summit|embargo|blockade|withdrawal|troop deployment|airstrikes|refugee camps|
        humanitarian corridor|peace process|nuclear programme|missile tests|diplomatic mission|
        curfew|state of emergency|amnesty|inquiry|visa rules|prisoner exchange|militia|
        drone attack|naval patrol|checkpoint|accord|veto|mandate|tribunal|cabinet reshuffle|
        by-election|impeachment|court ruling|occupation|settlements|arms shipments|bill""",
    "business": """oil prices|inflation|exports|investment|growth|markets|economy|interest rates|
        trade|tariffs|production|output|revenue|debt|budget deficit|stock market|gas supplies|
        pipeline|refinery|shipping costs|wages|unemployment|subsidies|privatisation|bond yields|
        crude output|exchange rate|tax reform|supply chain|consumer spending|housing market|
        mining sector|grain exports|fertiliser prices|electricity tariffs|free trade zone|
        sovereign fund|credit rating|remittances|currency reserves""",
    "sport": """match|season|league|title|final|tournament|championship|squad|club|transfer|
        injury|defence|victory|defeat|draw|penalty|qualifier|semi-final|record|medal|race|
        marathon|contract|stadium|supporters|derby|relegation battle|comeback|training camp|
        doping case|coaching staff|youth academy|away form|home record""",
    "culture": """film|festival|exhibition|album|novel|concert|premiere|theatre|museum|
        collection|documentary|award|screenplay|tour|gallery|poetry|heritage site|manuscript|
        orchestra|series|box office|book fair|restoration|soundtrack|photography prize|
        calligraphy|carpet weaving|folk music|animation|opera""",
    "science": """study|vaccine|virus|outbreak|hospital|satellite|launch|research|trial|
        treatment|climate|emissions|drought|earthquake|flooding|water supply|air pollution|
        heatwave|data|network|software|reactor|telescope|genome|malaria|cholera|antibiotics|
        wildfire|glacier|desalination plant|rocket|orbit|laboratory|microchip""",
}

ADJECTIVES = _words("""major new key fresh serious broad growing recent possible significant lasting
regional national public political joint final formal direct strong sharp sudden rapid wider
long-term fragile difficult controversial historic landmark costly bold modest limited renewed
further detailed proposed planned disputed tough peaceful critical pressing special clear""")

# (infinitive, past, past participle)
VERBS = [
    ("reject", "rejected", "rejected"),
    ("support", "supported", "supported"),
    ("criticise", "criticised", "criticised"),
    ("welcome", "welcomed", "welcomed"),
    ("delay", "delayed", "delayed"),
    ("approve", "approved", "approved"),
    ("review", "reviewed", "reviewed"),
    ("suspend", "suspended", "suspended"),
    ("extend", "extended", "extended"),
    ("discuss", "discussed", "discussed"),
    ("question", "questioned", "questioned"),
    ("defend", "defended", "defended"),
    ("announce", "announced", "announced"),
    ("block", "blocked", "blocked"),
    ("expand", "expanded", "expanded"),
    ("challenge", "challenged", "challenged"),
    ("undermine", "undermined", "undermined"),
    ("strengthen", "strengthened", "strengthened"),
    ("complicate", "complicated", "complicated"),
    ("end", "ended", "ended"),
    ("revive", "revived", "revived"),
    ("finance", "financed", "financed"),
    ("monitor", "monitored", "monitored"),
    ("resume", "resumed", "resumed"),
    ("oppose", "opposed", "opposed"),
    ("affect", "affected", "affected"),
    ("raise", "raised", "raised"),
    ("cut", "cut", "cut"),
    ("overturn", "overturned", "overturned"),
    ("postpone", "postponed", "postponed"),
    ("speed up", "sped up", "sped up"),
    ("hold up", "held up", "held up"),
    ("take over", "took over", "taken over"),
    ("break", "broke", "broken"),
    ("lead", "led", "led"),
    ("win", "won", "won"),
]
GROUPS = _items("""officials|residents|analysts|diplomats|observers|critics|campaigners|witnesses|
    experts|local leaders|aid workers|business owners|students|farmers|doctors|
    supporters|lawmakers|journalists|investors|fans""")
PERIODS = ["days", "weeks", "months", "years"]

# Less common words, drawn with Zipf weights after the common nouns.
RARE_WORDS = _words("""anemometer archipelago bathymetry cartography desalination escarpment
    floodplain geothermal hinterland isthmus jurisprudence kerosene limestone mangrove
    nomadic ordnance peninsula quarantine reclamation salinity tributary underpass viaduct
    watershed xenophobia yardstick zoning aquifer brinkmanship cantonment demarcation
    embezzlement filibuster gerrymandering hydrofoil irrigation junta kleptocracy
    landslide moratorium nepotism ombudsman plebiscite quorum ratification secession
    technocrat usury vaccination warlord abstention bicameral cessation detente enclave
    fiefdom garrison hegemony insurgency jihadism kingmaker lobbyist malfeasance
    nationalisation oligarch partition quagmire rapprochement sovereignty truce ultimatum
    vigil wiretap arbitration boycott census dissident exodus famine grassroots hostage
    indictment juncture logjam manifesto neutrality outpost petition quota rationing
    stalemate turnout uprising vendetta walkout artillery barricade convoy dossier
    evacuation frigate gunboat hovercraft icebreaker jetty keel lighthouse minesweeper
    navigation overpass pontoon quay radar seawall tanker uranium ventilation wharf
    alloy bauxite cobalt dividend equity forex gilt hedge inventory ledger margin
    nickel overdraft portfolio receivership solvency tungsten underwriting volatility
    warrant yield zinc apprenticeship bursary curriculum dormitory enrolment
    fellowship graduation headmaster internship""")


# --- the world: cast, places, vocabulary, built once per seed ---------------------------------


@dataclass(frozen=True, slots=True)
class Country:
    name: str  # as in running text: "the United States"
    adjective: str
    region: str
    cities: tuple[str, ...]

    @property
    def title(self) -> str:
        """The name at the start of a sentence or headline."""
        return self.name[0].upper() + self.name[1:]


@dataclass(frozen=True, slots=True)
class Person:
    first: str
    last: str
    role: str  # before the name: "Foreign Minister"
    role_lc: str  # in an apposition: "foreign minister"
    country: Country

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"


class Zipf:
    """Draws items with weight 1 / rank**s (rank 1 = first item)."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, items: Sequence, s: float = 1.0, ranks: Sequence[int] | None = None):
        self.items = list(items)
        ranks = ranks or range(1, len(self.items) + 1)
        self.cum = list(itertools.accumulate(1.0 / r**s for r in ranks))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random):
        return self.items[bisect.bisect_left(self.cum, rng.random() * self.total)]


def _coin(rng: random.Random) -> str:
    return rng.choice(_COIN_A) + rng.choice(_COIN_B) + rng.choice(_COIN_C)


def _surnames(rng: random.Random, n: int) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        name = (
            rng.choice(_SUR_ONSETS)
            + rng.choice(_SUR_VOWELS)
            + rng.choice(_SUR_MIDDLES)
            + rng.choice(_SUR_ENDINGS)
        )
        if name not in seen and name not in _SURNAME_CLASHES:
            seen.add(name)
            out.append(name)
    return out


class World:
    """Everything shared by all articles of one seed: places, the cast, word pools."""

    def __init__(self, seed: int):
        rng = random.Random(f"world-{seed}")
        self.countries = [
            Country(name, adj, region, tuple(cities.split(",")))
            for name, adj, region, cities in (
                line.split("|") for line in COUNTRIES.strip().splitlines()
            )
        ]
        self.by_name = {c.name: c for c in self.countries}
        self.country_zipf = Zipf(self.countries, 1.1)
        self.region_zipf = {
            region: Zipf(
                [c for c in self.countries if c.region == region],
                1.1,
                [i + 1 for i, c in enumerate(self.countries) if c.region == region],
            )
            for region in {c.region for c in self.countries}
        }
        self.city_zipf = {c.name: Zipf(c.cities, 1.5) for c in self.countries}
        self.section_zipf = Zipf(SECTIONS, 1.05)

        # The cast: every person belongs to one domain and one country, and has a global
        # rank inside the domain (rank 1 is in the news all the time).
        surnames = _surnames(rng, sum(CAST_SIZES.values()))
        rng.shuffle(surnames)
        it = iter(surnames)
        self.cast: dict[str, list[Person]] = {}
        self.cast_zipf: dict[str, Zipf] = {}
        self.cast_by_country: dict[tuple[str, str], Zipf] = {}
        for domain, size in CAST_SIZES.items():
            people = []
            for _ in range(size):
                role, role_lc = rng.choice(ROLES[domain])
                country = self.country_zipf(rng)
                people.append(Person(rng.choice(FIRST_NAMES), next(it), role, role_lc, country))
            self.cast[domain] = people
            self.cast_zipf[domain] = Zipf(people, 1.0)
            groups: dict[str, list[tuple[int, Person]]] = {}
            for rank, p in enumerate(people, 1):
                groups.setdefault(p.country.name, []).append((rank, p))
            for cname, members in groups.items():
                self.cast_by_country[(domain, cname)] = Zipf(
                    [p for _, p in members], 1.0, [r for r, _ in members]
                )

        self.nouns = {d: Zipf(_items(text), 0.9) for d, text in NOUNS.items()}
        self.rare = Zipf(RARE_WORDS, 1.0)
        # 20k invented landmark names: a long Zipf tail, so some appear in a handful of files.
        coins: list[str] = []
        seen: set[str] = set()
        while len(coins) < 20_000:
            stem = _coin(rng)
            name = f"{stem} {rng.choice(LANDMARKS)}"
            if name not in seen and stem not in _COIN_CLASHES:
                seen.add(name)
                coins.append(name)
        self.landmarks = Zipf(coins, 1.05)
        # Sentences without names, shared by all articles (built here once, then picked):
        # most of an article's words, at a fraction of the cost of fresh templates.
        self.pool = {d: [self._sentence(rng, d, None) for _ in range(6000)] for d in CAST_SIZES}

    # Slot fillers ----------------------------------------------------------------------------

    def _fill(self, rng: random.Random, template: str, domain: str, ctx: dict | None) -> str:
        out = []
        for i, part in enumerate(_TEMPLATE_SPLIT(template)):
            if i % 2 == 0:
                out.append(part)
                continue
            value = ctx.get(part) if ctx else None
            if value is None:
                value = self._slot(rng, part, domain)
            out.append(value)
        text = "".join(out)
        return text[0].upper() + text[1:]

    def _slot(self, rng: random.Random, name: str, domain: str) -> str:
        if name in ("n", "n2"):
            return self.nouns[domain](rng)
        if name == "a":
            return rng.choice(ADJECTIVES)
        if name == "vi":
            return rng.choice(VERBS)[0]
        if name == "vp":
            return rng.choice(VERBS)[1]
        if name == "vpp":
            return rng.choice(VERBS)[2]
        if name == "org":
            return rng.choice(ORGS[domain])
        if name == "grp":
            return rng.choice(GROUPS)
        if name == "per":
            return rng.choice(PERIODS)
        if name == "num":
            return str(rng.randint(2, 60))
        if name == "pct":
            return f"{rng.randint(1, 40)}.{rng.randint(0, 9)}"
        if name == "rare":
            return self.rare(rng)
        if name == "landmark":
            return self.landmarks(rng)
        if name == "country":
            return self.country_zipf(rng).name
        if name == "clause":
            return self.clause(rng, domain)
        raise KeyError(name)

    def _sentence(self, rng: random.Random, domain: str, ctx: dict | None) -> str:
        return self._fill(rng, rng.choice(GENERIC_SENTENCES), domain, ctx)

    def clause(self, rng: random.Random, domain: str) -> str:
        text = self._fill(rng, rng.choice(CLAUSES), domain, None)
        return text[0].lower() + text[1:]


def _split(template: str) -> list[str]:
    return re.split(r"\{(\w+)\}", template)


_SPLIT_CACHE: dict[str, list[str]] = {}


def _TEMPLATE_SPLIT(template: str) -> list[str]:  # noqa: N802 - a cached function, used as a table
    parts = _SPLIT_CACHE.get(template)
    if parts is None:
        parts = _SPLIT_CACHE[template] = _split(template)
    return parts


# --- templates ---------------------------------------------------------------------------------

# Clauses: what someone said ("... said {clause}."). Lower-case start, no final stop.
CLAUSES = [
    "the {n} would {vi} the {a} {n2}",
    "{grp} had {vpp} the {n} after {num} {per} of {n2}",
    "the {a} {n} could {vi} the {n2} in the coming {per}",
    "there was no {a} plan for the {n}",
    "the {n} had been {vpp} by {org}",
    "{org} was ready to {vi} the {n} without {a} conditions",
    "the {n} around the {landmark} remained a {a} concern",
    "the {n} should not be allowed to {vi} the {n2}",
    "the government would {vi} the {n} before the end of the year",
    "talk of {rare} was premature while the {n} remained under way",
    "the {n} showed that the {n2} had been {vpp} for {num} {per}",
    "{grp} in {country} expected the {n} to {vi} the {n2}",
]

GENERIC_SENTENCES = [
    "The {n} had {vpp} the {a} {n2} in recent {per}.",
    "{grp} {vp} the {n}, saying it would {vi} the {n2}.",
    "Officials said the {n} would {vi} the {a} {n2} within {num} {per}.",
    "Critics argue that the {a} {n} will only {vi} the {n2}.",
    "According to figures released by {org}, spending on the {n} rose by {pct} percent last year.",
    "{org} {vp} a statement calling for a {a} review of the {n}.",
    "The {n} came after {num} {per} of {a} {n2}.",
    "Some {grp} warned that the {n} could {vi} the {n2} if nothing changes.",
    "The {a} {n} first came up {num} {per} ago, but little has changed since then.",
    "Work on the {landmark} was {vpp} last year amid concerns over {rare}.",
    "According to {grp} near the {landmark}, the {n} had disrupted their daily lives.",
    "The question of {rare} has hung over the {n} from the start.",
    "Under the {a} proposal, {org} would {vi} the {n} and {vi} the {n2}.",
    "The {n} would likely {vi} the {n2}, {grp} said.",
    "There has been no {a} response from {org} so far.",
    "Lawmakers {vp} the {n} by a {a} majority, according to {org}.",
    "{grp} pointed to the {n2} as evidence that the {n} had {vpp} the {a} {n2}.",
    "Reports of {rare} near the {landmark} could not be independently verified.",
    "The {a} {n} had divided {grp} for {num} {per}.",
    "It is not the first time the authorities have {vpp} the {n}.",
]

HEADLINES = [
    "{last} says {clause}",
    "{country} {vp} {a} {n} amid {n2}",
    "{n_cap} in {city} {vpp} as {grp} {vi} {n2}",
    "{adj} {role_lc} warns of {a} {n}",
    "{country} and {country2} {vi} {n} in {city}",
    "{org_cap} {vp} {n} over {n2}",
    "{last} meets {last2} as {n} {vp}",
    "{a_cap} {n} {vpp} in {country_plain}",
    "What the {n} means for {country_plain}",
    "{adj} {n} {vp} after {num} {per}",
]

SUBHEADINGS = [
    "{last} warns of {a} {n}",
    "{a_cap} {n} in {city}",
    "What comes next for the {n}",
    "Calls for {a} {n} grow",
    "{country} {vp} {n}",
    "Concerns over {rare}",
    "The {landmark} question",
    "{grp_cap} {vi} the {n}",
]

# First mention of a person: role before the name, or the name and an apposition.
INTRO = [
    "{role} {full} said {clause}.",
    "{adj} {role} {full} said on {weekday} that {clause}.",
    "Speaking in {city}, {role} {full} said {clause}.",
    "{full}, the {adj} {role_lc}, told reporters that {clause}.",
    "{role} {full} has {vpp} the {n}, saying {clause}.",
    "In a statement, {role} {full} said {clause}.",
    "“The {n} cannot {vi} the {n2},” {role} {full} said.",
]
# Later mentions: the surname alone.
LATER = [
    "{last} said {clause}.",
    "{last} added that {clause}.",
    "“We will not {vi} the {n},” {last} said.",
    "{last}'s remarks came as {clause}.",
    "{last} also {vp} the {n}, noting that {clause}.",
    "Asked about the {n}, {last} said {clause}.",
    "According to {last}, {clause}.",
]
PLACE_SENTENCES = [
    "Thousands of people gathered in {city} to protest against the {n}.",
    "{country_title} has {vpp} the {n}, according to {org}.",
    "In {city}, {grp} said the {n} had {vpp} the {a} {n2}.",
    "The {n} in {city} drew {a} criticism from {grp}.",
    "{adj_title} {grp} have {vpp} the {n} for {num} {per}.",
    "Relations between {country_plain} and {country2} have been strained over the {n}.",
]
# The day of the event, in the body: "On Sunday, ..." names the publication weekday.
DAY_SENTENCES = [
    "On {weekday}, {who} said {clause}.",
    "On {weekday}, {org} {vp} the {n}.",
    "{who} said on {weekday} that {clause}.",
    "Earlier on {weekday}, {grp} in {city} {vp} the {n}.",
]
DATED_LEDE = "On {weekday}, {month} {day}, {year}, {who} said {clause}."
BACKDROP = [
    "The {n} builds on the {byear} agreement signed on {bmonth} {bday}, {byear}.",
    "The dispute dates back to {bmonth} {bday}, {byear}, when the {n2} first came up.",
    "Since {byear}, {grp} have {vpp} the {n} several times.",
]

CAPTIONS = [
    "{role} {full} speaks during a news conference in {city} on {date}.",
    "{role} {full} attends a meeting in {city} on {date}.",
    "{role} {full} arrives for talks in {city} on {date}.",
    "People gather in {city}, {country_plain}, on {date}.",
    "A general view of {city} on {date}.",
    "{grp_cap} attend an event in {city} on {date}.",
    "{role} {full} (C) meets officials in {city} on {date}.",
]
FILE_CAPTIONS = [
    "{role} {full} is seen in {city} in this file picture.",
    "A view of {city}, {country_plain}.",
]
CREDITS = [
    "Via AFP",
    "Photo by Reuters",
    "Photo by AP",
    "Via Getty Images",
    "Photo by AFP",
    "Via EPA",
    "Photo by Anadolu",
    "Via social media",
]

FOOTERS = [
    (
        0.50,
        "Press TV’s website can also be accessed at the following alternate addresses:\n\n"
        "www.presstv.ir\n\nSHARE THIS ARTICLE\nPress TV News Roku",
    ),
    (
        0.15,
        "Press TV's website can also be accessed at the following alternate addresses:\n\n"
        "www.presstv.ir\n\nwww.presstv.co.uk\n\nSHARE THIS ARTICLE\nPress TV News Roku",
    ),
    (
        0.05,
        "Press TV’s website can also be accessed at the following alternate addresses:\n\n"
        "www.presstv.tv\n\nSHARE THIS ARTICLE",
    ),
    (
        0.15,
        "Northgate Wire’s website can also be accessed at the following alternate addresses:"
        "\n\nwww.northgatewire.example\n\nSHARE THIS ARTICLE\nNorthgate Wire News Roku",
    ),
    (0.15, ""),
]
_FOOTER_CUM = list(itertools.accumulate(w for w, _ in FOOTERS))

MONTHS = _words(
    "January February March April May June July August September October November December"
)
WEEKDAYS = _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")


# --- one article -------------------------------------------------------------------------------


def _date_text(day: dt.date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def _pick_day(rng: random.Random) -> dt.date:
    # More news in recent years: the density grows linearly over the span.
    span = (LAST_DAY - FIRST_DAY).days
    return FIRST_DAY + dt.timedelta(days=int(span * math.sqrt(rng.random())))


def _word_target(rng: random.Random) -> int:
    n = int(math.exp(rng.gauss(math.log(MEDIAN_WORDS), 0.55)))
    return min(MAX_WORDS, max(MIN_WORDS, n))


def make_article(world: World, rng: random.Random) -> str:
    """One article's text in the native layout."""
    breadcrumb, domain, scope = world.section_zipf(rng)
    # The main country follows the section ("News / Russia" is about Russia; "News / Europe"
    # about a European country); other sections take the main person's country.
    if scope in world.by_name:
        country = world.by_name[scope]
    elif scope:
        country = world.region_zipf[scope](rng)
    else:
        country = None
    if country is not None and (domain, country.name) in world.cast_by_country:
        main = world.cast_by_country[(domain, country.name)](rng)
    else:
        main = world.cast_zipf[domain](rng)
    country = country or main.country
    others: list[Person] = []
    for _ in range(rng.choice((0, 1, 1, 2, 2, 3, 4))):
        p = world.cast_zipf[domain](rng)
        if p is not main and p not in others:
            others.append(p)
    country2 = world.country_zipf(rng)
    if country2 is country:
        country2 = world.countries[(world.countries.index(country) + 1) % len(world.countries)]
    city = world.city_zipf[country.name](rng)
    day = _pick_day(rng)
    weekday = WEEKDAYS[day.weekday()]

    def ctx_for(p: Person) -> dict:
        return {
            "role": p.role,
            "role_lc": p.role_lc,
            "full": p.full,
            "last": p.last,
            "adj": p.country.adjective,
        }

    base = {
        "city": city,
        "country": country.title,
        "country_plain": country.name,
        "country_title": country.title,
        "country2": country2.name,
        "adj_title": country.adjective,
        "weekday": weekday,
    }
    main_ctx = {**base, **ctx_for(main)}

    def fill(template: str, ctx: dict) -> str:
        return world._fill(rng, template, domain, ctx)

    # Headline.
    headline = fill(
        rng.choice(HEADLINES),
        {
            **main_ctx,
            "last2": others[0].last if others else country2.title,
            "n_cap": world.nouns[domain](rng).capitalize(),
            "a_cap": rng.choice(ADJECTIVES).capitalize(),
            "org_cap": (o := rng.choice(ORGS[domain]))[0].upper() + o[1:],
            "adj": country.adjective,
        },
    ).rstrip(".")

    # Caption: most state the day; some are file photos; some articles have none.
    caption = ""
    dated_caption = False
    r = rng.random()
    if r < 0.76:
        caption = fill(
            rng.choice(CAPTIONS),
            {**main_ctx, "date": _date_text(day), "grp_cap": rng.choice(GROUPS).capitalize()},
        )
        caption += f" ({rng.choice(CREDITS)})"
        dated_caption = True
    elif r < 0.84:
        caption = fill(rng.choice(FILE_CAPTIONS), main_ctx) + " (File photo)"

    # Body.
    target = _word_target(rng)
    blocks: list[str] = []
    words = 0
    introduced: set[str] = {main.last}  # the lede introduces the main person
    lede = fill(rng.choice(INTRO[:6]), main_ctx)
    if not dated_caption and rng.random() < 0.6:
        # No dated caption: the body states the full date next to its weekday.
        lede = fill(
            DATED_LEDE,
            {
                **main_ctx,
                "month": MONTHS[day.month - 1],
                "day": str(day.day),
                "year": str(day.year),
                "who": f"{main.role} {main.full}",
            },
        )
    paragraph = [lede, fill(rng.choice(PLACE_SENTENCES), main_ctx)]
    blocks.append(" ".join(paragraph))
    who = main.last if dated_caption else f"{main.role} {main.full}"
    blocks.append(fill(rng.choice(DAY_SENTENCES), {**main_ctx, "who": who}))
    words = sum(b.count(" ") + 1 for b in blocks)
    pool = world.pool[domain]
    since_sub = 0
    people = [main, *others]
    while words < target:
        if since_sub >= 3 and rng.random() < 0.2:
            p = rng.choice(people)
            sub = fill(
                rng.choice(SUBHEADINGS),
                {
                    **base,
                    **ctx_for(p),
                    "a_cap": rng.choice(ADJECTIVES).capitalize(),
                    "grp_cap": rng.choice(GROUPS).capitalize(),
                },
            )
            blocks.append(sub.rstrip("."))
            since_sub = 0
            continue
        sentences = []
        for _ in range(rng.choice((1, 2, 2, 3, 3, 4))):
            r = rng.random()
            if r < 0.22:
                p = rng.choice(people)
                ctx = {**base, **ctx_for(p)}
                if p.last in introduced:
                    sentences.append(fill(rng.choice(LATER), ctx))
                else:
                    introduced.add(p.last)
                    sentences.append(fill(rng.choice(INTRO), ctx))
            elif r < 0.28:
                ctx = {
                    **base,
                    "city": world.city_zipf[(c := world.country_zipf(rng)).name](rng),
                    "country_plain": c.name,
                    "country_title": c.title,
                    "adj_title": c.adjective,
                }
                sentences.append(fill(rng.choice(PLACE_SENTENCES), ctx))
            elif r < 0.30 and day.year > 2011:
                byear = rng.randint(1990, day.year - 1)
                bday = dt.date(byear, rng.randint(1, 12), rng.randint(1, 28))
                bctx = {
                    "byear": str(byear),
                    "bmonth": MONTHS[bday.month - 1],
                    "bday": str(bday.day),
                }
                sentences.append(fill(rng.choice(BACKDROP), bctx))
            else:
                sentences.append(rng.choice(pool))
        text = " ".join(sentences)
        blocks.append(text)
        words += text.count(" ") + 1
        since_sub += 1

    parts = ["   /   ".join(breadcrumb.split(" / ")), headline]
    if caption:
        parts.append(caption)
    parts.extend(blocks)
    text = "\n\n".join(parts)
    footer = FOOTERS[bisect.bisect_left(_FOOTER_CUM, rng.random() * _FOOTER_CUM[-1])][1]
    if footer:
        text += "\n\n\n" + footer
    return text + "\n"


# --- shards and output -------------------------------------------------------------------------

_WORLD: World | None = None
_WORLD_SEED: int | None = None


def get_world(seed: int) -> World:
    """The world for a seed, built once per process."""
    global _WORLD, _WORLD_SEED
    if _WORLD is None or seed != _WORLD_SEED:
        _WORLD, _WORLD_SEED = World(seed), seed
    return _WORLD


def make_shard(seed: int, shard: int, count: int) -> list[tuple[str, bytes]]:
    """Articles ``shard * 1000 ...`` as (relative path, UTF-8 bytes). Own random stream."""
    world = get_world(seed)
    rng = random.Random(seed * 1_000_003 + shard)
    out = []
    for j in range(count):
        text = make_article(world, rng)
        name = f"{shard:04d}/{j:03d}_{rng.getrandbits(64):016x}.txt"
        out.append((name, text.encode("utf-8")))
    return out


def _shard_job(args: tuple[int, int, int]) -> list[tuple[str, bytes]]:
    return make_shard(*args)


def iter_shards(n: int, seed: int, workers: int) -> Iterator[list[tuple[str, bytes]]]:
    """Shards in order, generated by ``workers`` processes (in this process if 1)."""
    jobs = [(seed, k, min(SHARD, n - k * SHARD)) for k in range((n + SHARD - 1) // SHARD)]
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield make_shard(*job)
        return
    get_world(seed)  # built once here; forked workers inherit it
    ctx = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    with ctx.Pool(workers) as pool:
        yield from pool.imap(_shard_job, jobs, chunksize=1)


def _tar_member(name: str, data: bytes) -> bytes:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = ARCHIVE_MTIME
    info.mode = 0o644
    header = info.tobuf(format=tarfile.USTAR_FORMAT)
    pad = (-len(data)) % tarfile.BLOCKSIZE
    return header + data + b"\0" * pad


def write_tar_gz(out: Path, shards: Iterator[list[tuple[str, bytes]]]) -> tuple[int, int]:
    """A .tar.gz written as one stream: constant memory whatever the number of files."""
    files = size = 0
    with (
        open(out, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=1, mtime=0) as gz,
    ):
        written = 0
        for shard in shards:
            buf = io.BytesIO()
            for name, data in shard:
                buf.write(_tar_member(name, data))
                files += 1
                size += len(data)
            chunk = buf.getvalue()
            gz.write(chunk)
            written += len(chunk)
        end = b"\0" * (2 * tarfile.BLOCKSIZE)
        written += len(end)
        end += b"\0" * ((-written) % tarfile.RECORDSIZE)
        gz.write(end)
    return files, size


def write_zip(out: Path, shards: Iterator[list[tuple[str, bytes]]]) -> tuple[int, int]:
    files = size = 0
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for shard in shards:
            for name, data in shard:
                info = zipfile.ZipInfo(name, date_time=(2023, 11, 14, 22, 13, 20))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, data, compresslevel=1)
                files += 1
                size += len(data)
    return files, size


def write_folder(out: Path, shards: Iterator[list[tuple[str, bytes]]]) -> tuple[int, int]:
    files = size = 0
    for shard in shards:
        for name, data in shard:
            path = out / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            files += 1
            size += len(data)
    return files, size


def generate(n: int, out: Path, *, seed: int = 1, workers: int = 1) -> tuple[int, int]:
    """Write ``n`` articles to ``out`` (folder, .tar.gz/.tgz or .zip); (files, bytes)."""
    shards = iter_shards(n, seed, workers)
    lower = out.name.lower()
    if lower.endswith((".tar.gz", ".tgz")):
        return write_tar_gz(out, shards)
    if lower.endswith(".zip"):
        return write_zip(out, shards)
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"error: {out} exists and is not empty")
    out.mkdir(parents=True, exist_ok=True)
    return write_folder(out, shards)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, required=True, help="number of articles (<= 1,000,000)")
    parser.add_argument("--out", required=True, help="folder, or file ending .tar.gz/.tgz/.zip")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--workers", type=int, default=min(2, os.cpu_count() or 1), help="generator processes"
    )
    args = parser.parse_args(argv)
    if not 1 <= args.n <= 1_000_000:
        parser.error("--n must be between 1 and 1,000,000")
    started = time.perf_counter()
    files, size = generate(args.n, Path(args.out), seed=args.seed, workers=args.workers)
    elapsed = time.perf_counter() - started
    print(
        f"{files:,} articles, {size / 2**20:,.1f} MiB of text -> {args.out} "
        f"in {elapsed:.1f}s ({files / elapsed:,.0f} articles/s)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
