"""Welfare: rice card, fair-price shop, pension, SADAREM and MGNREGA job card numbers."""
from __future__ import annotations

import re

from catalog.formats.base import IdentifierFormat, Wording

RICE_CARD = IdentifierFormat(
    name="rice_card",
    label=Wording("rice card number", "బియ్యం కార్డు నంబర్"),
    example="2812345678",
    rule=Wording("A rice card number has 10 digits, like 2812345678 (older cards: letters and digits, "
                 "like WAP1234567890).",
                 "బియ్యం కార్డు నంబర్‌లో 10 అంకెలు ఉంటాయి, ఉదా. 2812345678 (పాత కార్డులు: అక్షరాలు, అంకెలు, "
                 "ఉదా. WAP1234567890)."),
    pattern=re.compile(r"\d{10}|\d{12}|[A-Z]{3}\d{9,12}"),
    personal=True,
    cues=("rice card", "ration card", "card", "rice", "ration", "biyyam card", "బియ్యం కార్డు", "రేషన్ కార్డు",
          "కార్డు"),
)

RATION_SHOP = IdentifierFormat(
    name="ration_shop",
    label=Wording("fair price shop number", "చౌక ధరల దుకాణం నంబర్"),
    example="0829001",
    rule=Wording("A fair price (ration) shop number has 4 to 10 digits, like 0829001.",
                 "చౌక ధరల (రేషన్) దుకాణం నంబర్‌లో 4 నుండి 10 అంకెలు ఉంటాయి, ఉదా. 0829001."),
    pattern=re.compile(r"\d{4,10}"),
    cues=("fps", "fp shop", "shop", "ration shop", "dukanam", "dukanam number", "దుకాణం", "షాపు"),
)

PENSION_ID = IdentifierFormat(
    name="pension_id",
    label=Wording("pension ID", "పింఛను ఐడీ"),
    example="1012345678",
    rule=Wording("A pension ID has 6 to 12 digits, like 1012345678 (it is on the pension card).",
                 "పింఛను ఐడీలో 6 నుండి 12 అంకెలు ఉంటాయి, ఉదా. 1012345678 (పింఛను కార్డు మీద ఉంటుంది)."),
    pattern=re.compile(r"\d{6,12}"),
    personal=True,
    cues=("pension id", "pension", "pinchan", "pinchanu", "id", "పింఛను", "పెన్షన్", "ఐడీ"),
)

SADAREM_ID = IdentifierFormat(
    name="sadarem_id",
    label=Wording("SADAREM ID", "సదరం ఐడీ"),
    example="12345678901234567",
    rule=Wording("A SADAREM ID has 10 to 17 digits, like 12345678901234567 (it is on the SADAREM certificate).",
                 "సదరం ఐడీలో 10 నుండి 17 అంకెలు ఉంటాయి, ఉదా. 12345678901234567 (సదరం సర్టిఫికెట్‌పై ఉంటుంది)."),
    pattern=re.compile(r"\d{10,17}"),
    personal=True,
    cues=("sadarem id", "sadarem", "sadaram", "id", "సదరం", "ఐడీ"),
)

# State-district-block-panchayat-village / household, as printed on the job card.
MGNREGA_JOB_CARD = IdentifierFormat(
    name="mgnrega_job_card",
    label=Wording("MGNREGA job card number", "ఉపాధి హామీ జాబ్ కార్డు నంబర్"),
    example="AP-01-001-001-001/123",
    rule=Wording("A job card number looks like AP-01-001-001-001/123 (it is on the first page of the job card).",
                 "జాబ్ కార్డు నంబర్ AP-01-001-001-001/123 లాగా ఉంటుంది (జాబ్ కార్డు మొదటి పేజీలో ఉంటుంది)."),
    pattern=re.compile(r"([A-Z]{2})(\d{2})(\d{3})(\d{3})(\d{3})/(\d{1,6})"),
    keep="/",
    cues=("job card", "jobcard", "card", "nrega", "mgnrega", "upadhi", "జాబ్ కార్డు", "జాబ్‌కార్డు"),
    value=lambda m: "-".join(m.groups()[:5]) + "/" + m.group(6),
)

FORMATS = (RICE_CARD, RATION_SHOP, PENSION_ID, SADAREM_ID, MGNREGA_JOB_CARD)
