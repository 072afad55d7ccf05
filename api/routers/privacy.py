"""The privacy page the first-contact notice links to: what mitra keeps, why, for how long, and the citizen's rights."""
from __future__ import annotations

import html

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.deps import SettingsDep

router = APIRouter(tags=["privacy"])


@router.get("/privacy", response_class=HTMLResponse)
def privacy_page(settings: SettingsDep) -> str:
    audio, text = settings.retention_audio_days, settings.retention_text_days
    version = html.escape(settings.privacy_notice_version)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Mana Mitra — privacy</title>
<style>body{{font-family:system-ui,"Noto Sans Telugu",sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;
line-height:1.5}}h2{{margin-top:2rem}}</style></head><body>
<h1>Mana Mitra — your data / మీ సమాచారం</h1>
<p>Notice version {version}. Under India's Digital Personal Data Protection Act, 2023.</p>
<h2>What we keep and why</h2>
<ul><li>Your WhatsApp number (encrypted) — to answer you and send updates about your applications.</li>
<li>Your messages, voice notes and their transcripts — to understand your request and improve the service.
Voice notes are deleted after {audio:g} days; message text is masked after {text:g} days.</li>
<li>Your applications (reference, service, details you gave, status) — the department needs them, and the law
requires the record of each application and payment to be kept.</li></ul>
<h2>Your choices</h2>
<ul><li><b>STOP</b> / <b>ఆపు</b>: no more updates (you can still write to us). <b>START</b> / <b>ప్రారంభించు</b>: updates again.</li>
<li><b>stop reminders</b>, <b>stop status updates</b>: turn off one kind of update.</li>
<li><b>my data</b> / <b>నా డేటా</b>: a document with everything we hold about you.</li>
<li><b>delete my data</b> / <b>నా వివరాలు తొలగించండి</b>: after you confirm, your name, numbers, messages,
transcripts and voice notes are erased. Application and payment records the law requires are kept without your
personal details; issued certificates, tickets and fee receipts keep the holder's name so they stay verifiable.</li></ul>
<h2>మేము ఏమి ఉంచుతాం</h2>
<p>మీ నంబర్ (గుప్తీకరించి), సందేశాలు, వాయిస్ నోట్లు ({audio:g} రోజుల తర్వాత తొలగిస్తాం), దరఖాస్తులు.
<b>ఆపు</b> అంటే సమాచారం ఆగుతుంది; <b>నా వివరాలు తొలగించండి</b> అంటే మీ వ్యక్తిగత వివరాలు తొలగిస్తాం.</p>
</body></html>"""
