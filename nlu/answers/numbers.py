"""Counts and rupee amounts in figures or words ("ఐదుగురు", "three of us", "రెండు లక్షలు", "1.2L",
"Rs. 1,20,000"), checked against the field's min and max."""
from __future__ import annotations

import re
from functools import cache

from catalog.schema import ServiceField
from nlu import words
from nlu.answers.types import Answer, Unclear
from nlu.entities import MOBILE_RE, parse_amount, parse_number
from nlu.entities.amounts import WAGE_WORDS, amount_among_words, amounts_among_words, words_to_figures
from nlu.entities.persons import persons_matches
from nlu.entities.text import fold
from nlu.normalize import ascii_digits, normalize

BY_THE_MONTH = 0.7  # a monthly figure made yearly is confirmed with the citizen
LOOKS_LIKE_MOBILE = 0.5  # so is an amount written as a mobile number (a reply to the wrong question)
AMONG_WORDS = 0.7  # and an amount picked out of a longer answer


def _fmt(value: float) -> str:
    return f"{value:g}"


def range_values(spec: ServiceField) -> dict:
    low, high = spec.min, spec.max
    if low is not None and high is not None:
        return {"range": ("range_between", {"low": _fmt(low), "high": _fmt(high)})}
    if low:  # "at least 0" tells nothing
        return {"range": ("range_min", {"low": _fmt(low)})}
    if high is not None:
        return {"range": ("range_max", {"high": _fmt(high)})}
    return {"range": ""}


def _in_range(spec: ServiceField, number: float) -> bool:
    return (spec.min is None or number >= spec.min) and (spec.max is None or number <= spec.max)


def parse_number_answer(spec: ServiceField, text: str) -> Answer | Unclear:
    number = parse_number(text)
    if number is None:  # a count of people with its case ending: "iddariki", "ముగ్గురికి" (for three)
        counts = {count for *_, count in persons_matches(fold(normalize(text or "")))}
        number = counts.pop() if len(counts) == 1 else None
    party = party_size(text) if spec.name in PEOPLE_COUNTS else None
    if party is not None and party != number and _in_range(spec, party):
        return Answer(_fmt(party), _fmt(party), PEOPLE_ADDED_UP, ("people_in_all", {"count": _fmt(party)}))
    if number is None or not _in_range(spec, number):
        return Unclear("invalid_number", range_values(spec))
    return Answer(_fmt(number), _fmt(number))


# Fields that count people: "nenu, maa aavida, iddaru pillalu" is four of them, not the two its one number says
PEOPLE_COUNTS = frozenset({"passengers", "persons", "travellers", "pilgrims", "family_members", "guests",
                           "adult_members"})
PEOPLE_ADDED_UP = 0.7  # a count added up from the people named is confirmed with the citizen
# one person each, when no number stands beside the word
_ONE_PERSON = frozenset("""i me myself nenu naaku naku naatho wife husband mother father son daughter brother
    sister friend mom dad grandmother grandfather amma nanna aavida avida bharya bhaarya bharta bhartha mogudu
    koduku kuthuru kooturu abbayi ammayi thammudu tammudu anna akka chelli chellelu atta attha mama ammamma
    nanamma thatha tatha నేను నాకు అమ్మ నాన్న భార్య ఆవిడ భర్త కొడుకు కూతురు అబ్బాయి అమ్మాయి తమ్ముడు అన్న అక్క
    చెల్లి తాత అమ్మమ్మ నానమ్మ అత్త మామ""".split())  # noqa: SIM905
# people in a number not said ("the kids"): no count can be added up
_SOME_PEOPLE = frozenset("kids children pillalu పిల్లలు people persons adults vallu".split())  # noqa: SIM905
_ALL_COUNTED = frozenset("including total kalipi motham కలిపి సహా మొత్తం".split())  # noqa: SIM905
_ENDINGS = re.compile(r"(?:ki|ku|tho|కి|కు|తో)$")


def party_size(text: str, *, asked: bool = True) -> int | None:
    """The number of people a message names, each person word one and each number its people ("me, my wife and
    two kids" -> 4), or None where it names none, or says the total itself ("4 including me"). Not `asked` (a
    request, not an answer to "how many?"), a number counts only beside a word for people: "for my mother on 15
    August" is one."""
    tokens = re.findall(r"[,;&]|[^\s,;&.!?]+", words_to_figures(fold(normalize(text or ""))))
    if any(t in _ALL_COUNTED for t in tokens):
        return None
    counted = _counted_by_a_number(tokens)
    total, persons, numbers = 0, 0, 0
    for i, token in enumerate(tokens):
        if token.isdigit() and (asked or i in counted.values()):
            total, numbers = total + int(token), numbers + 1
        elif _a_person(token) and i not in counted:
            total, persons = total + 1, persons + 1
        elif token in _SOME_PEOPLE and i not in counted:
            return None
    return total if persons or numbers > 1 else None


