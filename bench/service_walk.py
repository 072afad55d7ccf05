"""Walk every catalog service to its end as a citizen would, through the real Bot on a SQLite file.

    .venv/bin/python -m bench.service_walk                      # all services, every mode
    .venv/bin/python -m bench.service_walk --every 10 --json    # a sample, machine-readable

Modes: `menu` (the service's menu path, English), `en`, `te`, `te-latn` (a free-text request in that tag, built
from templates around the service's name, never one of its catalog examples or synonyms, then "yes" in that
tag), and `invalid` (the menu path again, with one invalid answer before each valid one; the re-ask must give a
reason). Answers are generated from each field's format or type, written the way documents print them and in
the request's tag. A walk is finished when it reaches its end: a reference number, a status answer (an
application's or the department's record, or "not found"; never "send your reference number") or an
information answer. Prints finished / total per mode and where the others stopped.
"""
from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from applications.connectors import EmbeddedConnector
from bot.engine import Bot
from bot.replies import IncomingMessage, Reply
from catalog.schema import FieldType, Service, ServiceField

TODAY = datetime(2026, 3, 2, 10, 30)
MODES = ("menu", "en", "te", "te-latn", "invalid")
MAX_TURNS = 40
REFERENCE = re.compile(r"AP-[A-Z]{2,5}-\d{4}-\d{6}")
RETRY_START = ("Sorry, ", "క్షమించండి, ")
RETRY_REST = (" Please try again", " దయచేసి మళ్లీ ప్రయత్నించండి")
# What a status answer says: an application's status line, a department's record, or that there is none.
STATUS_ENDS = ("Application *", "దరఖాస్తు *", "Status: *", "స్థితి: *", "could not find", "కనిపించలేదు")
YES = {"menu": "yes", "en": "yes", "te": "అవును", "te-latn": "avunu", "invalid": "yes"}

# Requests around the service's name (English, Telugu, romanized Telugu); the first that is not a catalog
# example or synonym is used.
TEMPLATES = {
    "en": ("I would like to apply for {name}", "please help me with {name}", "{name} please, how do I get it",
           "can you help me get {name} today"),
    "te": ("నాకు {name} కావాలి దయచేసి", "{name} కోసం సహాయం చేయండి", "దయచేసి {name} ఇప్పించండి"),
    "te-latn": ("naaku {name} kavali", "{name} kosam help cheyandi", "dayachesi {name} ivvandi"),
}
NAMES = {"en": "Ravi Kumar", "te": "రవి కుమార్", "te-latn": "Ravi Kumar"}
TEXTS = {"en": "Water pipe broken near the school for two days",
         "te": "పాఠశాల దగ్గర నీటి పైపు రెండు రోజులుగా పగిలి ఉంది",
         "te-latn": "school daggara water pipe rendu rojuluga pagilindi"}
MANDALS = {"en": "Tenali", "te": "తెనాలి", "te-latn": "Tenali"}
VILLAGES = {"en": "Kollipara village", "te": "మా ఊరు కొల్లిపర", "te-latn": "maa ooru Kollipara"}
PLACE_LISTS = {FieldType.district: "districts", FieldType.town: "towns", FieldType.temple: "temples"}


@dataclass
class Walk:
    service_id: str
    mode: str
    finished: bool = False
    stopped_at: str = ""  # the field or step where the walk stopped
    last_reply: str = ""
    turns: int = 0


@dataclass
class Report:
    walks: list[Walk] = field(default_factory=list)

    def finished(self, mode: str) -> tuple[int, int]:
        mine = [w for w in self.walks if w.mode == mode]
        return sum(w.finished for w in mine), len(mine)

    def lines(self) -> list[str]:
        out = []
        for mode in MODES:
            done, total = self.finished(mode)
            if total:
                out.append(f"{mode:8s} {done:4d} / {total:4d} finished ({100 * done / total:.1f}%)")
        return out


# ---------------------------------------------------------------- answers from formats and types
def free_text_request(service: Service, tag: str) -> str:
    from nlu.translit import to_latin

    taken = {e.text.casefold() for e in service.examples} | {s.casefold() for s in service.synonyms.all()}
    name = {"en": service.name.en.lower(), "te": service.name.te, "te-latn": to_latin(service.name.te)}[tag]
    for template in TEMPLATES[tag]:
        text = template.format(name=name)
        if text.casefold() not in taken:
            return text
    raise ValueError(f"every template for {service.id} is a catalog example")


