"""Transport: vehicle registration, driving licence and traffic e-challan numbers."""
from __future__ import annotations

import re

from catalog.formats.base import IdentifierFormat, Wording

# Registration state codes (Motor Vehicles Act, with TG for Telangana since 2024 and the BH series).
STATE_CODES = frozenset((
    "AN", "AP", "AR", "AS", "BR", "CG", "CH", "DD", "DL", "DN", "GA", "GJ", "HP", "HR", "JH", "JK", "KA",
    "KL", "LA", "LD", "MH", "ML", "MN", "MP", "MZ", "NL", "OD", "OR", "PB", "PY", "RJ", "SK", "TG", "TN",
    "TR", "TS", "UK", "UP", "WB",
))

_REGISTRATION_RE = re.compile(r"([A-Z]{2})(\d{1,2})([A-Z]{0,3})(\d{1,4})|(\d{2})BH(\d{4})([A-Z]{1,2})")


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


VEHICLE_REGISTRATION = IdentifierFormat(
    name="vehicle_registration",
    label=Wording("vehicle registration number", "వాహన రిజిస్ట్రేషన్ నంబర్"),
    example="AP 39 AB 1234",
    rule=Wording("A vehicle number is written like AP 39 AB 1234: state, district code, series letters, number.",
                 "వాహన నంబర్ AP 39 AB 1234 లాగా ఉంటుంది: రాష్ట్రం, జిల్లా కోడ్, సిరీస్ అక్షరాలు, నంబర్."),
    pattern=_REGISTRATION_RE,
    valid=_valid_registration,
    cues=("vehicle", "veh", "registration", "reg", "regn", "rc", "bandi", "vahanam", "వాహనం", "వాహన", "బండి"),
    value=_registration_value,
    display=_registration_display,
)


def _valid_licence(compact: str) -> bool:
    return compact[:2] in STATE_CODES and 1950 <= int(compact[4:8]) <= 2099


DRIVING_LICENCE = IdentifierFormat(
    name="driving_licence",
    label=Wording("driving licence number", "డ్రైవింగ్ లైసెన్స్ నంబర్"),
    example="AP02 20110012345",
    rule=Wording("A driving licence number has 15 characters: state, RTO code, year and 7 digits, "
                 "like AP02 20110012345.",
                 "డ్రైవింగ్ లైసెన్స్ నంబర్‌లో 15 అక్షరాలు: రాష్ట్రం, ఆర్టీఓ కోడ్, సంవత్సరం, 7 అంకెలు, "
                 "ఉదా. AP02 20110012345."),
    pattern=re.compile(r"([A-Z]{2})(\d{2})(\d{4})(\d{7})"),
    valid=_valid_licence,
    personal=True,
    cues=("dl", "driving licence", "driving license", "licence", "license", "lisence", "laisens",
          "డ్రైవింగ్ లైసెన్స్", "లైసెన్స్"),
    display=lambda m: f"{m.group(1)}{m.group(2)} {m.group(3)}{m.group(4)}",
)

E_CHALLAN = IdentifierFormat(
    name="e_challan",
    label=Wording("e-challan number", "ఈ-చలాన్ నంబర్"),
    example="APVJA2301234567",
    rule=Wording("An e-challan number starts with 2 letters and has letters and digits after them, "
                 "like APVJA2301234567 (it is on the challan SMS).",
                 "ఈ-చలాన్ నంబర్ 2 ఇంగ్లీష్ అక్షరాలతో మొదలై తర్వాత అక్షరాలు, అంకెలు ఉంటాయి, "
                 "ఉదా. APVJA2301234567 (చలాన్ SMSలో ఉంటుంది)."),
    pattern=re.compile(r"[A-Z]{2}[A-Z0-9]{6,20}"),
    valid=lambda compact: sum(ch.isdigit() for ch in compact) >= 6,
    cues=("e-challan", "echallan", "e challan", "challan", "chalan", "ఈ-చలాన్", "ఈచలాన్", "చలాన్"),
)

FORMATS = (VEHICLE_REGISTRATION, DRIVING_LICENCE, E_CHALLAN)
