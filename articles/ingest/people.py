"""Finding people in an article: capitalised name chunks plus the evidence around them (a role
word before, "said" after, the person tagger), then short mentions resolved to the full name.

See docs/extraction.md for the rules and the traps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .gazetteer import Country, Gazetteer
from .names import (
    AFTER_ACTION,
    AFTER_APPOSITION,
    AFTER_CLUB,
    AFTER_OF_COUNTRY,
    AFTER_SPEECH,
    BEFORE_ROLE,
    BEFORE_SPEECH,
    COMPANY_SUFFIXES,
    FIRM_NAMES,
    HONORIFICS,
    LEADING_STOP,
    MAX_NAME_WORDS,
    NAME_CHUNK,
    NOT_NAME,
    ORG_AFTER,
    ORG_BEFORE,
    PERSON_TITLES,
    PREPOSITION_BEFORE,
    ROLE_NOUN_SET,
    SPEECH_HINT,
    TITLES,
    TRAILING_STRAY,
    TRAILING_TITLES,
    given_names,
    same_person,
    strip_possessive,
)
from .places import is_title_case_line as is_title_case
from .tagger import load_weights, run_features, tag

# "Analysts at Harwood Lambert", "economists with Nomura": the name is their employer.
STAFF_OF = re.compile(
    r"\b(?:analysts?|economists?|dealers?|traders?|officials?|sources?|staff|workers|employees"
    r"|executives|bankers|researchers|experts|strategists|spokesm[ae]n)\s+(?:at|with|from)\s+$",
    re.I,
)
ORG_ENDINGS = ("bank", "werk", "werke", "gesellschaft", "kasse", "versicherung")


@dataclass(slots=True)
class PersonFound:
    name: str
    first_pos: int
    role: str = ""
    evidence: int = 0
    aliases: set[str] = field(default_factory=set)
    titled: bool = False  # named with an honorific or a title (Mr Reed, President Xi)
    tagged: bool = False  # only the person tagger marks it (no rule gives evidence)


@lru_cache(maxsize=65536)
def _is_place_word(gaz: Gazetteer, word: str) -> bool:
    """A country, demonym, region, blocked phrase or big city's name (cached: asked often)."""
    refs = gaz.lookup(word)
    return any(r.kind in ("country", "adjective", "region", "blocked") for r in refs) or any(
        r.kind == "city" and r.target.population >= 1_000_000 for r in refs
    )


