"""Which identifier format each kind of bill is looked up by; the shapes themselves are catalog.formats'.
Traffic fines are found by the challan number or by the vehicle's registration number."""
from __future__ import annotations

from catalog.formats import FormatError, get_format

BILL_FORMATS = {
    "electricity": "electricity_usc", "property_tax": "property_assessment", "vacant_land_tax": "property_assessment",
    "water_tax": "water_connection", "house_tax": "house_tax_assessment", "e_challan": "vehicle_registration|e_challan",
    "professional_tax": "department_reference",
}

IdentifierProblem = FormatError  # .reason_en / .reason_te say what a good identifier looks like


def check_identifier(kind: str, text: str) -> str:
    """The identifier in its stored form, or FormatError saying what a good one looks like."""
    return get_format(BILL_FORMATS[kind]).check(text).value


def mask_identifier(kind: str, value: str) -> str:
    return get_format(BILL_FORMATS[kind]).mask(value)
