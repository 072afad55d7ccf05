"""Numbers that identify a person: Aadhaar, mobile, PAN, passport, bank account and IFSC."""
from __future__ import annotations

import re

import phonenumbers
from stdnum.in_ import aadhaar as stdnum_aadhaar
from stdnum.in_ import pan as stdnum_pan

from catalog.formats.base import IdentifierFormat, Wording


def _valid_mobile(compact: str) -> bool:
    try:
        number = phonenumbers.parse(compact[-10:], "IN")
    except phonenumbers.NumberParseException:
        return False
    kind = phonenumbers.number_type(number)
    return phonenumbers.is_valid_number(number) and kind in (
        phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def _mask_aadhaar(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return f"XXXX XXXX {digits[-4:]}" if len(digits) >= 4 else "XXXX XXXX XXXX"


def _mask_mobile(value: str) -> str:
    digits = re.sub(r"\D", "", value)[-10:]
    return f"{digits[:2]}XXXXXX{digits[-2:]}" if len(digits) == 10 else "XXXXXXXXXX"


AADHAAR = IdentifierFormat(
    name="aadhaar",
    label=Wording("Aadhaar number", "ఆధార్ నంబర్"),
    example="4991 1866 5246",
    rule=Wording("An Aadhaar number has 12 digits, like 4991 1866 5246, and its last digit is a check digit.",
                 "ఆధార్ నంబర్‌లో 12 అంకెలు ఉంటాయి, ఉదా. 4991 1866 5246; చివరి అంకె తనిఖీ అంకె."),
    pattern=re.compile(r"[2-9]\d{11}"),
    valid=stdnum_aadhaar.is_valid,  # Verhoeff check digit, no palindromes
    personal=True,
    cues=("aadhaar", "aadhar", "adhaar", "adhar", "aadar", "uid", "ఆధార్", "ఆధారు"),
    display=lambda m: " ".join(m.group(0)[i:i + 4] for i in (0, 4, 8)),
    masker=_mask_aadhaar,
)

MOBILE = IdentifierFormat(
    name="mobile",
    label=Wording("mobile number", "మొబైల్ నంబర్"),
    example="98765 43210",
    rule=Wording("A mobile number has 10 digits and starts with 6, 7, 8 or 9, like 98765 43210.",
                 "మొబైల్ నంబర్‌లో 10 అంకెలు ఉంటాయి, 6, 7, 8 లేదా 9తో మొదలవుతుంది, ఉదా. 98765 43210."),
    pattern=re.compile(r"(?:\+?91|0)?([6-9]\d{9})"),
    valid=_valid_mobile,
    personal=True,
    keep="+",
    cues=("mobile", "mobail", "phone", "fone", "cell", "ph", "whatsapp", "మొబైల్", "ఫోన్", "సెల్"),
    value=lambda m: m.group(1),
    display=lambda m: f"{m.group(1)[:5]} {m.group(1)[5:]}",
    masker=_mask_mobile,
)

PAN = IdentifierFormat(
    name="pan",
    label=Wording("PAN", "పాన్ నంబర్"),
    example="ABCPE1234F",
    rule=Wording("A PAN has 10 characters: 5 letters, 4 digits and a letter, like ABCPE1234F.",
                 "పాన్‌లో 10 అక్షరాలు ఉంటాయి: 5 ఇంగ్లీష్ అక్షరాలు, 4 అంకెలు, ఒక అక్షరం, ఉదా. ABCPE1234F."),
    pattern=re.compile(r"[A-Z]{5}\d{4}[A-Z]"),
    valid=stdnum_pan.is_valid,  # the fourth letter says who holds it (P for a person...)
    personal=True,
    cues=("pan", "pan card", "పాన్"),
)

PASSPORT = IdentifierFormat(
    name="passport",
    label=Wording("passport number", "పాస్‌పోర్ట్ నంబర్"),
    example="A1234567",
    rule=Wording("An Indian passport number is a letter and 7 digits, like A1234567.",
                 "భారత పాస్‌పోర్ట్ నంబర్ ఒక ఇంగ్లీష్ అక్షరం, 7 అంకెలు, ఉదా. A1234567."),
    # Q, X and Z are not issued as the first letter; the digits never start or end with 0.
    pattern=re.compile(r"[A-PR-WY][1-9]\d{5}[1-9]"),
    personal=True,
    cues=("passport", "pasport", "పాస్‌పోర్ట్", "పాస్పోర్ట్"),
)

BANK_ACCOUNT = IdentifierFormat(
    name="bank_account",
    label=Wording("bank account number", "బ్యాంక్ ఖాతా నంబర్"),
    example="012345678901",
    rule=Wording("A bank account number has 9 to 18 digits, like 012345678901 (it is in the passbook).",
                 "బ్యాంక్ ఖాతా నంబర్‌లో 9 నుండి 18 అంకెలు ఉంటాయి, ఉదా. 012345678901 (పాస్‌బుక్‌లో ఉంటుంది)."),
    pattern=re.compile(r"\d{9,18}"),
    personal=True,
    cues=("account", "acc", "a/c", "ac", "bank", "khata", "ఖాతా", "అకౌంట్", "బ్యాంక్"),
)

IFSC = IdentifierFormat(
    name="ifsc",
    label=Wording("IFSC code", "ఐఎఫ్ఎస్‌సీ కోడ్"),
    example="SBIN0012345",
    rule=Wording("An IFSC code has 11 characters: 4 letters, a zero and 6 letters or digits, like SBIN0012345.",
                 "ఐఎఫ్ఎస్‌సీ కోడ్‌లో 11 అక్షరాలు: 4 ఇంగ్లీష్ అక్షరాలు, సున్నా, 6 అక్షరాలు లేదా అంకెలు, ఉదా. SBIN0012345."),
    pattern=re.compile(r"[A-Z]{4}0[A-Z0-9]{6}"),
    cues=("ifsc", "ifsc code", "code", "ఐఎఫ్ఎస్సీ", "ఐఎఫ్ఎస్‌సీ"),
)

FORMATS = (AADHAAR, MOBILE, PAN, PASSPORT, BANK_ACCOUNT, IFSC)