def _counted_by_a_number(tokens: list[str]) -> dict[int, int]:
    """{index of a people word: index of the number that counts it}: "2 kids", "pillalu iddaru". A number
    counts the word for several people beside it before a word for one ("nenu, avida 2 pillalu": the 2 is
    the children, and the wife is one more), and the word after it before the one before it."""
    counted = {}
    for i, token in enumerate(tokens):
        if not token.isdigit():
            continue
        beside = [j for j in (i + 1, i - 1) if 0 <= j < len(tokens)]
        for people in (lambda word: word in _SOME_PEOPLE, _a_person):
            j = next((j for j in beside if people(tokens[j])), None)
            if j is not None:
                counted[j] = i
                break
    return counted


def _a_person(token: str) -> bool:
    return token in _ONE_PERSON or _ENDINGS.sub("", token) in _ONE_PERSON


def parse_amount_answer(spec: ServiceField, text: str) -> Answer | Unclear:
    """Rupees; for an amount asked per year, also by the month ("nelaku 15000", "15000 per month") or with the
    year said ("సంవత్సరానికి 1.8 లక్షలు"). A monthly figure is stored ×12 and shown with both. An amount picked
    out of a longer answer ("maa nanna kooli pani, nelaku 8 velu vastayi") is confirmed."""
    amount, monthly = parse_amount(text), None
    by_the_month = _said_per(text, words.PER_MONTH) if spec.per == "year" else ""
    if spec.per == "year" and not by_the_month and not _said_per(text, words.PER_YEAR):
        by_the_month = _said_per(text, WAGE_WORDS)  # "salary 8000 only": a wage is said by the month
    if by_the_month:  # "Rs 15,000 p.m." holds an amount too, but not the yearly one
        monthly = parse_amount(by_the_month) or amount_among_words(by_the_month)
        amount = monthly * 12 if monthly is not None else None
    elif amount is None and spec.per == "year":
        amount = parse_amount(_said_per(text, words.PER_YEAR))
    # a period the field is not asked by ("nelaku 15000" for a loan) stays refused
    among = amount is None and monthly is None and (spec.per == "year" or not _says_a_period(text))
    if among:
        amount = amount_among_words(text)
    if amount is None and among and len(several := _several_amounts(spec, text)) > 1:
        return Unclear("which_amount", {"amounts": " / ".join(map(rupees, several))})
    if amount is None or not _in_range(spec, amount):
        return Unclear("invalid_amount", range_values(spec))
    if monthly is not None:
        note = ("amount_by_the_month", {"year": rupees(amount), "month": rupees(monthly)})
        return Answer(f"{amount:.15g}", rupees(amount), BY_THE_MONTH, note)
    if among:
        return Answer(f"{amount:.15g}", rupees(amount), AMONG_WORDS)
    if MOBILE_RE.fullmatch(ascii_digits(text or "").strip()):
        return Answer(f"{amount:.15g}", rupees(amount), LOOKS_LIKE_MOBILE,
                      ("amount_like_mobile", {"amount": rupees(amount)}))
    return Answer(f"{amount:.15g}", rupees(amount))


def _several_amounts(spec: ServiceField, text: str) -> list[float]:
    """Amounts an answer holds beside each other ("bill came 4500 instead of usual 800"): asked which, not refused
    as none. Small figures are counts ("2 acres, 50000"), not amounts."""
    return [a for a in amounts_among_words(text) if a >= 10 and _in_range(spec, a)]


def _says_a_period(text: str) -> bool:
    return bool(_said_per(text, words.PER_MONTH) or _said_per(text, words.PER_YEAR))


def _said_per(text: str, period: set[str]) -> str:
    """The answer without its words for `period`, or "" when it has none."""
    left, found = _period_words(frozenset(period)).subn(" ", (text or "").casefold())
    return " ".join(left.split()) if found else ""


@cache
def _period_words(period: frozenset[str]) -> re.Pattern:
    spoken = "|".join(sorted(map(re.escape, period), key=len, reverse=True))
    # "15000pm", "15000/month": a figure or a slash may touch the word, a letter may not.
    return re.compile(rf"(?:/\s*|(?<![a-z\u0c00-\u0c7f]))(?:{spoken})(?![a-z\u0c00-\u0c7f])")


def rupees(amount: float, *, always_paise: bool = False) -> str:
    """₹1,20,000.50: Indian grouping (lakhs), paise only when there are any (always on a document). The one
    way mitra writes money: replies, summaries, receipts and tickets."""
    whole, paise = divmod(round(amount * 100), 100)
    digits = str(int(whole))
    head, tail = digits[:-3], digits[-3:]
    groups = [head[max(0, i - 2):i] for i in range(len(head), 0, -2)][::-1]
    text = ",".join([*groups, tail]) if head else tail
    return f"₹{text}" + (f".{paise:02d}" if paise or always_paise else "")