def valid_answer(spec: ServiceField, catalog, tag: str, today: date) -> str:
    from nlu.answers import format_of

    fmt = format_of(spec)
    if fmt is not None:
        return fmt.example
    kind = spec.type
    if kind == FieldType.date:
        if spec.date_range == "future":
            return {"en": "tomorrow", "te": "రేపు", "te-latn": "repu"}[tag]
        return (today - timedelta(days=9000)).strftime("%d/%m/%Y")
    if kind in (FieldType.number, FieldType.amount):
        return _number(spec, tag)
    if kind == FieldType.choice:
        choice = spec.choices[-1]
        latin = [s for s in choice.synonyms if s.isascii()]
        return {"en": choice.label.en, "te": choice.label.te, "te-latn": latin[0] if latin else choice.label.en}[tag]
    if kind in PLACE_LISTS:
        places = getattr(catalog.gazetteer, PLACE_LISTS[kind])
        if not places:
            return MANDALS[tag]
        place = places[0]
        latin = [a for a in place.aliases if a.isascii()]
        return {"en": place.name.en, "te": place.name.te, "te-latn": latin[0] if latin else place.name.en}[tag]
    if kind == FieldType.name:
        return NAMES[tag]
    if kind == FieldType.mandal:
        return MANDALS[tag]
    if kind == FieldType.village:
        return VILLAGES[tag]
    if kind == FieldType.survey_number:
        return "123/4A"
    return TEXTS[tag]


def _number(spec: ServiceField, tag: str) -> str:
    low = spec.min if spec.min is not None else 1
    high = spec.max if spec.max is not None else max(low, 120000)
    value = min(max(120000 if spec.type == FieldType.amount else 3, low), high)
    if spec.type == FieldType.amount and tag == "en":
        return f"Rs. {_indian(value)}"
    return f"{value:g}"


def _indian(value: float) -> str:
    """1,20,000: how Indian documents group rupees."""
    whole = f"{int(value)}"
    head, tail = whole[:-3], whole[-3:]
    groups = [head[max(0, i - 2):i] for i in range(len(head), 0, -2)][::-1]
    return ",".join([*groups, tail]) if head else tail


def invalid_answer(spec: ServiceField, today: date) -> str:
    from nlu.answers import format_of

    if format_of(spec) is not None:
        return "no number here"
    kind = spec.type
    if kind == FieldType.date:
        return {"past": (today + timedelta(days=30)).strftime("%d-%m-%Y"),
                "future": (today - timedelta(days=30)).strftime("%d-%m-%Y")}.get(spec.date_range, "no date here")
    if kind in (FieldType.number, FieldType.amount):
        return "lots" if spec.max is None else f"{spec.max * 10 + 1:.0f}"
    return {FieldType.choice: "zzz qqq", FieldType.name: "12345", FieldType.text: "x",
            FieldType.mandal: "7", FieldType.village: "7", FieldType.survey_number: "survey?"}.get(kind, "Atlantis Nowhere 42")


# ---------------------------------------------------------------- one walk
class Walker:
    def __init__(self, bot: Bot, catalog):
        self.bot = bot
        self.catalog = catalog
        self.ids = itertools.count(1)
        self.citizens = itertools.count(1)

    def walk(self, service: Service, mode: str) -> Walk:
        citizen = f"9170{next(self.citizens):08d}"
        walk = Walk(service.id, mode)
        tag = "en" if mode in ("menu", "invalid") else mode

        def say(text=None, choice=None) -> list[Reply]:
            walk.turns += 1
            replies = self.bot.handle(IncomingMessage(citizen, f"wamid.walk{next(self.ids)}", text=text,
                                                      choice_id=choice))
            walk.last_reply = "\n".join(r.text for r in replies)[-300:]
            return replies

        replies = self._open(service, mode, tag, say, walk)
        if replies is None:
            return walk
        today = TODAY.date()
        refused_once: set[str] = set()
        while walk.turns < MAX_TURNS:
            if self._ended(service, replies):
                walk.finished = True
                return walk
            if replies and replies[-1].buttons and replies[-1].buttons[0].id == "submit":
                replies = say(choice="submit")
                continue
            if replies and [b.id for b in replies[-1].buttons] == ["yes", "no"]:  # "Did you mean …?"
                replies = say(YES[mode])
                continue
            spec = self._asked(service, replies)
            if spec is None:
                walk.stopped_at = "no question asked"
                return walk
            if mode == "invalid" and spec.name not in refused_once:
                refused_once.add(spec.name)
                refused = say(invalid_answer(spec, today))
                if not _gives_reason(refused, spec):
                    walk.stopped_at = f"{spec.name}: re-ask without a reason"
                    return walk
            replies = say(valid_answer(spec, self.catalog, tag, today))
            at_summary = replies and replies[-1].buttons and replies[-1].buttons[0].id == "submit"
            if self._asked(service, replies) is spec and not at_summary and not self._ended(service, replies):
                walk.stopped_at = f"{spec.name} ({spec.format or spec.type.value}) refused " \
                                  f"{valid_answer(spec, self.catalog, tag, today)!r}"
                return walk
        walk.stopped_at = "too many turns"
        return walk

    def _open(self, service, mode, tag, say, walk) -> list[Reply] | None:
        if mode in ("menu", "invalid"):
            say(choice="lang:en")
            say("menu")
            say(str(service.menu_path[0]))
            return say(str(service.menu_path[1]))
        replies = say(free_text_request(service, tag))
        last = replies[-1] if replies else None
        if last and last.kind == "list" and any(r.id == f"svc:{service.id}" for r in last.rows):
            return say(choice=f"svc:{service.id}")
        if last and last.buttons and last.buttons[0].id == "yes" and _names(service, last.text):
            return say(YES[mode])
        walk.stopped_at = "routed elsewhere"
        return None

    def _ended(self, service: Service, replies: list[Reply]) -> bool:
        text = "\n".join(r.text for r in replies)
        outcome = service.outcome.value
        if outcome == "information":
            return _names(service, text) and not any(f.prompt.en in text or f.prompt.te in text
                                                     for f in service.fields)
        if outcome == "status":  # a status or a not-found answer; "send your reference number" is no end
            return any(key in text for key in STATUS_ENDS)
        if outcome == "booking":  # its one number, the booking's, comes with the ticket or slip after a pick
            return any(k in text for k in ("Noted. Your booking number", "మీ బుకింగ్ నంబర్ వస్తుంది"))
        return bool(REFERENCE.search(text)) and any(k in text for k in ("Submitted", "సమర్పించబడింది",
                                                                        "Noted. Your reference", "నమోదు చేశాను"))

    @staticmethod
    def _asked(service: Service, replies: list[Reply]) -> ServiceField | None:
        for reply in reversed(replies):
            found = [f for f in service.fields if f.prompt.en in reply.text or f.prompt.te in reply.text]
            if found:
                return max(found, key=lambda f: len(f.prompt.en))
        return None


