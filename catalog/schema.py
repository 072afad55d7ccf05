"""The shape of the service catalog, validated by pydantic when it is loaded."""
from __future__ import annotations

import re
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

TELUGU_RE = re.compile(r"[\u0C00-\u0C7F]")
SERVICE_ID_RE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
LANG_TAGS = ("en", "te", "te-latn")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bilingual(Strict):
    """A text a citizen reads, in English and in Telugu script."""

    en: str = Field(min_length=1)
    te: str = Field(min_length=1)

    @field_validator("te")
    @classmethod
    def _te_is_telugu(cls, value: str) -> str:
        if not TELUGU_RE.search(value):
            raise ValueError(f"Telugu text has no Telugu script: {value!r}")
        return value

    def get(self, lang: str) -> str:
        return self.te if lang.startswith("te") else self.en


class FieldType(str, Enum):
    text = "text"
    name = "name"
    aadhaar = "aadhaar"
    mobile = "mobile"
    date = "date"
    district = "district"
    mandal = "mandal"
    village = "village"  # a revenue village or habitation: no list of its own, kept as said without "maa ooru"
    choice = "choice"
    number = "number"
    amount = "amount"
    reference = "reference"  # a reference mitra gave out (kept for old catalogs; new fields use identifier)
    identifier = "identifier"  # a number a department printed: `format` names which (catalog.formats)
    survey_number = "survey_number"
    temple = "temple"
    town = "town"


class Choice(Strict):
    value: str = Field(pattern=r"^[a-z0-9_]+$")
    label: Bilingual
    synonyms: list[str] = []


# An answer that names no option is kept under the catch-all option with the citizen's words: "other: bank loan".
OWN_WORDS = ": "


def chosen_option(stored: str | None) -> tuple[str, str]:
    """A stored choice answer: its option value, and the citizen's own words kept after it ("other: bank loan")."""
    option, _, own_words = (stored or "").partition(OWN_WORDS)
    return option, own_words


class ServiceField(Strict):
    """One detail a service workflow collects from the citizen."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    type: FieldType
    prompt: Bilingual
    label: Bilingual | None = None  # a short name for summaries ("పేరు"); else catalog/field_labels.yaml's
    required: bool = True
    choices: list[Choice] = []
    min: float | None = None
    max: float | None = None
    date_range: Literal["past", "future", "any"] = "any"
    # for a date of birth: the ages the service is for, inclusive ([18, 60]: a construction worker's registration)
    ages: tuple[int, int] | None = None
    format: str | None = None  # for identifier fields: a name in catalog.formats ("electricity_usc", "digits:6")
    per: Literal["year"] | None = None  # an amount asked per year (an annual income): "15000 a month" is ×12

    def chosen(self, stored: str) -> tuple[Choice | None, str]:
        """The option a stored choice answer is, and the citizen's own words kept with it ("other: bank loan")."""
        option, own_words = chosen_option(stored)
        return next((c for c in self.choices if c.value == option), None), own_words

    @model_validator(mode="after")
    def _per_is_for_amounts(self) -> ServiceField:
        if self.per and self.type != FieldType.amount:
            raise ValueError(f"field {self.name!r} is asked per {self.per} but its type is {self.type.value}")
        return self

    @model_validator(mode="after")
    def _ages_are_for_birth_dates(self) -> ServiceField:
        if self.ages and (self.type != FieldType.date or self.date_range != "past" or
                          not 0 <= self.ages[0] <= self.ages[1]):
            raise ValueError(f"field {self.name!r}: `ages` [low, high] is for a date in the past (a date of birth)")
        return self

    @model_validator(mode="after")
    def _format_matches_type(self) -> ServiceField:
        from catalog.formats import UnknownFormat, get_format

        if self.type == FieldType.identifier and not self.format:
            raise ValueError(f"field {self.name!r} is an identifier but names no format")
        if self.type != FieldType.identifier and self.format:
            raise ValueError(f"field {self.name!r} names format {self.format!r} but its type is {self.type.value}")
        if self.format:
            try:
                get_format(self.format)
            except UnknownFormat as exc:
                raise ValueError(f"field {self.name!r}: {exc.args[0]}") from exc
        return self

    @model_validator(mode="after")
    def _numbers_have_short_names(self) -> ServiceField:
        """A number from a card or document is named in summaries, corrections and "I don't have it" replies;
        its question ("పింఛను కార్డు మీద ఉన్న పింఛను ఐడీ పంపండి") is too long a name."""
        if self.type in (FieldType.identifier, FieldType.aadhaar, FieldType.mobile) and self.label is None:
            raise ValueError(f"field {self.name!r} ({self.type.value}) needs a short `label` "
                             "(its own, or one for its name in field_labels.yaml)")
        return self

    @model_validator(mode="after")
    def _choices_match_type(self) -> ServiceField:
        if self.type == FieldType.choice and len(self.choices) < 2:
            raise ValueError(f"field {self.name!r} is a choice but lists fewer than 2 choices")
        if self.type != FieldType.choice and self.choices:
            raise ValueError(f"field {self.name!r} has choices but its type is {self.type.value}")
        return self


