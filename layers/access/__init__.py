"""Who may do what: roles from the sign-in's claim, and what each role allows.

`Person` is who a page serves; `Capability` names each shared action; `ALLOWED` is the one table
that says which roles hold which. The app asks `person.may(Capability.X)` before it shows a
control or acts on one, and the same table is read everywhere (the sidebar, the presenter's
page, the report paragraphs, imports).
"""

from layers.access.roles import (
    ALLOWED,
    ROLES_CLAIM,
    Capability,
    Person,
    Role,
    local_person,
    roles_from_claim,
    signed_in_person,
)

__all__ = [
    "ALLOWED",
    "ROLES_CLAIM",
    "Capability",
    "Person",
    "Role",
    "local_person",
    "roles_from_claim",
    "signed_in_person",
]
