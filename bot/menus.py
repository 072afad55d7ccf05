"""The numbered menus: departments, then a department's services, in pages that fit a WhatsApp list.

A page holds 9 rows and a "More…" row (WhatsApp lists take 10); the body repeats the page's numbers for
phones that show lists poorly. Digits always mean the catalog's own numbers (department `menu_number`, service
`menu_path[1]`), whatever page is showing, so "27" picks department 27 from the first page too.
"""
from __future__ import annotations

from bot import render
from bot.state import MENU_DEPARTMENTS, MENU_SERVICES
from catalog.schema import Department
from nlu import words

PAGE_ROWS = render.LIST_MAX_ROWS - 1  # the last row is "More…"


class Menus:
    def __init__(self, catalog, start_service):
        self.catalog = catalog
        self.start_service = start_service  # (convo, service) -> None

    def departments(self, convo, keep_page: bool = False) -> None:
        state = convo.state
        page = state.menu_page if keep_page else 0
        state.reset()
        state.step, state.menu_page = MENU_DEPARTMENTS, page
        rows = [(f"dept:{d.menu_number}", d.menu_number, d.name) for d in self.catalog.departments_in_menu_order()]
        convo.add(self._page(convo, convo.t.say("departments_title"), rows))

    def pick_department(self, convo, number: int) -> None:
        department = self._department(number)
        if department is None:
            convo.add(render.text(convo.t.say("menu_unknown_number", number=number)))
            self.departments(convo)
            return
        state = convo.state
        state.reset()
        state.step, state.department_number, state.menu_page = MENU_SERVICES, number, 0
        self.services(convo, keep_page=True)

    def services(self, convo, keep_page: bool = False) -> None:
        state = convo.state
        department = self._department(state.department_number)
        if not keep_page:
            state.menu_page = 0
        rows = [(f"svc:{s.id}", s.menu_path[1], s.name) for s in self.catalog.by_department(department.id)]
        convo.add(self._page(convo, convo.t.say("services_title", department=department.name), rows))

    def on_departments(self, convo, turn) -> bool:
        choice, said = turn.choice_id or "", turn.said
        if choice == "more" or said in words.MORE:
            convo.state.menu_page += 1
            self.departments(convo, keep_page=True)
        elif choice.startswith("dept:") and choice[5:].isdigit():
            self.pick_department(convo, int(choice[5:]))
        elif said.isdigit():
            self.pick_department(convo, int(said))
        else:
            return False
        return True

    def on_services(self, convo, turn) -> bool:
        choice, said = turn.choice_id or "", turn.said
        if choice == "more" or said in words.MORE:
            convo.state.menu_page += 1
            self.services(convo, keep_page=True)
        elif choice.startswith("svc:") and choice[4:] in self.catalog.services:
            self.start_service(convo, self.catalog.services[choice[4:]])
        elif said.isdigit():
            service = self.catalog.by_menu_path(convo.state.department_number or 0, int(said))
            if service is None:
                convo.add(render.text(convo.t.say("menu_unknown_number", number=said)))
                self.services(convo, keep_page=True)
            else:
                self.start_service(convo, service)
        else:
            return False
        return True

    def _department(self, number: int | None) -> Department | None:
        return next((d for d in self.catalog.departments.values() if d.menu_number == number), None)

    def _page(self, convo, body: str, items: list[tuple[str, int, object]]):
        """items: (row id, the number a citizen may type, the Bilingual name)."""
        t = convo.t
        pages = max(1, -(-len(items) // PAGE_ROWS))
        page = convo.state.menu_page % pages
        convo.state.menu_page = page
        shown = items[page * PAGE_ROWS:(page + 1) * PAGE_ROWS]
        rows = [(row_id, f"{number}. {t.name(name)}", "") for row_id, number, name in shown]
        listing = "\n".join(title for _, title, _ in rows)
        if pages > 1:
            rows.append(("more", t.title("row_more"), f"{page + 1}/{pages}"))
            listing += "\n" + t.say("menu_more_hint", page=page + 1, pages=pages)
        return render.choice_list(f"{body}\n{listing}", rows, t.title("list_choose"))