class RequiredDocument(Bilingual):
    """A document to keep ready; `when` limits it to some answers (field name -> the choice values it is for)."""

    when: dict[str, list[str]] = {}


class Example(Strict):
    text: str = Field(min_length=2)
    lang: Literal["en", "te", "te-latn"]

    @model_validator(mode="after")
    def _script_matches_tag(self) -> Example:
        has_telugu = bool(TELUGU_RE.search(self.text))
        if self.lang == "te" and not has_telugu:
            raise ValueError(f"example tagged 'te' has no Telugu script: {self.text!r}")
        if self.lang != "te" and has_telugu:
            raise ValueError(f"example tagged {self.lang!r} contains Telugu script: {self.text!r}")
        return self


class Synonyms(Strict):
    en: list[str] = []
    te: list[str] = []
    te_latn: list[str] = []

    def all(self) -> list[str]:
        return [*self.en, *self.te, *self.te_latn]


class Outcome(str, Enum):
    certificate = "certificate"
    payment_receipt = "payment_receipt"
    booking = "booking"
    status = "status"
    grievance_ticket = "grievance_ticket"
    application = "application"
    information = "information"


class Service(Strict):
    """A citizen service: what it is called, what it collects and what it gives back."""

    id: str
    department: str = ""  # filled from the department file when loaded
    name: Bilingual
    description: Bilingual
    synonyms: Synonyms
    examples: list[Example] = Field(min_length=8)
    fields: list[ServiceField] = []
    documents: list[RequiredDocument] = []
    fee: float = Field(ge=0, default=0)
    sla_days: int = Field(ge=0)
    outcome: Outcome
    menu_path: tuple[int, int]
    related: list[str] = []  # ids of services a citizen may want next (e.g. the status lookup)
    # where a citizen asks how this application is going ("widow pension raavatledu" -> the pension status);
    # unset: the status of any application by its reference number
    status_service: str | None = None
    # services of another department a citizen asks for in the same words (the town's property tax and the
    # village's house tax): asked about or settled by the citizen's place, never guessed (nlu/look_alikes.py)
    look_alikes: list[str] = []

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not SERVICE_ID_RE.match(value):
            raise ValueError(f"service id {value!r} is not of the form department.snake_name")
        return value

    @model_validator(mode="after")
    def _examples_and_fields(self) -> Service:
        tags = {e.lang for e in self.examples}
        if len(tags) < 2:
            raise ValueError(f"examples use only {sorted(tags)}; at least two of {LANG_TAGS} are needed")
        names = [f.name for f in self.fields]
        dupes = {n for n in names if names.count(n) > 1}
        if dupes:
            raise ValueError(f"duplicate field names {sorted(dupes)}")
        choices = {f.name: {c.value for c in f.choices} for f in self.fields}
        for doc in self.documents:
            for name, values in doc.when.items():
                if not set(values) <= choices.get(name, set()):
                    raise ValueError(f"document {doc.en!r} is for {name}={values}, not a choice of this service")
        return self

    def documents_for(self, values: dict[str, str] | None = None) -> list[RequiredDocument]:
        """The documents to keep ready; with the citizen's answers, only those their choices call for."""
        if values is None:
            return list(self.documents)
        return [d for d in self.documents
                if all(chosen_option(values.get(name))[0] in allowed for name, allowed in d.when.items())]

    def holder_name(self, values: dict[str, str]) -> str:
        """Whose application or booking it is, printed whole on its certificate, fee receipt, ticket or slip (a
        gate or counter checks it against an ID card): the first name answered."""
        return next((values[f.name].strip() for f in self.fields
                     if f.type == FieldType.name and (values.get(f.name) or "").strip()), "")

    @property
    def short_code(self) -> str:
        return self.id.split(".")[0][:3].upper()


class Department(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    code: str = Field(pattern=r"^[A-Z]{2,5}$")  # used in reference numbers: AP-REV-2026-000123
    name: Bilingual
    menu_number: int = Field(ge=1)


class DepartmentFile(Strict):
    """One YAML file under catalog/services/: a department and its services."""

    department: Department
    services: list[Service]


class Place(Strict):
    """A district, town or temple, with the spellings citizens use for it."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Bilingual
    aliases: list[str] = []  # romanized and alternative spellings, any script
    district: str | None = None  # for towns and temples: the district id
    # a name that is also an everyday word (the town Kavali, "kavali": I need): taken as the answer to a
    # question about a place, and in passing in a message only with a case ending ("కావలిలో", in Kavali)
    everyday_word: bool = False

    def spellings(self) -> list[str]:
        return [self.name.en, self.name.te, *self.aliases]


class Gazetteer(Strict):
    districts: list[Place] = Field(min_length=1)
    towns: list[Place] = []
    temples: list[Place] = []

    def district(self, district_id: str | None) -> Place | None:
        """The district of this id (a town's or temple's `district`, a department's status)."""
        return next((d for d in self.districts if d.id == district_id), None)
