"""Bills and local taxes: electricity service numbers, water connections, property and house tax."""
from __future__ import annotations

import re

from catalog.formats.base import IdentifierFormat, Wording

# APSPDCL, APEPDCL and APCPDCL print a 13-digit Unique Service Connection number (USC) on every bill.
ELECTRICITY_USC = IdentifierFormat(
    name="electricity_usc",
    label=Wording("electricity service number (USC)", "కరెంటు సర్వీస్ నంబర్ (యూఎస్‌సీ)"),
    example="1234567890123",
    rule=Wording("An electricity service number (USC) has 13 digits, like 1234567890123 (it is on the bill).",
                 "కరెంటు సర్వీస్ నంబర్ (యూఎస్‌సీ)లో 13 అంకెలు ఉంటాయి, ఉదా. 1234567890123 (బిల్లు మీద ఉంటుంది)."),
    pattern=re.compile(r"\d{13}"),
    cues=("usc", "uscno", "usno", "scno", "sc", "service", "unique service", "electricity", "current",
          "సర్వీస్", "యూఎస్‌సీ", "యూఎస్సీ", "కరెంటు", "కరెంట్"),
)

PROPERTY_ASSESSMENT = IdentifierFormat(
    name="property_assessment",
    label=Wording("property tax assessment number", "ఆస్తి పన్ను అసెస్‌మెంట్ నంబర్"),
    example="1090012345",
    rule=Wording("A property tax assessment number has 10 digits, like 1090012345 (it is on the tax receipt).",
                 "ఆస్తి పన్ను అసెస్‌మెంట్ నంబర్‌లో 10 అంకెలు ఉంటాయి, ఉదా. 1090012345 (పన్ను రసీదులో ఉంటుంది)."),
    pattern=re.compile(r"\d{10}"),
    cues=("assessment", "assesment", "ptin", "property tax", "property", "అసెస్‌మెంట్", "అసెస్మెంట్"),
)

WATER_CONNECTION = IdentifierFormat(
    name="water_connection",
    label=Wording("water tap connection number", "కుళాయి కనెక్షన్ నంబర్"),
    example="1090100234",
    rule=Wording("A water tap connection number has 6 to 12 digits, like 1090100234 (it is on the water bill).",
                 "కుళాయి కనెక్షన్ నంబర్‌లో 6 నుండి 12 అంకెలు ఉంటాయి, ఉదా. 1090100234 (నీటి బిల్లులో ఉంటుంది)."),
    pattern=re.compile(r"\d{6,12}"),
    cues=("water", "tap", "connection", "hsc", "kulayi", "కుళాయి", "నీటి", "కనెక్షన్"),
)

# Gram panchayat demand registers number houses by door or assessment number, often with a sub-number.
HOUSE_TAX_ASSESSMENT = IdentifierFormat(
    name="house_tax_assessment",
    label=Wording("house tax assessment number", "ఇంటి పన్ను అసెస్‌మెంట్ నంబర్"),
    example="245/3",
    rule=Wording("A house assessment number is a number, sometimes with a sub-number, like 245 or 245/3 "
                 "(it is on the last tax receipt).",
                 "ఇంటి అసెస్‌మెంట్ నంబర్ ఒక సంఖ్య, కొన్నిసార్లు ఉప సంఖ్యతో, ఉదా. 245 లేదా 245/3 "
                 "(గత పన్ను రసీదులో ఉంటుంది)."),
    pattern=re.compile(r"\d{1,10}(?:/\d{1,4}[A-Z]?)?"),
    keep="/",
    cues=("assessment", "assesment", "house", "door", "illu", "ఇంటి", "అసెస్‌మెంట్", "అసెస్మెంట్"),
)

FORMATS = (ELECTRICITY_USC, PROPERTY_ASSESSMENT, WATER_CONNECTION, HOUSE_TAX_ASSESSMENT)
