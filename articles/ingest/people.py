"""Finding people in an article without a model: capitalised name chunks plus the evidence around
them (a role word before, "said" after), then surname-only mentions resolved to the full name.

See docs/extraction.md for the rules and the traps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .gazetteer import Country, Gazetteer

UP = "A-ZÀ-ÖØ-Þ"
LO = "a-zß-öø-ÿ"
# One name word: Peskov, O'Brien, McDonald, Amir-Abdollahian, al-Assad, a middle initial "W.".
_WORD = (
    rf"(?:(?:[Aa]l|[Ee]l|[Aa]d|[Aa]sh|[Aa]s|[Aa]r|[Bb]in|[Ii]bn|[Aa]bu)-)?"
    rf"(?:[{UP}][{LO}]+(?:['’][{UP}][{LO}]+)?(?:[{UP}][{LO}]+)?(?:-[{UP}{LO}][{LO}]+)*(?:['’]s)?"
    rf"|[{UP}]\.)"
)
_PARTICLE = (
    r"(?:al|el|bin|bint|ibn|abu|von der|von|van der|van den|van|der|de la|de|del|della|di|da"
    r"|dos|das|du|la|le|ter|ten)"
)
# A run of capitalised words, joined by spaces and name particles (Ursula von der Leyen).
NAME_CHUNK = re.compile(
    rf"(?<![\w-]){_WORD}(?:[ \u00a0]+(?:{_PARTICLE}[ \u00a0]+)?{_WORD})*(?![\w-])"
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
BEFORE_SPEECH = re.compile(r"(?:\bsaid|\bsays|\baccording to|\bquoted|\btold)\s*,?\s*$")

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
)
ROLE_MODIFIERS = (
    "deputy|vice|former|foreign|prime|chief|senior|acting|defence|defense|interior|finance"
    "|press|top|new|veteran|assistant|executive|managing|general|national|team|fellow"
    "|opposition|government|military|security|police|party|campaign|health|economy|trade"
)
BEFORE_ROLE = re.compile(
    rf"(?P<role>(?:[{UP}][\w’'-]*\s+){{0,3}}(?:(?:{ROLE_MODIFIERS})\s+){{0,2}}(?:{ROLE_NOUNS}))"
    r"\s*,?\s*$"
)
# ", the Trade Secretary", ", who ...": an apposition after the name.
AFTER_APPOSITION = re.compile(
    rf",\s+(?:the|a|an|his|her|its|their|[{UP}]\w+['’]s)\s+(?:[\w’'-]+\s+){{0,4}}?(?:{ROLE_NOUNS})\b"
    r"|,\s+(?:who|aged|\d{2},)\s"
)

# Capitalised words that make a chunk a person's title, not part of the name.
TITLES = {
    "President",
    "Vice",
    "Prime",
    "Minister",
    "Premier",
    "Chancellor",
    "Secretary",
    "Mr",
    "Mr.",
    "Mrs",
    "Mrs.",
    "Ms",
    "Ms.",
    "Miss",
    "Dr",
    "Dr.",
    "Sir",
    "Dame",
    "Lord",
    "Lady",
    "King",
    "Queen",
    "Prince",
    "Princess",
    "Emir",
    "Sheikh",
    "Shaikh",
    "Sultan",
    "Ayatollah",
    "Hojatoleslam",
    "Imam",
    "Pope",
    "Cardinal",
    "Archbishop",
    "Bishop",
    "Rev",
    "Rev.",
    "Reverend",
    "Father",
    "General",
    "Gen",
    "Gen.",
    "Lieutenant",
    "Lt",
    "Colonel",
    "Col",
    "Major",
    "Maj",
    "Captain",
    "Capt",
    "Admiral",
    "Commander",
    "Brigadier",
    "Marshal",
    "Sergeant",
    "Senator",
    "Sen",
    "Sen.",
    "Congressman",
    "Congresswoman",
    "Representative",
    "Rep",
    "Rep.",
    "Governor",
    "Gov",
    "Gov.",
    "Mayor",
    "Ambassador",
    "Envoy",
    "Judge",
    "Justice",
    "Professor",
    "Prof",
    "Prof.",
    "Chairman",
    "Chairwoman",
    "Chief",
    "Director",
    "Deputy",
    "Foreign",
    "Defense",
    "Defence",
    "Interior",
    "Finance",
    "Economy",
    "Oil",
    "Health",
    "Education",
    "Culture",
    "Trade",
    "Industry",
    "Home",
    "Energy",
    "Labour",
    "Labor",
    "Environment",
    "Agriculture",
    "Transport",
    "Intelligence",
    "Roads",
    "Sports",
    "Sport",
    "Science",
    "Shadow",
    "Former",
    "Acting",
    "Leader",
    "Supreme",
    "State",
    "Spokesman",
    "Spokeswoman",
    "Coach",
    "Manager",
    "Head",
    "Executive",
    "Officer",
    "Speaker",
    "Parliament",
    "Parliamentary",
    "Mufti",
    "Crown",
    "Grand",
    "Attorney",
    "MP",
    "Affairs",
    "Economic",
    "Commerce",
    "Communications",
    "Housing",
    "Welfare",
    "Treasury",
    "Development",
    "Security",
    "Petroleum",
    "Military",
    "Army",
    "Navy",
    "Police",
    "First",
    "Senior",
    "Assistant",
    "Under",
    "Undersecretary",
    "Managing",
    "Caretaker",
    "Interim",
    "Opposition",
    "Labour's",
    "Tory",
    "Conservative",
    "Liberal",
    "Democrat",
    "Democratic",
    "Republican",
    "Ex",
    "Late",
    "Saint",
    "Presidential",
    "Special",
}
PERSON_TITLES = {
    "President",
    "Minister",
    "Premier",
    "Chancellor",
    "Secretary",
    "Mr",
    "Mr.",
    "Mrs",
    "Mrs.",
    "Ms",
    "Ms.",
    "Miss",
    "Dr",
    "Dr.",
    "Sir",
    "Dame",
    "Lord",
    "Lady",
    "King",
    "Queen",
    "Prince",
    "Princess",
    "Emir",
    "Sheikh",
    "Shaikh",
    "Sultan",
    "Ayatollah",
    "Hojatoleslam",
    "Imam",
    "Pope",
    "Cardinal",
    "Archbishop",
    "Bishop",
    "Rev",
    "Rev.",
    "Reverend",
    "General",
    "Gen",
    "Gen.",
    "Lieutenant",
    "Colonel",
    "Major",
    "Captain",
    "Admiral",
    "Commander",
    "Brigadier",
    "Marshal",
    "Sergeant",
    "Senator",
    "Sen",
    "Sen.",
    "Congressman",
    "Congresswoman",
    "Representative",
    "Rep.",
    "Governor",
    "Gov.",
    "Mayor",
    "Ambassador",
    "Envoy",
    "Judge",
    "Professor",
    "Prof",
    "Prof.",
    "Chairman",
    "Chairwoman",
    "Director",
    "Spokesman",
    "Spokeswoman",
    "Coach",
    "Manager",
    "Speaker",
    "Leader",
    "Mufti",
    "MP",
    "Undersecretary",
}
# Titles that alone (Mr Blair) make a one-word mention a person.
HONORIFICS = {"Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Miss", "Dr", "Dr.", "Sir", "Dame"}

# Words that never belong to a person's name: organisations, institutions, calendar words.
NOT_NAME = {
    "Ministry",
    "Council",
    "Party",
    "House",
    "Organization",
    "Organisation",
    "Agency",
    "Company",
    "Bank",
    "University",
    "Committee",
    "Commission",
    "Assembly",
    "Parliament",
    "Army",
    "Forces",
    "Force",
    "Corps",
    "Court",
    "Union",
    "Nations",
    "Front",
    "Movement",
    "Group",
    "Guard",
    "Guards",
    "Police",
    "News",
    "Times",
    "Post",
    "Daily",
    "Press",
    "TV",
    "Airport",
    "Street",
    "Road",
    "Square",
    "Stadium",
    "Club",
    "United",
    "City",
    "FC",
    "Cup",
    "League",
    "Championship",
    "Championships",
    "Open",
    "Games",
    "Olympics",
    "Olympic",
    "Award",
    "Awards",
    "Prize",
    "Festival",
    "Day",
    "Week",
    "Year",
    "Republic",
    "Kingdom",
    "States",
    "Province",
    "Region",
    "Sea",
    "Ocean",
    "Gulf",
    "Mountains",
    "River",
    "Island",
    "Islands",
    "Valley",
    "Desert",
    "Programme",
    "Program",
    "Plan",
    "Act",
    "Bill",
    "Treaty",
    "Accord",
    "Agreement",
    "Summit",
    "Conference",
    "Forum",
    "Affairs",
    "Islamic",
    "Revolution",
    "Revolutionary",
    "International",
    "National",
    "Federal",
    "Central",
    "Office",
    "Department",
    "Service",
    "Services",
    "Institute",
    "Centre",
    "Center",
    "Foundation",
    "Society",
    "Association",
    "Federation",
    "Media",
    "Network",
    "Channel",
    "Radio",
    "Television",
    "Online",
    "Inc",
    "Ltd",
    "Corp",
    "Corporation",
    "Co",
    "Holdings",
    "Exchange",
    "Stock",
    "Market",
    "Markets",
    "Fund",
    "Trust",
    "Hospital",
    "School",
    "College",
    "Academy",
    "Museum",
    "Library",
    "Theatre",
    "Theater",
    "Hall",
    "Palace",
    "Church",
    "Mosque",
    "Embassy",
    "Consulate",
    "Senate",
    "Congress",
    "Cabinet",
    "Administration",
    "Government",
    "Kremlin",
    "Pentagon",
    "Parliamentary",
    "Majlis",
    "Airlines",
    "Airways",
    "Air",
    "Motors",
    "Records",
    "Studios",
    "Pictures",
    "Entertainment",
    "Industries",
    "Systems",
    "Technologies",
    "Software",
    "Microsoft",
    "Google",
    "Apple",
    "Sony",
    "Nintendo",
    "Internet",
    "Web",
    "Net",
    "Mobile",
    "Phone",
    "Chamber",
    "Commerce",
    "Agriculture",
    "Industry",
    "Ministerial",
    "Declaration",
    "Directorate",
    "Authority",
    "Authorities",
    "Board",
    "Bureau",
    "Secretariat",
    "Station",
    "Port",
    "Gas",
    "Oil",
    "Petroleum",
    "Energy",
    "Nuclear",
    "Atomic",
    "Space",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Christmas",
    "Easter",
    "Ramadan",
    "Eid",
    "Nowruz",
    "God",
    "Allah",
    "Prophet",
    "Quran",
    "Koran",
    "Bible",
    "Premiership",
    "Premier",
    "Division",
    "Series",
    "Tour",
    "Grand",
    "Prix",
    "Formula",
    "Test",
    "Tests",
    "Oscar",
    "Oscars",
    "Grammy",
    "Grammys",
    "Emmy",
    "Bafta",
    "Baftas",
    "Brit",
    "Brits",
    "Album",
    "Chart",
    "Charts",
    "Show",
    "Film",
    "Movie",
    "Book",
    "Election",
    "Elections",
    "Budget",
    "Report",
    "Review",
    "Census",
    "Survey",
    "Index",
    "Muslims",
    "Muslim",
    "Christian",
    "Christians",
    "Jews",
    "Jewish",
    "Arab",
    "Arabs",
    "Shia",
    "Shiite",
    "Sunni",
    "Kurds",
    "Kurdish",
    "Western",
    "Eastern",
    "Northern",
    "Southern",
    "West",
    "East",
    "North",
    "South",
    "Middle",
    "European",
    "Europe",
    "Asia",
    "Asian",
    "Africa",
    "African",
    "Latin",
    "Persian",
    "Atlantic",
    "Pacific",
    "Tories",
    "Tory",
    "Labour",
    "Lib",
    "Dems",
    "Conservatives",
    "Democrats",
    "Republicans",
    "Taleban",
    "Taliban",
    "Hezbollah",
    "Hamas",
    "Daesh",
    "ISIL",
    "ISIS",
    "Zionist",
    "Zionists",
    "Baath",
    "Ba'ath",
    "Nazi",
    "Nazis",
    "Nazism",
    "Communist",
    "Communists",
    "Socialist",
    "Fars",
    "Mehr",
    "IRNA",
    "ISNA",
    "Tasnim",
    "Reuters",
    "Xinhua",
    "Sputnik",
    "Interfax",
    "Velayati",
    "Emirate",
    "Caliphate",
    "State",
    "Alliance",
    "Coalition",
}
# Capitalised words at the start of a chunk that are just sentence starts.
LEADING_STOP = {
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "But",
    "And",
    "Or",
    "However",
    "Also",
    "This",
    "That",
    "These",
    "Those",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "His",
    "Her",
    "Its",
    "Their",
    "Our",
    "My",
    "Your",
    "As",
    "If",
    "When",
    "While",
    "After",
    "Before",
    "Since",
    "For",
    "From",
    "With",
    "Without",
    "By",
    "To",
    "Of",
    "Under",
    "Over",
    "Despite",
    "Meanwhile",
    "Earlier",
    "Later",
    "Last",
    "Next",
    "Then",
    "Now",
    "So",
    "Yet",
    "According",
    "Both",
    "Some",
    "Many",
    "Most",
    "All",
    "Other",
    "Another",
    "Such",
    "Even",
    "Only",
    "Still",
    "There",
    "Here",
    "Where",
    "What",
    "Who",
    "Why",
    "How",
    "Which",
    "Speaking",
    "Addressing",
    "During",
    "Between",
    "Among",
    "Against",
    "Although",
    "Though",
    "Because",
    "Unlike",
    "Like",
    "Dear",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Following",
    "Asked",
    "Referring",
    "Elsewhere",
    "Yesterday",
    "Today",
    "Tomorrow",
    "Thus",
    "Therefore",
    "Moreover",
    "Furthermore",
    "Besides",
    "Instead",
    "Indeed",
    "Nevertheless",
    "Nonetheless",
    "Once",
    "Until",
    "Upon",
    "Within",
    "Through",
    "Across",
    "Along",
    "Around",
    "Near",
    "Outside",
    "Inside",
    "About",
    "Each",
    "Every",
    "Any",
    "No",
    "Not",
    "Nor",
    "Neither",
    "Either",
    "Whether",
    "Having",
    "Being",
    "Given",
    "Has",
    "Had",
    "Have",
    "Is",
    "Was",
    "Were",
    "Are",
    "Will",
    "Would",
    "Could",
    "Should",
    "May",
    "Might",
    "Can",
    "Must",
    "Did",
    "Does",
    "Do",
    "Let",
    "Please",
    "Thank",
    "Thanks",
    "Yes",
    "Well",
    "Oh",
    "Just",
    "Second",
    "Third",
    "Finally",
}
# East Asian names put the family name first: "Xi Jinping" is later "Xi".
FAMILY_NAME_FIRST = {
    "Xi",
    "Li",
    "Wang",
    "Zhang",
    "Liu",
    "Chen",
    "Yang",
    "Huang",
    "Zhao",
    "Wu",
    "Zhou",
    "Hu",
    "Sun",
    "Ma",
    "Zhu",
    "Guo",
    "He",
    "Lin",
    "Luo",
    "Gao",
    "Zheng",
    "Liang",
    "Xie",
    "Tang",
    "Han",
    "Cao",
    "Deng",
    "Feng",
    "Peng",
    "Jiang",
    "Wen",
    "Kim",
    "Park",
    "Moon",
    "Yoon",
    "Roh",
    "Ban",
    "Choi",
    "Jeong",
    "Kang",
    "Cho",
    "Lee",
    "Hun",
    "Mao",
}
MAX_NAME_WORDS = 5


@dataclass(slots=True)
class PersonFound:
    name: str
    first_pos: int
    role: str = ""
    evidence: int = 0
    aliases: set[str] = field(default_factory=set)


def strip_possessive(word: str) -> str:
    return POSSESSIVE.sub("", word) if word.endswith(("'s", "’s", "s'", "s’")) else word


def name_words(name: str) -> list[str]:
    return name.split()


def surname_forms(name: str) -> list[str]:
    """Short forms a later mention may use: last word, without al-/el- (Assad, al-Assad)."""
    words = name.split()
    last = words[-1]
    forms = [last]
    m = re.match(r"(?:[Aa]l|[Ee]l|[Aa]d|[Aa]sh|[Aa]s|[Aa]r)-(.+)$", last)
    if m:
        forms.append(m.group(1))
    if len(words) >= 2 and words[-2].lower() in ("bin", "ibn", "abu", "von", "van", "de", "al"):
        forms.append(" ".join(words[-2:]))
    if len(words) >= 3 and words[-3].lower() in ("von", "van") and words[-2] in ("der", "den"):
        forms.append(" ".join(words[-3:]))
    if words[0] in FAMILY_NAME_FIRST:
        forms.append(words[0])
    return forms


class PeopleFinder:
    """Finds people in the text segments of one article."""

    def __init__(self, gazetteer: Gazetteer):
        self.gaz = gazetteer

    def is_place_word(self, word: str) -> bool:
        refs = self.gaz.lookup(word)
        return any(r.kind in ("country", "adjective", "region", "blocked") for r in refs) or any(
            r.kind == "city" and r.target.population >= 1_000_000 for r in refs
        )

    def role_from_tokens(self, tokens: list[str]) -> str:
        """'Ukraine's President' -> 'Ukrainian President'; 'Kremlin's spokesman' -> 'Kremlin
        spokesman'. The role as the article gives it, possessives made adjectives."""
        out = []
        for tok in tokens:
            base = strip_possessive(tok)
            if base != tok:
                refs = self.gaz.lookup(base)
                country = next(
                    (
                        r.target
                        for r in refs
                        if r.kind == "country" and isinstance(r.target, Country)
                    ),
                    None,
                )
                if country is not None and country.iso in self.gaz.adjective_for:
                    base = self.gaz.adjective_for[country.iso]
            out.append(base)
        role = " ".join(out).strip(" ,")
        return role[:200]

    def split_chunk(self, words: list[str]) -> tuple[list[str], list[str]]:
        """(role words, name words) of a capitalised chunk."""
        cut = 0
        for i, w in enumerate(words):
            base = strip_possessive(w)
            if (
                base in TITLES
                or base in LEADING_STOP
                or (i < len(words) - 1 and self.is_place_word(base))
            ):
                cut = i + 1
        # Keep at least the last word as a name candidate.
        cut = min(cut, len(words) - 1) if words else 0
        return words[:cut], words[cut:]

    def valid_name(self, words: list[str]) -> bool:
        if not words or len(words) > MAX_NAME_WORDS:
            return False
        for w in words:
            base = strip_possessive(w)
            if base in NOT_NAME or base in TITLES or base in LEADING_STOP:
                return False
            if base.isupper() and len(base) > 1 and not base.endswith("."):
                return False
        if all(self.is_place_word(strip_possessive(w)) for w in words if len(w) > 2):
            return False
        return not words[-1].endswith(".")

    def find(self, segments: list[str]) -> list[PersonFound]:
        """People named in the segments (headline, caption, paragraphs), in order."""
        full: dict[str, PersonFound] = {}
        single_evidence: dict[str, str] = {}  # surname -> role, from "Mr Blair", "Blair said"
        candidates: list[tuple[str, int, str]] = []  # unevidenced full names, for a 2nd look
        offset = 0
        for text in segments:
            for m in NAME_CHUNK.finditer(text):
                words = m.group().split()
                role_words, name = self.split_chunk(words)
                if not name:
                    continue
                # A possessive ends the name: "Peskov's statement".
                name = [strip_possessive(w) for w in name]
                if not self.valid_name(name):
                    continue
                before = text[max(0, m.start() - 80) : m.start()]
                after = text[m.end() : m.end() + 100]
                role = ""
                titled = any(strip_possessive(w) in PERSON_TITLES for w in role_words)
                if titled:
                    role = self.role_from_tokens(
                        [w for w in role_words if strip_possessive(w) not in LEADING_STOP]
                    )
                elif rm := BEFORE_ROLE.search(before):
                    role = self.role_from_tokens(
                        [w for w in rm.group("role").split() if w not in LEADING_STOP]
                    )
                    role = re.sub(r"^(?:his|her|its|their|the|a|an)\s+", "", role)
                    titled = True
                evidence = (
                    titled
                    or AFTER_SPEECH.match(after) is not None
                    or BEFORE_SPEECH.search(before) is not None
                    or AFTER_APPOSITION.match(after) is not None
                )
                key = " ".join(name)
                pos = offset + m.start()
                if len(name) == 1:
                    honorific = any(w in HONORIFICS for w in role_words)
                    if evidence or honorific:
                        single_evidence.setdefault(key, role)
                    continue
                if evidence:
                    person = full.get(key)
                    if person is None:
                        full[key] = PersonFound(key, pos, role=role, evidence=1)
                    else:
                        person.evidence += 1
                        if not person.role and role:
                            person.role = role
                else:
                    candidates.append((key, pos, role))
            offset += len(text) + 1
        # A full name with no evidence of its own counts when its surname has some
        # ("Tony Blair ... Mr Blair said").
        for key, pos, role in candidates:
            if key in full:
                continue
            if any(f in single_evidence for f in surname_forms(key)):
                full[key] = PersonFound(key, pos, role=role or "", evidence=1)
        for person in full.values():
            if not person.role:
                for form in surname_forms(person.name):
                    if single_evidence.get(form):
                        person.role = single_evidence[form]
                        break
        return sorted(full.values(), key=lambda p: p.first_pos)
