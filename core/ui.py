"""Navigation and home-page panels that domain packages register at start-up.

Core renders them without importing the packages: each package adds its entries in its
``init_app`` and the base template and home page iterate over what is registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user


@dataclass(frozen=True)
class NavItem:
    label: Any  # a lazy gettext string
    endpoint: str
    visible: Callable[[Any], bool]
    order: int = 50


@dataclass(frozen=True)
class HomePanel:
    """A block of the home page: ``build(user)`` returns template context or None to hide."""

    template: str
    build: Callable[[Any], dict[str, Any] | None]
    order: int = 50


@dataclass(frozen=True)
class PageSection:
    """A block another package adds to a page it does not own (e.g. safety's certificates on 一人一档).

    The page names a ``slot`` and passes its subject; ``build(user, subject)`` returns template
    context or None to hide.
    """

    slot: str
    template: str
    build: Callable[[Any, Any], dict[str, Any] | None]
    order: int = 50


def _registry(app: Flask) -> dict[str, list]:
    return app.extensions.setdefault("anzhi_ui", {"nav": [], "panels": [], "sections": []})


def add_nav_item(app: Flask, item: NavItem) -> None:
    _registry(app)["nav"].append(item)


def add_home_panel(app: Flask, panel: HomePanel) -> None:
    _registry(app)["panels"].append(panel)


def add_page_section(app: Flask, section: PageSection) -> None:
    _registry(app)["sections"].append(section)


def page_sections(slot: str, subject: Any) -> list[tuple[str, dict[str, Any]]]:
    """(template, context) for each section registered for ``slot`` that has something to show."""
    shown = []
    sections = [s for s in _registry(current_app)["sections"] if s.slot == slot]
    for section in sorted(sections, key=lambda s: s.order):
        context = section.build(current_user, subject)
        if context is not None:
            shown.append((section.template, context))
    return shown


def nav_items_for(user: Any) -> list[NavItem]:
    items = _registry(current_app)["nav"]
    return sorted((i for i in items if i.visible(user)), key=lambda i: i.order)


# Menu sections by entry order: what everyone uses, then the managers' pages, then the administrator's.
NAV_SECTIONS = ((0, None), (40, _l("安全管理")), (80, _l("系统管理")))
NAV_FLAT_UP_TO = 10  # a user with this many entries or fewer sees them all in one row


@dataclass(frozen=True)
class NavSection:
    label: Any  # None for the everyday entries
    items: list[NavItem]


def nav_sections_for(user: Any) -> list[NavSection]:
    """The user's menu in sections; one section when it is short enough to show in full."""
    items = nav_items_for(user)
    if len(items) <= NAV_FLAT_UP_TO:
        return [NavSection(None, items)] if items else []
    sections = []
    for index, (start, label) in enumerate(NAV_SECTIONS):
        end = NAV_SECTIONS[index + 1][0] if index + 1 < len(NAV_SECTIONS) else None
        chosen = [item for item in items if item.order >= start and (end is None or item.order < end)]
        if chosen:
            sections.append(NavSection(label, chosen))
    return sections


def home_panels_for(user: Any) -> list[tuple[str, dict[str, Any]]]:
    """(template, context) for each panel this user should see, in order."""
    shown = []
    for panel in sorted(_registry(current_app)["panels"], key=lambda p: p.order):
        context = panel.build(user)
        if context is not None:
            shown.append((panel.template, context))
    return shown


def register_template_helpers(app: Flask) -> None:
    """Expose the navigation to every template."""

    @app.template_global()
    def page_url(number: int) -> str:
        """The current page's URL with ``page`` replaced (for pagers)."""
        args = request.args.to_dict() | (request.view_args or {}) | {"page": number}
        return url_for(request.endpoint, **args)

    app.add_template_global(page_sections, "page_sections")

    @app.context_processor
    def _nav() -> dict[str, Any]:
        if current_user and current_user.is_authenticated:
            return {"nav_sections": nav_sections_for(current_user)}
        return {"nav_sections": []}
