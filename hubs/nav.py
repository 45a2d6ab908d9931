"""The header's sections. Each feature registers its own; only allowed ones are shown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hubs.access import Principal


@dataclass(frozen=True)
class NavItem:
    label: Any  # a lazy gettext string
    endpoint: str
    visible: Callable[[Principal], bool]
    order: int = 50
    # Blueprint names whose pages mark the item as the current section.
    sections: tuple[str, ...] = ()


_items: list[NavItem] = []


def register(
    label: Any,
    endpoint: str,
    visible: Callable[[Principal], bool],
    order: int = 50,
    section: str | tuple[str, ...] = "",
) -> None:
    """Add a header section (call once, at import of the feature's views).

    ``section``: the blueprint name(s) whose pages belong to it (default: the endpoint's).
    """
    if any(item.endpoint == endpoint for item in _items):
        return
    sections = (section,) if isinstance(section, str) else tuple(section)
    sections = tuple(s for s in sections if s) or (endpoint.split(".")[0],)
    _items.append(NavItem(label, endpoint, visible, order, sections))
    _items.sort(key=lambda item: item.order)


def items_for(principal: Principal) -> list[NavItem]:
    return [item for item in _items if principal.is_authenticated and item.visible(principal)]


_user_menu: list[NavItem] = []


def register_user_menu(
    label: Any,
    endpoint: str,
    visible: Callable[[Principal], bool] = lambda p: True,
    order: int = 50,
) -> None:
    """Add an entry to the user menu (profile, API tokens, calendar feeds ...)."""
    if any(item.endpoint == endpoint for item in _user_menu):
        return
    _user_menu.append(NavItem(label, endpoint, visible, order))
    _user_menu.sort(key=lambda item: item.order)


@dataclass(frozen=True)
class StartSection:
    """A block a feature adds to the top of the start page ("/") for some users."""

    template: str
    build: Callable[[Principal], dict[str, Any] | None]  # None: leave it out
    order: int = 50


_start_sections: dict[str, StartSection] = {}


def register_start_section(
    key: str, template: str, build: Callable[[Principal], dict[str, Any] | None], order: int = 50
) -> None:
    """Show ``template`` (with ``build(principal)`` as ``section``) on the start page,
    e.g. the coordinator's day. Registering the same key again replaces it."""
    _start_sections[key] = StartSection(template, build, order)


def start_sections(principal: Principal) -> list[tuple[str, dict[str, Any]]]:
    shown = []
    for section in sorted(_start_sections.values(), key=lambda s: s.order):
        context = section.build(principal) if principal.is_authenticated else None
        if context is not None:
            shown.append((section.template, context))
    return shown


def init_app(app: Any) -> None:
    from hubs.access import current_principal

    app.jinja_env.globals.update(
        nav_items=lambda: items_for(current_principal()),
        user_menu_items=lambda: [
            i
            for i in _user_menu
            if current_principal().is_authenticated and i.visible(current_principal())
        ],
    )
