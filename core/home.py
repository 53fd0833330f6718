"""The home page after sign-in: a section for each role the user holds, most relevant first.

`core` sits below the apps that own the data, so it never imports them. Each app registers its
sections in its AppConfig.ready() (the one seam STYLE.md allows for this), naming the roles a
section is for, its place on the page, its template, and the selector that fills it. A selector
takes `user` and `today` (keyword-only) and returns the template's context, or None when the
section does not apply to this user (a council officer has no partner inbox section). A section may
name a role's own home page (the secretariat's, finance's): a user whose only section is that one is
sent straight there.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from .access import organisation_of, roles_of


@dataclass(frozen=True)
class HomeSection:
    key: str
    roles: frozenset[str]
    order: int
    template: str
    selector: Callable[..., dict | None] | None = None
    own_page: str = ""


@dataclass(frozen=True)
class ShownSection:
    section: HomeSection
    context: dict

    @property
    def template(self) -> str:
        return self.section.template


_sections: dict[str, HomeSection] = {}


def home_section_register(
    *,
    key: str,
    roles,
    order: int,
    template: str,
    selector: Callable[..., dict | None] | None = None,
    own_page: str = "",
) -> None:
    """Add a section to the home page (by key, so registering twice changes nothing)."""
    _sections[key] = HomeSection(
        key=key,
        roles=frozenset(str(role) for role in roles),
        order=order,
        template=template,
        selector=selector,
        own_page=own_page,
    )


def home_sections_for_user(*, user, today: date) -> list[ShownSection]:
    """The sections for the roles the user holds (not every role, as `admin` would be), in page order;
    none for a user with no organisation."""
    if organisation_of(user) is None:
        return []
    held = roles_of(user)
    shown = []
    for section in sorted(_sections.values(), key=lambda section: (section.order, section.key)):
        if not held & section.roles:
            continue
        context = section.selector(user=user, today=today) if section.selector else {}
        if context is not None:
            shown.append(ShownSection(section=section, context=context))
    return shown