class PeopleFinder:
    """Finds people in the text segments of one article."""

    def __init__(self, gazetteer: Gazetteer):
        self.gaz = gazetteer
        self.given = given_names()
        self.weights = load_weights()
        self.lexicon = self.tagger_lexicon()

    def place_refs(self, word: str):
        return self.gaz.lookup(word)

    def is_adjective(self, word: str) -> bool:
        """A demonym or a country's possessive: "Russian", "Russia's"."""
        base = strip_possessive(word)
        refs = self.gaz.lookup(base)
        if base != word:
            return any(r.kind in ("country", "region", "adjective") for r in refs)
        return any(r.kind == "adjective" for r in refs)

    def is_place_word(self, word: str) -> bool:
        return _is_place_word(self.gaz, word)

    def tagged_name(self, text: str, m: re.Match, words: list[str], start: int, name: list[str]):
        """(start, name, tagged): the rules' name trimmed to the words the person tagger marks
        ("Exchequer Nigel Lawson" -> "Nigel Lawson", "Patrick Henry Recently" -> "Patrick
        Henry"), or grown by a given name the rules cut as a sentence start or a word of
        organisations ("Will Carling", "Christian Blanc"); and whether the tagger marks it."""
        before = text[max(0, m.start() - 40) : m.start()]
        after = text[m.end() : m.end() + 30]
        feats = run_features(words, before, after, False, *self.lexicon)
        tags = tag(self.weights, feats)
        for i in range(len(words) - 2, 0, -1):
            if words[i][0].islower() and tags[i + 1] and tags[i - 1]:
                tags[i] = True  # a particle inside a tagged name: Lula da Silva
        if start and tags[start - 1] and words[start - 1] in self.given and name:
            start, name = start - 1, [words[start - 1], *name]
        inside = tags[start : start + len(name)]
        if not any(inside):
            return start, name, False
        first = inside.index(True)
        last = first
        while last + 1 < len(inside) and (
            inside[last + 1] or name[last][0].islower() or name[last + 1][0].islower()
        ):
            last += 1  # through particles: "Joana Ribeiro da Costa"
        if last == first and len(name) > 1:
            return start, name, False  # one word of a longer name: "Victoria Beckham" stays
        # The rules already drop stray words at the end: the tagger does not cut a surname
        # ("Christine Blasey Ford").
        return start + first, name[first:], True

    def is_org_word(self, word: str) -> bool:
        return word in NOT_NAME

    def tagger_lexicon(self):
        """The word tests the person tagger's features use (given name, place, title, org)."""
        return (self.given.__contains__, self.is_place_word, self.is_title, self.is_org_word)

    def skip_run(self, run: str) -> bool:
        """A one-word run that is never a name: a sentence start, an organisation word, a place."""
        return " " not in run and (
            run in LEADING_STOP or run in NOT_NAME or self.is_place_word(run)
        )

    def is_country(self, text: str) -> bool:
        return any(r.kind == "country" for r in self.gaz.lookup(text.rstrip(".,")))

    def role_from_tokens(self, tokens: list[str]) -> str:
        """'Ukraine's President' -> 'Ukrainian President'; 'Kremlin's spokesman' -> 'Kremlin
        spokesman'. The role as the article gives it, possessives made adjectives."""
        out = []
        for tok in tokens:
            base = strip_possessive(tok)
            if base != tok:
                country = next(
                    (r.target for r in self.gaz.lookup(base) if isinstance(r.target, Country)),
                    None,
                )
                if country is not None and country.iso in self.gaz.adjective_for:
                    base = self.gaz.adjective_for[country.iso]
            out.append(base)
        return " ".join(out).strip(" ,")[:200]

    def is_title(self, word: str) -> bool:
        base = strip_possessive(word)
        if base[:3] in ("Ex-", "ex-"):
            base = base[3:]  # "Ex-Speaker Boehner"
        if "-" in base and all(part in TITLES for part in base.split("-")):
            return True  # "Director-General Tedros", "Secretary-General"
        return base in TITLES or base.lower() in ROLE_NOUN_SET

    def split_chunk(self, words: list[str]) -> tuple[list[str], list[str]]:
        """(role words, name words) of a capitalised chunk: everything up to the last title,
        sentence-start word, demonym or organisation word is the role ("Chairman of the
        Environmental Audit Committee Peter Ainsworth", "Entertainment Weekly's Dave Karger").
        A possessive ends a name: "Martin Scorsese's Aviator"."""
        for i, w in enumerate(words[:-1]):
            if strip_possessive(w) != w and i >= 1:
                if len(words) - i - 1 < 2 or words[0] in self.given:
                    words = words[: i + 1]  # "Clint Eastwood's Million Dollar Baby"
                break
        while len(words) > 1 and (words[-1] in TRAILING_TITLES or words[-1] in TRAILING_STRAY):
            words = words[:-1]  # "Peter Ainsworth MP", "Clayton Yeutter Speaking"
        cut = 0
        for i, w in enumerate(words[:-1]):
            base = strip_possessive(w)
            if (
                self.is_title(w)
                or base in LEADING_STOP
                or self.is_adjective(w)
                or (base != w and len(words) - i - 1 >= 2)
                or (base in NOT_NAME and len(words) - i - 1 >= 2)
            ):
                cut = i + 1
        return words[:cut], words[cut:]

    def valid_name(
        self, words: list[str], *, honorific: bool = False, given_first: bool = False
    ) -> bool:
        """Could these words be a person's name? ("Mr Irish" may be; "Irish" alone may not).
        ``given_first``: the first word is a given name even if it also starts sentences or
        organisations (Will, Christian)."""
        if not words or len(words) > MAX_NAME_WORDS:
            return False
        last = words[-1]
        if (words[0] in LEADING_STOP and not given_first) or last.islower() or last.endswith("."):
            return False
        for i, w in enumerate(words):
            if i == 0 and given_first and len(words) > 1:
                continue
            if w in NOT_NAME or w in TITLES or (w.isupper() and len(w) > 1 and w[-1] != "."):
                return False
            if w.endswith(ORG_ENDINGS):
                return False  # "Deutsche Genossenschaftsbank", "Volkswagenwerk"
        if honorific:
            return True
        if len(words) >= 2 and self.gaz.lookup(" ".join(words)):
            return False  # a place's own name: "Rio de Janeiro, ministry spokeswoman ..."
        return not all(self.is_place_word(w) for w in words if len(w) > 2)

    def org_context(self, text: str, start: int, end: int, role_words: list[str]) -> bool:
        """An organisation's context: "chocolate maker Barry Callebaut", "Al Masirah television"."""
        if ORG_AFTER.match(text, end, end + 40):
            return True
        tail = text[max(0, start - 32) : start]
        if role_words:
            return False
        return ORG_BEFORE.search(tail) is not None or STAFF_OF.search(tail) is not None

    def evidence(self, text: str, start: int, end: int, role_words: list[str], name: list[str]):
        """(is there evidence this is a person, the role as written).

        The regexes that look backwards end in ``$`` and would try every position of the
        window, so each runs only on a short tail and only when a cheap word test passes."""
        before = text[max(0, start - 90) : start]
        tail = before[-32:]
        after = text[end : end + 120]
        role_words = [w for w in role_words if strip_possessive(w) not in LEADING_STOP]
        if self.org_context(text, start, end, role_words):
            return False, ""
        if any(self.is_title(w) for w in role_words):
            return True, self.role_from_tokens(role_words)
        recent = before.lower().split()[-9:]
        tails = [w.rstrip(",").rsplit("-", 1)[-1] for w in recent]  # "co-chairman,"
        has_role_noun = any(w in ROLE_NOUN_SET or w[:-1] in ROLE_NOUN_SET for w in tails)
        if has_role_noun and (rm := BEFORE_ROLE.search(before)):
            role = self.role_from_tokens(
                [w for w in rm.group("role").split() if w not in LEADING_STOP]
            )
            role = re.sub(r"^(?:his|her|its|their|the|a|an)\s+", "", role)
            return True, role
        if role_words and all(self.is_adjective(w) for w in role_words):
            return True, self.role_from_tokens(role_words)  # "Georgian Levan Kapanadze"
        if (SPEECH_HINT.search(tail) and BEFORE_SPEECH.search(tail)) or (
            "," in after[:2] and AFTER_APPOSITION.match(after)
        ):
            return True, ""
        if AFTER_SPEECH.match(after):
            # "Analysts at Goldman Sachs said": an organisation after a preposition.
            return PREPOSITION_BEFORE.search(tail) is None, ""
        if len(name) >= 2 and (AFTER_ACTION.match(after) or AFTER_CLUB.match(after)):
            return True, ""
        om = AFTER_OF_COUNTRY.match(after) if len(name) >= 2 else None
        if om and self.is_country(om.group("place")):
            return True, ""  # "Jordan Mills of the U.S."
        if len(name) >= 2 and name[0] in self.given and not self.is_place_word(name[-1]):
            return True, ""  # "Danny Holt's low shot"
        return False, ""

    def find(
        self,
        segments: list[str],
        chunks: list[tuple[int, str]] | None = None,
        *,
        headline: bool = True,
    ) -> list[PersonFound]:
        """People named in the segments (headline, caption, paragraphs), in order; ``headline``
        says whether the first segment is a headline.

        ``chunks``, if given, receives every capitalised run as (offset in the joined text,
        run), so mentions can be counted without scanning the text again."""
        evidenced: dict[str, PersonFound] = {}
        others: list[tuple[str, int, bool]] = []  # (name, pos, from a title-case line)
        rejected: set[str] = set()  # single words that are never names (Officials, Iran)
        companies: set[str] = set()
        offset = 0
        for index, text in enumerate(segments):
            # A list of names ("Billy Andrade, Duffy Waldorf, ...") is not a Title Case headline.
            title_case = is_title_case(text) and ((index == 0 and headline) or "," not in text)
            for m in NAME_CHUNK.finditer(text):
                run = m.group()
                if chunks is not None:
                    chunks.append((offset + m.start(), run))
                if run in rejected:
                    continue
                words = run.split()
                if len(words) > 1 and words[-1] in COMPANY_SUFFIXES:
                    companies.add(" ".join(strip_possessive(w) for w in words[:-1]))
                if len(words) == 1 and (
                    run in LEADING_STOP or run in NOT_NAME or self.is_place_word(run)
                ):
                    rejected.add(run)
                    continue
                read = self.name_of_run(text, m, words, title_case)
                if read is None:
                    continue
                role_words, name, tagged = read
                key = " ".join(name)
                pos = offset + m.start()
                known = evidenced.get(key)
                if known is not None and known.role:
                    known.evidence += 1  # already a person with a role: nothing to learn
                    continue
                has_evidence, role = (
                    (False, "")
                    if title_case
                    else self.evidence(text, m.start(), m.end(), role_words, name)
                )
                titled = len(name) == 1 and any(
                    strip_possessive(w) in PERSON_TITLES for w in role_words
                )
                if tagged and self.org_context(text, m.start(), m.end(), role_words):
                    tagged = False
                only_tagged = tagged and not (has_evidence or titled)
                if titled or tagged:
                    has_evidence = True
                if has_evidence:
                    self.record(evidenced, key, pos, role, titled=titled, only_tagged=only_tagged)
                else:
                    others.append((key, pos, title_case))
            offset += len(text) + 1
        # Names the article also gives as a company ("Cooper LaserSonics Inc"), and firms.
        companies |= FIRM_NAMES
        evidenced = {k: p for k, p in evidenced.items() if k not in companies}
        others = [o for o in others if o[0] not in companies]
        return self.merge(evidenced, others)

    def name_of_run(self, text: str, m: re.Match, words: list[str], title_case: bool):
        """(role words, name, tagged) of one capitalised run, or None if it holds no name."""
        role_words, name = self.split_chunk(words)
        tagged = False
        if self.weights and not title_case:
            start, name, tagged = self.tagged_name(text, m, words, len(role_words), name)
            role_words = words[:start]
        # A possessive ends the name: "Peskov's statement".
        name = [strip_possessive(w) for w in name]
        honorific = any(w in HONORIFICS for w in role_words)
        given_first = tagged and name[0] in self.given
        if not self.valid_name(name, honorific=honorific, given_first=given_first):
            return None
        return role_words, name, tagged

    @staticmethod
    def record(evidenced, key: str, pos: int, role: str, *, titled: bool, only_tagged: bool):
        """Add one evidenced mention of ``key`` to the people found so far."""
        person = evidenced.get(key)
        if person is None:
            person = evidenced[key] = PersonFound(key, pos, role=role, evidence=1)
            person.titled = titled
            person.tagged = only_tagged
            return
        person.titled = person.titled or titled
        person.tagged = person.tagged and only_tagged
        person.evidence += 1
        person.first_pos = min(person.first_pos, pos)
        person.role = person.role or role

    def merge(
        self, evidenced: dict[str, PersonFound], others: list[tuple[str, int, bool]]
    ) -> list[PersonFound]:
        """Full names win: a short form with evidence ("Mr Blair", "Suu Kyi, 79,") lends it to
        the full name it shortens, and is then folded into it."""
        people = dict(evidenced)
        singles = {k for k in evidenced if " " not in k}
        for key, pos, title_case in others:
            if key in people or len(key.split()) < 2 or title_case:
                continue
            shorts = [short for short in evidenced if same_person(short, key, loose=False)]
            # "Pezeshkian Sharif" in a headline is two people, not one.
            if shorts and not any(w in singles and w not in shorts for w in key.split()):
                people[key] = PersonFound(key, pos)
        for key, pos, _ in others:
            if key in people:
                people[key].first_pos = min(people[key].first_pos, pos)
        # "Pezeshkian Sharif" read by the tagger alone, where both are surnames of others.
        for key in [k for k, p in people.items() if p.tagged and " " in k]:
            surnames = {k.split()[-1] for k in people if " " in k and k != key}
            if all(w in surnames for w in key.split()):
                del people[key]
        names = sorted(people, key=lambda k: -len(k.split()))
        for short in sorted(people, key=lambda k: len(k.split())):
            longer = [full for full in names if same_person(short, full)]
            if not longer:
                continue
            target = people[longer[0]]
            gone = people.pop(short)
            target.role = target.role or gone.role
            target.first_pos = min(target.first_pos, gone.first_pos)
            target.aliases.add(short)
            names.remove(short)
        # A one-word name stands alone only with an honorific or title (Mr Reed, President
        # Xi); "Officials said", "Dell said" are not people.
        for key in [k for k in people if " " not in k]:
            if not people[key].titled:
                del people[key]
        # One-word names with no full form (Mr Reed) are kept as the article gives them.
        return sorted(people.values(), key=lambda p: p.first_pos)
