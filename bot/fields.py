"""The dialogue's view of one answer: `check_answer` adapts nlu.answers (and catalog.formats) to the
dialogue's Answer (value, or a messages.yaml key with values), and shows stored values back masked."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.texts import Texts
from catalog.formats import get_format
from catalog.schema import Bilingual, FieldType, Gazetteer, ServiceField
from nlu import answers
from nlu.answers import AnswerContext, Suggestion, Unclear, format_of
from nlu.answers.identifiers import MITRA_REFERENCE


@dataclass
class Answer:
    value: str | None = None
    error: str | None = None  # a key in messages.yaml
    error_values: dict = field(default_factory=dict)
    display: str = ""  # how the value is shown back ("FIR 123/2026", "Guntur")
    confidence: float = 1.0
    suggestions: tuple[Suggestion, ...] = ()  # for a refusal: what the citizen may have meant
    note: tuple[str, dict] | None = None  # how the value was read, as a messages.yaml key and values

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def needs_confirmation(self) -> bool:
        """Understood, but not surely: show `display` and ask yes/no before storing."""
        return self.ok and self.confidence < answers.CONFIRM_BELOW


def example_date(spec: ServiceField, today: date) -> str:
    """A date of the kind the field takes: a travel or visit date is ahead, a birth date long behind, an
    incident or a journey a week ago (a citizen may copy the example)."""
    if spec.date_range == "future":
        return f"{today + timedelta(days=14):%d-%m-%Y}"
    if spec.date_range == "past" and "birth" not in spec.name:
        return f"{today - timedelta(days=7):%d-%m-%Y}"
    return "15-08-1990"


def find_reference(text: str) -> str | None:
    """`AP-REV-2026-000123` from anywhere in a message, spaces or missing dashes forgiven."""
    from nlu.entities import identifier_matches
    from nlu.entities.text import fold

    found = [m for m in identifier_matches(fold(text or "")) if m.format == MITRA_REFERENCE]
    return min(found, key=lambda m: m.start).value if found else None


def check_answer(spec: ServiceField, text: str, gazetteer: Gazetteer, today: date,
                 choice_id: str | None = None, encoder=None) -> Answer:
    """Read one answer to `spec`. `encoder` (the router's sentence encoder) lets a choice be matched by meaning."""
    result = answers.parse_answer(spec, text, AnswerContext(gazetteer, today, choice_id, encoder))
    if isinstance(result, Unclear):
        values = dict(result.values)
        key = result.key
        if key == "answer_refused":  # the reason follows "Sorry, " in the retry message
            values["en"] = _sentence_inside(values.get("en", ""))
        if key == "invalid_date":  # written like the question's own example: a visit date is ahead
            values["example"] = example_date(spec, today)
        if key in ("invalid_place", "invalid_district") and result.suggestions:
            key, values = "did_you_mean", {"options": Bilingual(
                en=" / ".join(s.label_en for s in result.suggestions),
                te=" / ".join(s.label_te for s in result.suggestions))}
        return Answer(error=key, error_values=values, suggestions=result.suggestions)
    return Answer(value=result.value, display=result.display, confidence=result.confidence, note=result.note)


def _sentence_inside(reason: str) -> str:
    if len(reason) > 1 and reason[0].isupper() and not reason[1].isupper():
        return reason[0].lower() + reason[1:]
    return reason


def prompt_example(spec: ServiceField) -> str:
    """An example of a valid answer for an identifier field ("1234567890123"), else ""."""
    fmt = format_of(spec)
    return fmt.example if fmt is not None else ""


def display_value(spec: ServiceField, value: str, gazetteer: Gazetteer, language: str) -> str:
    """How a stored value is shown back to the citizen: personal numbers masked, ids as names."""
    te = language.startswith("te")
    if value == "":
        return "—"
    fmt = format_of(spec)
    if fmt is not None:
        return fmt.mask(value)
    if spec.type == FieldType.date:
        return date.fromisoformat(value).strftime("%d-%m-%Y")
    if spec.type == FieldType.amount:
        amount = answers.rupees(float(value))
        return Texts(language).say("amount_a_year", amount=amount) if spec.per == "year" else amount
    if spec.type == FieldType.choice:
        choice, own_words = spec.chosen(value)
        if choice is None:
            return value
        label = choice.label.te if te else choice.label.en
        return f"{label} ({own_words})" if own_words else label
    if spec.type in answers.PLACE_KINDS:
        # mandals and villages have no list of their own; one named as a town (stored by its name) shows the town's
        places = getattr(gazetteer, answers.PLACE_KINDS[spec.type], None) or \
            (gazetteer.towns if spec.type in (FieldType.mandal, FieldType.village) else [])
        place = next((p for p in places if value in (p.id, p.name.en)), None)
        return (place.name.te if te else place.name.en) if place else value
    return value


def stored_value(spec: ServiceField, value: str, gazetteer: Gazetteer) -> str:
    """What goes into the readable `applications.fields` column: personal numbers masked."""
    fmt = format_of(spec)
    return fmt.mask(value) if fmt is not None and value else value


__all__ = ["Answer", "check_answer", "display_value", "find_reference", "get_format", "prompt_example",
           "stored_value"]
