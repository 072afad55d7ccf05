"""Small builders for channel-neutral replies within WhatsApp's limits, and their stored form (replays resend
exactly these).

The limits are WhatsApp Cloud API's: a text body of 4096 characters, an interactive (buttons / list) body of
1024, at most 3 buttons titled in 20 characters, at most 10 list rows titled in 24 with 72-character
descriptions. Builders clip titles (the full text goes into the row description or the body); `fit` splits a
body that is too long into text messages before the interactive one, so nothing is cut.
"""
from __future__ import annotations

from dataclasses import asdict

import regex

from bot.replies import Button, Document, ListRow, Reply

TEXT_MAX = 4096
INTERACTIVE_BODY_MAX = 1024
LIST_MAX_ROWS = 10
BUTTONS_MAX = 3
BUTTON_TITLE_MAX = 20
ROW_TITLE_MAX = 24
ROW_DESCRIPTION_MAX = 72
LIST_BUTTON_MAX = 20


def clip(text: str, limit: int) -> str:
    """Shorten to `limit` characters, marking the cut with an ellipsis; whole letters only (a Telugu letter is
    often several characters: "త్రు" cut after two would draw a broken glyph)."""
    text = text.strip()
    if len(text) <= limit:
        return text
    kept = ""
    for letter in regex.findall(r"\X", text):
        if len(kept) + len(letter) > limit - 1:
            break
        kept += letter
    return kept.rstrip() + "…"


def text(body: str) -> Reply:
    return Reply(kind="text", text=body)


def buttons(body: str, options: list[tuple[str, str]]) -> Reply:
    return Reply(kind="buttons", text=body,
                 buttons=[Button(id=i, title=clip(t, BUTTON_TITLE_MAX)) for i, t in options[:BUTTONS_MAX]])


def choice_list(body: str, rows: list[tuple[str, str, str]], button_label: str) -> Reply:
    """Rows are (id, title, description); a title too long for WhatsApp moves whole into the description."""
    fitted = []
    for row_id, title, description in rows[:LIST_MAX_ROWS]:
        if len(title) > ROW_TITLE_MAX and not description:
            description = title
        fitted.append(ListRow(id=row_id, title=clip(title, ROW_TITLE_MAX),
                              description=clip(description, ROW_DESCRIPTION_MAX)))
    return Reply(kind="list", text=body, list_button=clip(button_label, LIST_BUTTON_MAX), rows=fitted)


def document(body: str, filename: str, content: bytes) -> Reply:
    return Reply(kind="document", text=body, document=Document(filename=filename, content=content, caption=body))


def fit(reply: Reply) -> list[Reply]:
    """The reply as one or more messages, each within WhatsApp's length limits."""
    limit = TEXT_MAX if reply.kind == "text" else INTERACTIVE_BODY_MAX
    if len(reply.text) <= limit:
        return [reply]
    if reply.kind == "text":
        return [text(chunk) for chunk in _chunks(reply.text, TEXT_MAX)]
    head, _, tail = reply.text.rpartition("\n")
    if not head or len(tail) > limit:  # no short last line to keep with the buttons
        head, tail = reply.text, "👇"
    reply.text = tail
    return [*(text(chunk) for chunk in _chunks(head, TEXT_MAX)), reply]


def _chunks(body: str, limit: int) -> list[str]:
    """Split at line breaks where possible."""
    chunks, current = [], ""
    for line in body.split("\n"):
        while len(line) > limit:
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            candidate = line
        current = candidate
    if current:
        chunks.append(current)
    return chunks


def to_stored(reply: Reply) -> dict:
    """The reply as JSON; a document keeps its name only (it is rebuilt from the certificate register), and
    what was shown to the citizen only is kept masked."""
    data = asdict(reply)
    for shown, kept in data.pop("masked").items():
        data["text"] = data["text"].replace(shown, kept)
    if reply.document is not None:
        data["document"] = {"filename": reply.document.filename, "mime_type": reply.document.mime_type,
                            "caption": reply.document.caption}
    return data


def from_stored(data: dict, rebuild_document) -> Reply:
    doc = data.get("document")
    return Reply(
        kind=data["kind"], text=data["text"], list_button=data.get("list_button", ""),
        buttons=[Button(**b) for b in data.get("buttons", [])],
        rows=[ListRow(**r) for r in data.get("rows", [])],
        document=Document(filename=doc["filename"], content=rebuild_document(doc["filename"]),
                          mime_type=doc["mime_type"], caption=doc["caption"]) if doc else None,
    )