def _names(service: Service, text: str) -> bool:
    return service.name.en in text or service.name.te in text


def _gives_reason(replies: list[Reply], spec: ServiceField) -> bool:
    """The re-ask starts "Sorry, <reason>. Please try again" with a reason of its own, and asks again."""
    text = "\n".join(r.text for r in replies)
    first = replies[0].text if replies else ""
    for start, rest in zip(RETRY_START, RETRY_REST, strict=True):
        if first.startswith(start) and rest in first:
            reason = first[len(start):first.index(rest)]
            return len(reason.strip()) >= 8 and (spec.prompt.en in text or spec.prompt.te in text)
    return False


# ---------------------------------------------------------------- running
def build_bot(catalog, router, data_dir: Path) -> Bot:
    from core.db import init_db, make_session_factory
    from core.settings import Settings

    settings = Settings(_env_file=None, secret_key="service-walk", data_dir=data_dir,
                        public_base_url="http://127.0.0.1:8000")
    sessions = make_session_factory(init_db(f"sqlite:///{data_dir / 'walk.db'}"))
    return Bot(catalog, router, sessions, EmbeddedConnector.for_catalog(sessions, catalog, settings), settings,
               clock=lambda: TODAY)


def run(catalog, router, services: list[Service], modes=MODES, data_dir: Path | None = None) -> Report:
    report = Report()
    with tempfile.TemporaryDirectory() as tmp:
        walker = Walker(build_bot(catalog, router, data_dir or Path(tmp)), catalog)
        for mode in modes:
            if mode not in ("menu", "invalid") and router is None:
                continue
            for service in services:
                report.walks.append(walker.walk(service, mode))
    return report


def load_router(catalog, models_root: Path | None):
    from nlu.router import Router

    if models_root is None:
        from tests.conftest import router_cache_dir

        models_root = router_cache_dir(catalog)
    return Router.load(catalog=catalog, models_root=models_root)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modes", default=",".join(MODES), help="comma-separated: " + ", ".join(MODES))
    parser.add_argument("--every", type=int, default=1, help="walk every Nth service (in menu order)")
    parser.add_argument("--service", action="append", default=[], help="walk only this service id (repeatable)")
    parser.add_argument("--models-root", type=Path, help="routing models (default: the test cache's)")
    parser.add_argument("--json", action="store_true", help="print every walk as JSON lines")
    args = parser.parse_args(argv)
    from catalog.loader import load_catalog

    catalog = load_catalog()
    services = sorted(catalog.services.values(), key=lambda s: s.menu_path)
    services = [catalog.services[s] for s in args.service] if args.service else services[::args.every]
    modes = [m for m in args.modes.split(",") if m]
    router = load_router(catalog, args.models_root) if any(m in ("en", "te", "te-latn") for m in modes) else None
    report = run(catalog, router, services, modes)
    if args.json:
        for walk in report.walks:
            print(json.dumps(walk.__dict__, ensure_ascii=False))
    else:
        for walk in report.walks:
            if not walk.finished:
                print(f"  {walk.mode:8s} {walk.service_id}: {walk.stopped_at} | {walk.last_reply[-120:]!r}")
    print("\n".join(report.lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
