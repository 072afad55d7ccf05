"""Case and record numbers: FIR, registered documents, hall tickets, Udyam, bus tickets, mitra's own."""
from __future__ import annotations

import re

from stdnum.in_ import gstin as stdnum_gstin

from catalog.formats.base import IdentifierFormat, Wording


def _year(text: str) -> str:
    return text if len(text) == 4 else f"20{text}"


MITRA_REFERENCE = IdentifierFormat(
    name="mitra_reference",
    label=Wording("mitra reference number", "మిత్ర రిఫరెన్స్ నంబర్"),
    example="AP-REV-2026-000123",
    rule=Wording("A mitra reference number looks like AP-REV-2026-000123 (it is in the message we sent you).",
                 "మిత్ర రిఫరెన్స్ నంబర్ AP-REV-2026-000123 లాగా ఉంటుంది (మేము పంపిన సందేశంలో ఉంటుంది)."),
    pattern=re.compile(r"AP([A-Z]{2,5})(20\d{2})(\d{6})"),
    cues=("reference", "ref", "application", "grievance", "certificate", "రిఫరెన్స్", "దరఖాస్తు"),
    value=lambda m: f"AP-{m.group(1)}-{m.group(2)}-{m.group(3)}",
)

FIR = IdentifierFormat(
    name="fir",
    label=Wording("FIR number", "ఎఫ్ఐఆర్ నంబర్"),
    example="123/2026",
    rule=Wording("An FIR number is the number and the year, like 123/2026 (it is on the FIR copy).",
                 "ఎఫ్ఐఆర్ నంబర్ అంటే నంబర్, సంవత్సరం, ఉదా. 123/2026 (ఎఫ్ఐఆర్ కాపీలో ఉంటుంది)."),
    pattern=re.compile(r"0*(\d{1,6})(?:/|OF)((?:19|20)\d{2}|\d{2})"),
    keep="/",
    cues=("fir", "f.i.r", "cr", "crime", "case", "ఎఫ్ఐఆర్", "ఎఫ్.ఐ.ఆర్", "కేసు"),
    value=lambda m: f"{m.group(1)}/{_year(m.group(2))}",
    display=lambda m: f"FIR {m.group(1)}/{_year(m.group(2))}",
)

REGISTERED_DOCUMENT = IdentifierFormat(
    name="registered_document",
    label=Wording("registered document number", "రిజిస్టర్డ్ దస్తావేజు నంబర్"),
    example="1234/2026",
    rule=Wording("A registered document number is the number and the year, like 1234/2026 "
                 "(it is stamped on the document).",
                 "రిజిస్టర్డ్ దస్తావేజు నంబర్ అంటే నంబర్, సంవత్సరం, ఉదా. 1234/2026 (దస్తావేజు మీద ముద్రించి ఉంటుంది)."),
    pattern=re.compile(r"0*(\d{1,6})(?:/|OF)((?:19|20)\d{2})"),
    keep="/",
    cues=("document", "doc", "dno", "deed", "registration", "dastavezu", "దస్తావేజు", "డాక్యుమెంట్"),
    value=lambda m: f"{m.group(1)}/{m.group(2)}",
)

HALL_TICKET = IdentifierFormat(
    name="hall_ticket",
    label=Wording("hall ticket number", "హాల్ టికెట్ నంబర్"),
    example="2612345678",
    rule=Wording("A hall ticket number has 6 to 12 letters and digits, like 2612345678 (it is on the hall ticket "
                 "and the marks memo).",
                 "హాల్ టికెట్ నంబర్‌లో 6 నుండి 12 అక్షరాలు, అంకెలు ఉంటాయి, ఉదా. 2612345678 (హాల్ టికెట్, మార్కుల "
                 "మెమోలో ఉంటుంది)."),
    pattern=re.compile(r"[A-Z0-9]{6,12}"),
    valid=lambda compact: sum(ch.isdigit() for ch in compact) >= 5,
    cues=("hall ticket", "hallticket", "ht", "roll", "roll no", "హాల్ టికెట్", "హాల్‌టికెట్"),
)

