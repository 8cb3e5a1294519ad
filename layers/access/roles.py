"""Roles, capabilities and the person a page serves.

The identity provider says a person's roles in one claim of the ID token (`roles` by default:
a list of strings, or one string of names separated by commas or spaces, as providers send
them). Names briefmap does not know are ignored (an organisation's other applications have
their own); a claim of the wrong shape, or too long, gives no role at all, never a guess.

Without sign-in (the laptop, loopback only, or an operator's explicit `--no-sign-in`) the one
person at the keyboard holds every role: that is the tool it has always been.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

ROLES_CLAIM = "roles"
MAX_CLAIM_ITEMS = 64  # a claim longer than this is not a list of roles
MAX_NAME_CHARS = 64  # nor is a name longer than this


class Role(StrEnum):
    VIEWER = "viewer"
    ANALYST = "analyst"
    PRESENTER = "presenter"
    ADMIN = "admin"


class Capability(StrEnum):
    VIEW = "view"  # the map, its filters and layers, the timeline
    EXPORT = "export"  # snapshots, data extracts, briefing packs
    IMPORT = "import"  # write the shared event store (Import incidents)
    AUTHOR = "author"  # draft walkthroughs, upload a walkthrough file
    PRESENT = "present"  # start or resume a briefing, drive it, read its speaker notes
    READ_SOURCES = "read_sources"  # the cited report paragraphs
    MANAGE = "manage"  # end others' briefings, remove imports, raise the store's marking


_VIEWING = {Capability.VIEW, Capability.EXPORT}
ALLOWED: dict[Role, frozenset[Capability]] = {
    Role.VIEWER: frozenset(_VIEWING),
    Role.ANALYST: frozenset(
        _VIEWING | {Capability.IMPORT, Capability.AUTHOR, Capability.READ_SOURCES}
    ),
    Role.PRESENTER: frozenset(_VIEWING | {Capability.PRESENT, Capability.READ_SOURCES}),
    Role.ADMIN: frozenset(Capability),
}

_SEPARATORS = re.compile(r"[\s,]+")


def roles_from_claim(claim: object) -> frozenset[Role]:
    """The briefmap roles in a claim's value; unknown names ignored, a malformed claim none."""
    if isinstance(claim, str):
        if len(claim) > MAX_CLAIM_ITEMS * (MAX_NAME_CHARS + 1):
            return frozenset()
        names: list[object] = [n for n in _SEPARATORS.split(claim) if n]
    elif isinstance(claim, list | tuple):
        names = list(claim)
    else:
        return frozenset()
    if len(names) > MAX_CLAIM_ITEMS:
        return frozenset()
    known = {role.value: role for role in Role}
    return frozenset(
        known[name.strip().lower()]
        for name in names
        if isinstance(name, str) and len(name) <= MAX_NAME_CHARS and name.strip().lower() in known
    )


@dataclass(frozen=True)
class Person:
    """Who a page serves: a signed-in login with roles, or the local user (`signed_in` False),
    who holds every role."""

    login: str
    roles: frozenset[Role]
    signed_in: bool

    def may(self, capability: Capability) -> bool:
        return any(capability in ALLOWED[role] for role in self.roles)

    @property
    def capabilities(self) -> frozenset[Capability]:
        return frozenset(c for c in Capability if self.may(c))

    @property
    def shown_roles(self) -> str:
        """The roles in the table's order, for the page ("viewer, presenter")."""
        return ", ".join(role.value for role in Role if role in self.roles)


def local_person(login: str = "local") -> Person:
    return Person(login=login[:MAX_NAME_CHARS], roles=frozenset(Role), signed_in=False)


def signed_in_person(claims: dict, roles_claim: str = ROLES_CLAIM) -> Person:
    """The person an ID token's claims describe: the login from `preferred_username` (else
    `email`, else `sub`), the roles from `roles_claim`."""
    login = ""
    for name in ("preferred_username", "email", "sub"):
        value = claims.get(name)
        if isinstance(value, str) and value.strip():
            login = value.strip()[:MAX_NAME_CHARS]
            break
    return Person(login=login, roles=roles_from_claim(claims.get(roles_claim)), signed_in=True)
