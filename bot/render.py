"""Small builders for channel-neutral replies, and their stored form (replays resend exactly these)."""
from __future__ import annotations

from dataclasses import asdict

from bot.replies import Button, Document, ListRow, Reply

LIST_MAX_ROWS = 10
BUTTONS_MAX = 3


def text(body: str) -> Reply:
    return Reply(kind="text", text=body)


def buttons(body: str, options: list[tuple[str, str]]) -> Reply:
    return Reply(kind="buttons", text=body, buttons=[Button(id=i, title=t) for i, t in options[:BUTTONS_MAX]])


def choice_list(body: str, rows: list[tuple[str, str, str]], button_label: str) -> Reply:
    return Reply(kind="list", text=body, list_button=button_label,
                 rows=[ListRow(id=i, title=t, description=d) for i, t, d in rows[:LIST_MAX_ROWS]])


def document(body: str, filename: str, content: bytes) -> Reply:
    return Reply(kind="document", text=body, document=Document(filename=filename, content=content, caption=body))


def to_stored(reply: Reply) -> dict:
    """The reply as JSON; a document keeps its name only (it is rebuilt from the certificate register)."""
    data = asdict(reply)
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
