"""The governance API: the OMT's objects and its workflows, with the pages' access and
actions, by subject: `omt`, `meetings`, `minutes`, `tracker`.

Reads are scoped with `visible_to` (another country's object answers 404, as if it did not
exist); a reference to a row the caller may not see fails validation the same way. Every
write calls one function of `governance.actions` through the pages' declarations
(`ScopedViewSet`), which checks the caller's rights again, applies G1–G12 and is recorded
in the audit trail with the source `api`. Workflow steps are `POST …/{id}/<step>/`, one
generic action per workflow of `governance.workflows`. Errors keep the one shape of
`core.api_conventions`; an edit conflict (409) adds the current state under
`error.current` so a client can merge.
"""

from commonops.governance.api import meetings, minutes, omt, tracker  # noqa: F401 (routes)
