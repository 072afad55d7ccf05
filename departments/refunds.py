"""The one refund rule for cancelled bookings (stated to the citizen before they book)."""
from __future__ import annotations

from datetime import datetime, timedelta

RULE_EN = ("Cancel 24 hours or more before the start: 90% back. Between 2 and 24 hours: 50% back. "
           "Under 2 hours: no refund.")
RULE_TE = ("ప్రారంభానికి 24 గంటల ముందు లేదా అంతకంటే ముందు రద్దు: 90% తిరిగి. 2 నుంచి 24 గంటల మధ్య: 50%. "
           "2 గంటల లోపు: తిరిగి ఇవ్వబడదు.")


def refund_paise(amount_paise: int, starts_at: datetime, now: datetime) -> int:
    ahead = starts_at - now
    if ahead >= timedelta(hours=24):
        share = 90
    elif ahead >= timedelta(hours=2):
        share = 50
    else:
        share = 0
    return amount_paise * share // 100