UDYAM = IdentifierFormat(
    name="udyam",
    label=Wording("Udyam registration number", "ఉద్యమ్ రిజిస్ట్రేషన్ నంబర్"),
    example="UDYAM-AP-01-0000001",
    rule=Wording("A Udyam registration number looks like UDYAM-AP-01-0000001 (it is on the Udyam certificate).",
                 "ఉద్యమ్ రిజిస్ట్రేషన్ నంబర్ UDYAM-AP-01-0000001 లాగా ఉంటుంది (ఉద్యమ్ సర్టిఫికెట్‌పై ఉంటుంది)."),
    pattern=re.compile(r"(?:UDYAM|UDHYAM|UDYOG)?([A-Z]{2})(\d{2})(\d{7})"),
    cues=("registration", "reg", "ఉద్యమ్"),
    value=lambda m: f"UDYAM-{m.group(1)}-{m.group(2)}-{m.group(3)}",
)

APSRTC_PNR = IdentifierFormat(
    name="apsrtc_pnr",
    label=Wording("APSRTC ticket number (PNR)", "ఏపీఎస్ఆర్టీసీ టికెట్ నంబర్ (పీఎన్ఆర్)"),
    example="T12345678",
    rule=Wording("An APSRTC ticket number (PNR) is up to 3 letters and 6 to 12 digits, like T12345678 "
                 "(it is on the ticket or the booking SMS).",
                 "ఏపీఎస్ఆర్టీసీ టికెట్ నంబర్ (పీఎన్ఆర్)లో 3 వరకు అక్షరాలు, 6 నుండి 12 అంకెలు ఉంటాయి, ఉదా. T12345678 "
                 "(టికెట్ లేదా బుకింగ్ SMSలో ఉంటుంది)."),
    pattern=re.compile(r"[A-Z]{0,3}\d{6,12}"),
    cues=("pnr", "ticket", "tkt", "apsrtc", "bus ticket", "పీఎన్ఆర్", "టికెట్"),
)

GSTIN = IdentifierFormat(
    name="gstin",
    label=Wording("GSTIN", "జీఎస్టీ నంబర్"),
    example="37ABCPE1234F1ZA",
    rule=Wording("A GSTIN has 15 characters and starts with the state code, like 37ABCPE1234F1ZA.",
                 "జీఎస్టీ నంబర్‌లో 15 అక్షరాలు ఉంటాయి, రాష్ట్ర కోడ్‌తో మొదలవుతుంది, ఉదా. 37ABCPE1234F1ZA."),
    pattern=re.compile(r"\d{2}[A-Z0-9]{13}"),
    valid=stdnum_gstin.is_valid,  # its last character is a check character
    cues=("gstin", "gst", "జీఎస్టీ"),
)

# Department application, token and beneficiary numbers whose shape differs by scheme and year.
DEPARTMENT_REFERENCE = IdentifierFormat(
    name="department_reference",
    label=Wording("application or ID number", "దరఖాస్తు లేదా ఐడీ నంబర్"),
    example="2026/SD/01234",
    rule=Wording("An application or ID number has 4 to 30 letters and digits, like 2026/SD/01234 "
                 "(it is on the receipt you were given).",
                 "దరఖాస్తు లేదా ఐడీ నంబర్‌లో 4 నుండి 30 అక్షరాలు, అంకెలు ఉంటాయి, ఉదా. 2026/SD/01234 "
                 "(మీకు ఇచ్చిన రసీదులో ఉంటుంది)."),
    pattern=re.compile(r"[A-Z0-9][A-Z0-9/\-]{2,28}[A-Z0-9]"),
    valid=lambda compact: sum(ch.isdigit() for ch in compact) >= 3,
    keep="/-",
    cues=("application", "app", "id", "token", "beneficiary", "reference", "ref", "arn", "registration", "reg",
          "దరఖాస్తు", "ఐడీ", "టోకెన్"),
)

FORMATS = (MITRA_REFERENCE, FIR, REGISTERED_DOCUMENT, HALL_TICKET, UDYAM, APSRTC_PNR, GSTIN, DEPARTMENT_REFERENCE)
