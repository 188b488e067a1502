"""Name lexicons and cues for finding people: word lists (titles, honorifics, organisation
words, sentence starts), the regexes for the words around a name, and the short forms of a name.

See docs/extraction.md for the rules.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path


def words(text: str) -> frozenset[str]:
    """A word list written as one whitespace-separated string."""
    return frozenset(text.split())


UP = "A-ZÀ-ÖØ-Þ"
LO = "a-zß-öø-ÿ"
# One name word: Peskov, O'Brien, McDonald, Amir-Abdollahian, al-Assad, a middle initial "W.".
_WORD = (
    rf"(?:(?:[Aa]l|[Ee]l|[Aa]d|[Aa]sh|[Aa]s|[Aa]r|[Bb]in|[Ii]bn|[Aa]bu)-)?"
    rf"(?:[{UP}](?:['’][{UP}])?[{LO}]+(?:['’][{UP}][{LO}]+)?(?:[{UP}][{LO}]+)?"
    rf"(?:-[{UP}{LO}][{LO}]+)*(?:['’]s)?"
    rf"|(?:[{UP}]\.){{2,4}}|[{UP}]\.|[{UP}](?=[ \u00a0][{UP}][{LO}]))"
)
_PARTICLE = (
    r"(?:al|el|bin|bint|ibn|abu|von der|von|van der|van den|van|der|de la|de|del|della|di|da"
    r"|dos|das|du|la|le|ter|ten)"
)
# A run of capitalised words, joined by spaces and name particles (Ursula von der Leyen).
NAME_CHUNK = re.compile(
    rf"(?<![\w.-]){_WORD}(?:[ \u00a0]+(?:{_PARTICLE}[ \u00a0]+)?{_WORD})*(?![\w-])"
)
POSSESSIVE = re.compile(r"['’]s?$")

SPEECH_VERBS = (
    "said|says|told|tells|added|adds|stated|noted|stressed|explained|announced|warned|insisted"
    "|argued|wrote|writes|asked|replied|declared|urged|commented|claimed|admitted|confirmed"
    "|denied|reiterated|emphasized|emphasised|pointed out|believes|thinks|described|called"
    "|continued|concluded|revealed|suggested|predicted|acknowledged|recalled|remarked|underlined"
    "|underscored|maintained|expressed|has said|had said|also said|later said|was quoted"
)
AFTER_SPEECH = re.compile(rf"(?:,[^,.;:\n]{{1,90}},)?\s+(?:{SPEECH_VERBS})\b")
# Not "told X": "told BBC News", "told Five Live" name a medium more often than a person.
SPEECH_HINT = re.compile(r"said|says|according|quoted")
BEFORE_SPEECH = re.compile(r"(?:\bsaid|\bsays|\baccording to|\bquoted)\s*,?\s*$")

# Lower-case words that introduce a person: "spokesman Dmitry Peskov", "counterpart, Xi Jinping".
ROLE_NOUNS = (
    "spokesman|spokeswoman|spokesperson|counterpart|leader|president|minister|premier"
    "|chancellor|chief|head|director|envoy|ambassador|chairman|chairwoman|chair|secretary"
    "|commander|official|lawmaker|legislator|senator|congressman|congresswoman|mayor|governor"
    "|adviser|advisor|aide|analyst|expert|economist|professor|researcher|lawyer|attorney|judge"
    "|prosecutor|coach|manager|striker|midfielder|defender|goalkeeper|captain|player|star"
    "|champion|actor|actress|singer|director|producer|writer|author|novelist|comedian"
    "|presenter|journalist|correspondent|editor|reporter|boss|founder|executive|ceo|cleric"
    "|deputy|vice|colleague|rival|challenger|candidate|member|MP|MEP|negotiator|diplomat"
    "|general|admiral|colonel|officer|commissioner|rapporteur|representative|delegate"
    "|musician|rapper|guitarist|drummer|band|frontman|model|designer|artist|photographer"
    "|investor|businessman|businesswoman|tycoon|banker|chef|winner|nominee|husband|wife"
    "|son|daughter|brother|sister|father|mother|partner|friend|teammate|pilot|driver"
    "|runner|sprinter|swimmer|boxer|golfer|cyclist|batsman|bowler|jockey|trainer|referee"
    "|organiser|organizer|wrestler|footballer|forward|winger|keeper|tennis|spokesperson"
    "|animator|filmmaker|film-maker|publicist|holder|magistrate|poet|playwright|composer"
    "|conductor|dancer|choreographer|pianist|violinist|cartoonist|painter|sculptor"
    "|entrepreneur|billionaire|magnate|heiress|columnist|critic|historian"
    "|scientist|doctor|surgeon|nurse|teacher|student|activist|campaigner|spy|agent|detective"
    "|inspector|superintendent|constable|sergeant|soldier|fighter|hostage|victim|suspect"
    "|defendant|witness|owner|president-elect|peer|baroness|lord"
)
ROLE_MODIFIERS = (
    "deputy|vice|former|foreign|prime|chief|senior|acting|defence|defense|interior|finance"
    "|press|top|new|veteran|assistant|executive|managing|general|national|team|fellow"
    "|opposition|government|military|security|police|party|campaign|health|economy|trade"
)
BEFORE_ROLE = re.compile(
    rf"(?P<role>(?:(?:[{UP}][\w’'-]*|[a-z]+['’]s)\s+){{0,3}}(?:(?:{ROLE_MODIFIERS})\s+){{0,2}}(?:{ROLE_NOUNS})s?)"
    rf"(?:\s+(?:for|of|to|at|in)\s+(?:the\s+)?[{UP}][\w’'-]*(?:\s+[{UP}][\w’'-]*)*\s*,)?"
    r"\s*,?\s*$"
)
# Verbs that only people do, after a name: "Mahdi Karimzadeh defeated", "Grundberg met".
AFTER_ACTION = re.compile(
    r"\s+(?:met|meets|visited|visits|resigned|died|married|starred|sang|spoke|speaks|thanked"
    r"|congratulated|greeted|phoned|smiled|laughed|insisted|retired|travelled|traveled|flew"
    r"|recalled)\b"
)
# "Jordan Mills of the U.S.", "Levan Kapanadze of Georgia": a person from a country.
AFTER_OF_COUNTRY = re.compile(rf"\s+of\s+(?:the\s+)?(?P<place>[{UP}][\w.’'-]*(?:\s+[{UP}]\w*)?)")
# "chocolate maker Barry Callebaut", "told Al Masirah television": organisations.
ORG_BEFORE = re.compile(
    r"\b(?:maker|firm|company|companies|group|retailer|giant|bank|carrier|airline|manufacturer"
    r"|producer|chain|brand|label|insurer|lender|operator|broker|consultancy|agency|outlet"
    r"|broadcaster|newspaper|channel|station|network|publisher|developer|studio|supplier"
    r"|conglomerate|start-up|startup|fund|club|side|team)\s+$"
)
ORG_AFTER = re.compile(
    r"\s+(?:television|TV|newspaper|channel|radio|news agency|agency|daily|website|company"
    r"|group|firm|bank|network|shares|stock|brand|magazine|broadcaster)\b"
)
PREPOSITION_BEFORE = re.compile(r"\b(?:at|of|from|for|with|by|in|on|to|under|between)\s+$")
# ", the Trade Secretary", ", who ...": an apposition after the name.
AFTER_APPOSITION = re.compile(
    rf",\s+(?:(?:the|a|an|his|her|its|their|[{UP}]\w+['’]s)\s+)?(?:[\w’'-]+\s+){{0,4}}?"
    rf"(?:{ROLE_NOUNS})s?\b"
    r"|,\s+(?:who|aged|\d{2},)\s"
)
# A squad list: "Julien Laharrague (Brive)".
AFTER_CLUB = re.compile(rf"\s+\([{UP}][{LO}][\w .’'-]{{0,40}}\)")

# Capitalised words that make a chunk a person's title, not part of the name.
TITLES = words(
    """
    Seyed Seyyed Sayyid Sayed Seyyid Sayyed Syed Haj Hajj Hajji
    Exchequer Staff Counsel Solicitor Advocate Comptroller Auditor Treasurer Commissioner
    Ombudsman Registrar Superintendent Inspector Independent Associate
    Baroness Baron Viscount Earl Duke Duchess Countess Marquess Magistrate Lady President Vice
    Prime Minister Premier Chancellor Secretary Mr Mr. Mrs Mrs. Ms Ms. Miss Dr Dr. Sir Dame Lord
    King Queen Prince Princess Emir Sheikh Shaikh Sultan Ayatollah Hojatoleslam Imam Pope
    Cardinal Archbishop Bishop Rev Rev. Reverend Father General Gen Gen. Lieutenant Lt Colonel
    Col Major Maj Captain Capt Admiral Commander Brigadier Marshal Sergeant Senator Sen Sen.
    Congressman Congresswoman Representative Rep Rep. Governor Gov Gov. Mayor Ambassador Envoy
    Judge Justice Professor Prof Prof. Chairman Chairwoman Chief Director Deputy Foreign Defense
    Defence Interior Finance Economy Oil Health Education Culture Trade Industry Home Energy
    Labour Labor Environment Agriculture Transport Intelligence Roads Sports Sport Science
    Shadow Former Acting Leader Supreme State Spokesman Spokeswoman Coach Manager Head Executive
    Officer Speaker Parliament Parliamentary Mufti Crown Grand Attorney MP Affairs Economic
    Commerce Communications Housing Welfare Treasury Development Security Petroleum Military
    Army Navy Police First Senior Assistant Under Undersecretary Managing Caretaker Interim
    Opposition Labour's Tory Conservative Liberal Democrat Democratic Republican Ex Late Saint
    Presidential Special
    """
)
PERSON_TITLES = words(
    """
    Seyed Seyyed Sayyid Sayed Seyyid Sayyed Syed
    Baroness Baron Viscount Earl Duke Duchess Countess Marquess Magistrate Lady President
    Minister Premier Chancellor Secretary Mr Mr. Mrs Mrs. Ms Ms. Miss Dr Dr. Sir Dame Lord King
    Queen Prince Princess Emir Sheikh Shaikh Sultan Ayatollah Hojatoleslam Imam Pope Cardinal
    Archbishop Bishop Rev Rev. Reverend General Gen Gen. Lieutenant Colonel Major Captain
    Admiral Commander Brigadier Marshal Sergeant Senator Sen Sen. Congressman Congresswoman
    Representative Rep. Governor Gov. Mayor Ambassador Envoy Judge Professor Prof Prof. Chairman
    Chairwoman Director Spokesman Spokeswoman Coach Manager Speaker Leader Mufti MP
    Undersecretary
    """
)
# Titles that alone (Mr Blair) make a one-word mention a person.
HONORIFICS = words(
    """
    Lord Lady Baroness Baron Mr Mr. Mrs Mrs. Ms Ms. Miss Dr Dr. Sir Dame
    """
)

# Words that never belong to a person's name: organisations, institutions, calendar words.
NOT_NAME = words(
    """
    Countries Exporting Emirates Nations Peoples Forces
    Project Universities Live Weekly Magazine Herald Telegraph Journal Review Ventures Partners
    Securities Capital Records Productions Ministry Council Party House Organization
    Organisation Agency Company Bank University Committee Commission Assembly Parliament Army
    Forces Force Corps Court Union Nations Front Movement Group Guard Guards Police News Times
    Post Daily Press TV Airport Street Road Square Stadium Club United City FC Cup League
    Championship Championships Open Games Olympics Olympic Award Awards Prize Festival Day Week
    Year Republic Kingdom States Province Region Sea Ocean Gulf Mountains River Island Islands
    Valley Desert Programme Program Plan Act Treaty Accord Agreement Summit Conference Forum
    Affairs Islamic Revolution Revolutionary International National Federal Central Office
    Department Service Services Institute Centre Center Foundation Society Association
    Federation Media Network Channel Radio Television Online Inc Ltd Corp Corporation Co
    Holdings Exchange Stock Market Markets Fund Trust Hospital School College Academy Museum
    Library Theatre Theater Hall Palace Church Mosque Embassy Consulate Senate Congress Cabinet
    Administration Government Kremlin Pentagon Parliamentary Majlis Airlines Airways Air Motors
    Studios Pictures Entertainment Industries Systems Technologies Software Microsoft Google
    Apple Sony Nintendo Internet Web Net Mobile Phone Chamber Commerce Agriculture Industry
    Ministerial Declaration Directorate Authority Authorities Board Bureau Secretariat Station
    Port Gas Oil Petroleum Energy Nuclear Atomic Space Monday Tuesday Wednesday Thursday Friday
    Saturday Sunday January February March April June July August September October November
    December Christmas Easter Ramadan Eid Nowruz God Allah Prophet Quran Koran Bible Premiership
    Premier Division Series Tour Grand Prix Formula Test Tests Oscar Oscars Grammy Grammys Emmy
    Bafta Baftas Brit Brits Album Chart Charts Show Film Movie Book Election Elections Budget
    Report Census Survey Index Muslims Muslim Christian Christians Jews Jewish Arab Arabs Kurds
    Kurdish Western Eastern Northern Southern West East North South Middle European Europe Asia
    Asian Africa African Latin Persian Atlantic Pacific Tories Tory Labour Lib Dems
    Conservatives Democrats Republicans Taleban Taliban Hezbollah Hamas Daesh ISIL ISIS Zionist
    Zionists Baath Ba'ath Nazi Nazis Nazism Communist Communists Socialist Fars Mehr IRNA ISNA
    Tasnim Reuters Xinhua Sputnik Interfax Velayati Emirate Caliphate State Alliance Coalition
    Electric Electronics Acquisition Acquisitions World Bancorp Bancshares Plc PLC Telecom
    Telecommunications Communications Roasters Bottlers Brewers Brewing Amendment Operation
    Representatives Associates Enterprises Financial Insurance Savings Investors Properties
    Realty Resources Mining Minerals Chemical Chemicals Pharmaceuticals Laboratories Products
    Foods Stores Brands Steel Instruments Technology Computer Computers Semiconductor Devices
    Airline Shipping Lines Railroad Railway Railways Utilities Power Electricity Cement Funds
    Banks Bancorporation Trustees Ltda SA AG NV Inc. Corp. Co. Ltd. Cos Cos. Bros Bros.
    Customs Enforcement Watch Republicanism Democracy War Wars Laws Policy Privacy Below
    Prep Continued Advertisement Newsletter Subscribe Operations Crescent Command Conferences
    Professionals Avenue Boulevard
    """
)
# Capitalised words at the start of a chunk that are just sentence starts.
LEADING_STOP = words(
    """
    The A An In On At But And Or However Also This That These Those He She It They We I You His
    Her Its Their Our My Your As If When While After Before Since For From With Without By To Of
    Under Over Despite Meanwhile Earlier Later Last Next Then Now So Yet According Both Some
    Many Most All Other Another Such Even Only Still There Here Where What Who Why How Which
    Speaking Addressing During Between Among Against Although Though Because Unlike Like Dear Mr
    Mrs Ms Dr Following Asked Referring Elsewhere Yesterday Today Tomorrow Thus Therefore
    Moreover Furthermore Besides Instead Indeed Nevertheless Nonetheless Once Until Upon Within
    Through Across Along Around Near Outside Inside About Each Every Any No Not Nor Neither
    Either Whether Having Being Given Has Had Have Is Was Were Are Will Would Could Should May
    Might Can Must Did Does Do Let Please Thank Thanks Yes Well Oh Just Second Third Finally
    One Two Three Four Five Athough Altough Recently Currently Separately Additionally
    Previously Subsequently Initially Eventually Apparently Reportedly Officially Similarly
    Likewise Overall Commenting Writing Talking Told Added Describing Noting Announcing See Read
    Watch Click Follow Related
    """
)
# East Asian names put the family name first: "Xi Jinping" is later "Xi".
FAMILY_NAME_FIRST = words(
    """
    Xi Li Wang Zhang Liu Chen Yang Huang Zhao Wu Zhou Hu Sun Ma Zhu Guo He Lin Luo Gao Zheng
    Liang Xie Tang Han Cao Deng Feng Peng Jiang Wen Kim Park Moon Yoon Roh Ban Choi Jeong Kang
    Cho Lee Hun Mao
    """
)
MAX_NAME_WORDS = 5
TRAILING_TITLES = frozenset({"MP", "MEP", "QC", "KC", "Jr", "Jr.", "Sr", "Sr."})
# Words that end a capitalised run without belonging to the name: "Patrick Henry Recently".
TRAILING_STRAY = (LEADING_STOP - {"Will", "May", "Mark", "Dear", "Well", "Just", "Can", "Said"}) | {
    "New"
}
ROLE_NOUN_SET = frozenset(ROLE_NOUNS.lower().split("|"))
GIVEN_NAMES_FILE = Path(__file__).resolve().parent.parent / "data" / "given_names.txt"


@cache
def given_names() -> frozenset[str]:
    """Common given names from articles/data/given_names.txt (our own list)."""
    words = []
    for line in GIVEN_NAMES_FILE.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            words.extend(line.split())
    return frozenset(words)


def strip_possessive(word: str) -> str:
    if word.endswith(("'s", "’s")):
        return word[:-2]
    if word.endswith(("s'", "s’")):
        return word[:-1]
    return word


def surname_forms(name: str) -> list[str]:
    """Short forms a later mention may use: last word, without al-/el- (Assad, al-Assad), with
    its particles (bin Salman, von der Leyen, Van Dijk), or the family name first (Xi)."""
    words = name.split()
    last = words[-1]
    forms = [last]
    m = re.match(r"(?:[Aa]l|[Ee]l|[Aa]d|[Aa]sh|[Aa]s|[Aa]r)-(.+)$", last)
    if m:
        forms.append(m.group(1))
    for n in (2, 3):
        if len(words) > n and all(w[0].islower() for w in words[-n:-1]):
            tail = " ".join(words[-n:])
            forms.append(tail)
            forms.append(tail[0].upper() + tail[1:])
    if len(words) >= 3 and words[-2][0].isupper() and len(words[-1]) <= 4:
        forms.append(" ".join(words[-2:]))  # "Suu Kyi" from "Aung San Suu Kyi"
    if words[0] in FAMILY_NAME_FIRST:
        forms.append(words[0])
    return forms


def same_person(short: str, full: str, *, loose: bool = True) -> bool:
    """Is ``short`` a shorter way of writing ``full``? A word suffix or surname form (Putin,
    al-Assad, Suu Kyi), first and last words shared ("Rafael Grossi" / "Rafael Mariano
    Grossi"), or one word of a longer name (Nouri, Lula, Mobutu)."""
    a, b = short.casefold().split(), full.casefold().split()
    if len(a) >= len(b):
        return False
    if b[-len(a) :] == a or short.casefold() in {f.casefold() for f in surname_forms(full)}:
        return True
    if len(a) == 1:
        # Loosely any word (Nouri, Lula); strictly the head of a long name (Mobutu Sese Seko).
        return a[0] in b if loose else (len(b) >= 3 and a[0] == b[0])
    return a[0] == b[0] and a[-1] == b[-1]


# Words that end a company's name: the words before them name the company in the whole article
# ("Cooper LaserSonics Inc" ... "Cooper LaserSonics common shares").
COMPANY_SUFFIXES = words(
    """
    Inc Inc. Corp Corp. Co Co. Cos Ltd Ltd. Plc PLC LLC Bancorp Bancshares AG SA NV Group
    Holdings Industries Partners Associates Securities Brothers Bros Bros.
    """
)
# Firms named like two people, too common in business news to leave to context.
FIRM_NAMES = frozenset(
    {
        "Goldman Sachs",
        "Morgan Stanley",
        "Kidder Peabody",
        "Keefe Bruyette",
        "Salomon Brothers",
        "Merrill Lynch",
        "Shearson Lehman",
        "Lehman Brothers",
        "Drexel Burnham",
        "Dean Witter",
        "Smith Barney",
        "Paine Webber",
        "Bear Stearns",
        "Morgan Grenfell",
        "Warburg Pincus",
        "Kohlberg Kravis",
        "Lazard Freres",
        "Dillon Read",
        "Arthur Andersen",
        "Ernst Whinney",
        "Peat Marwick",
        "Price Waterhouse",
        "Coopers Lybrand",
        "Touche Ross",
        "Arthur Young",
        "Deloitte Haskins",
        "Standard Poor",
        "Dow Jones",
        "Procter Gamble",
        "Johnson Johnson",
        "Marks Spencer",
        "Rolls Royce",
        "Hewlett Packard",
        "Sears Roebuck",
        "Walt Disney",
        "Charles Schwab",
        "Prudential Bache",
        "Thomson McKinnon",
        "Donaldson Lufkin",
        "Alex Brown",
    }
)
