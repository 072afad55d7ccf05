"""What formats.yaml cannot say: checksums, computed values and custom masks, by format name."""
from __future__ import annotations

import re

import phonenumbers
from stdnum.in_ import aadhaar as stdnum_aadhaar
from stdnum.in_ import gstin as stdnum_gstin
from stdnum.in_ import pan as stdnum_pan

# Registration state codes (Motor Vehicles Act, with TG for Telangana since 2024 and the BH series).
STATE_CODES = frozenset((
    "AN", "AP", "AR", "AS", "BR", "CG", "CH", "DD", "DL", "DN", "GA", "GJ", "HP", "HR", "JH", "JK", "KA",
    "KL", "LA", "LD", "MH", "ML", "MN", "MP", "MZ", "NL", "OD", "OR", "PB", "PY", "RJ", "SK", "TG", "TN",
    "TR", "TS", "UK", "UP", "WB",
))


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


def _year(text: str) -> str:
    return text if len(text) == 4 else f"20{text}"


def _registration_value(m: re.Match) -> str:
    if m.group(5):
        return f"{m.group(5)}BH{m.group(6)}{m.group(7)}"
    return f"{m.group(1)}{int(m.group(2)):02d}{m.group(3)}{int(m.group(4)):04d}"


def _registration_display(m: re.Match) -> str:
    if m.group(5):
        return f"{m.group(5)} BH {m.group(6)} {m.group(7)}"
    series = f" {m.group(3)}" if m.group(3) else ""
    return f"{m.group(1)} {int(m.group(2)):02d}{series} {int(m.group(4)):04d}"


def _valid_registration(compact: str) -> bool:
    return "BH" in compact[2:4] or compact[:2] in STATE_CODES and not compact.endswith("0000")


def _valid_licence(compact: str) -> bool:
    return compact[:2] in STATE_CODES and 1950 <= int(compact[4:8]) <= 2099


# format name -> IdentifierFormat fields (valid, value, display, masker) that override the table's
CHECKS: dict[str, dict] = {
    "aadhaar": {"valid": stdnum_aadhaar.is_valid, "masker": _mask_aadhaar,
                "display": lambda m: " ".join(m.group(0)[i:i + 4] for i in (0, 4, 8))},
    "mobile": {"valid": _valid_mobile, "masker": _mask_mobile, "display": lambda m: f"{m.group(1)[:5]} {m.group(1)[5:]}"},
    "pan": {"valid": stdnum_pan.is_valid},
    "gstin": {"valid": stdnum_gstin.is_valid},
    "fir": {"value": lambda m: f"{m.group(1)}/{_year(m.group(2))}",
            "display": lambda m: f"FIR {m.group(1)}/{_year(m.group(2))}"},
    "vehicle_registration": {"valid": _valid_registration, "value": _registration_value,
                             "display": _registration_display},
    "driving_licence": {"valid": _valid_licence},
}
