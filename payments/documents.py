"""What a receipt, an e-ticket or an appointment slip prints, as facts for applications/documents.py.

One renderer (fpdf2 + HarfBuzz, Telugu shaped, QR to /verify) makes every paid or booked document; this module
only decides the facts. A receipt's reference is the payment order's, a ticket's or slip's the booking's, so the
register (`issued_documents.reference`, unique) keeps each exactly once.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from applications.documents import Detail, DocumentFacts, both_scripts, receipt_facts, rupees

# the labels the flows show the citizen (payments/messages lines) in Telugu, for the bilingual document
LABELS_TE = {"Consumer": "వినియోగదారు", "Number": "సంఖ్య", "Period": "కాలం", "Due date": "చివరి తేదీ",
             "Application": "దరఖాస్తు", "Booking": "బుకింగ్", "What": "వివరాలు", "Date": "తేదీ",
             "Persons": "వ్యక్తులు", "Seats": "సీట్లు", "Time": "సమయం", "Place": "స్థలం",
             "Gateway payment": "చెల్లింపు సంఖ్య"}
COUNTED = {"seats": ("Seats", "సీట్లు"), "rooms": ("Rooms", "గదులు"), "persons": ("Persons", "వ్యక్తులు")}
# characters the packaged Telugu font does not have, written in words instead
_PLAIN = str.maketrans({"→": "to", "×": "x"})


@dataclass(frozen=True)
class BookingSlip:
    """A confirmed booking as the citizen's document shows it."""

    reference: str  # the booking reference (BK…)
    kind: str  # ticket | appointment
    what_en: str
    what_te: str
    when: str  # "05 Dec 2026 07:30"
    places: str  # "1, 2" seat or room numbers, or the count of persons
    amount_paise: int
    holder: str  # the name given on the form, else the citizen's number masked
    counted: str = "seats"  # seats | rooms | persons: what `places` counts


def plain(text: str) -> str:
    return text.translate(_PLAIN)


def receipt(reference: str, payer: str, what_en: str, what_te: str, amount_paise: int, paid_at: datetime,
            lines: list[tuple[str, str]], gateway_payment_id: str) -> DocumentFacts:
    facts = receipt_facts(reference=reference, payer_en=payer, payer_te="", purpose_en=plain(what_en),
                          purpose_te=plain(what_te or what_en), amount_paise=amount_paise, paid_at=paid_at)
    extra = tuple(Detail(label, LABELS_TE.get(label, label), plain(value)) for label, value in lines
                  if label not in ("Booking",))
    if gateway_payment_id:
        extra += (Detail("Gateway payment", LABELS_TE["Gateway payment"], gateway_payment_id),)
    return DocumentFacts(facts.kind, facts.reference, facts.title_en, facts.title_te, facts.holder_en,
                         facts.holder_te, facts.details + extra, facts.issued_at)


def booking(slip: BookingSlip, issued_at: datetime) -> DocumentFacts:
    title_en, title_te = ("E-ticket", "ఇ-టికెట్") if slip.kind == "ticket" else \
        ("Appointment slip", "అపాయింట్‌మెంట్ స్లిప్")
    details = (Detail("Booking", "బుకింగ్", plain(f"{slip.what_en} · {slip.what_te}" if slip.what_te else slip.what_en)),
               Detail("Date", "తేదీ", slip.when),
               Detail(*COUNTED[slip.counted], slip.places),
               Detail("Amount", "మొత్తం", rupees(slip.amount_paise) if slip.amount_paise else "Free · ఉచితం"))
    return DocumentFacts(slip.kind, slip.reference, title_en, title_te, *both_scripts(slip.holder), details, issued_at)
