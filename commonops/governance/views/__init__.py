"""Pages of OMT governance (G1–G12), by subject: `omt` (the OMT, members, chair terms, task
forces, UNCT decisions), `meetings` (meetings, agendas, attendance), `minutes`, `tracker`
(actions and escalations).

Every page needs a login; rows are scoped with `visible_to` / `get_visible_or_404`, so an
outsider gets 404; writes need the permission (403 otherwise) and call exactly one function
of governance/actions. An action's ValidationError is shown on the form with status 400
(nothing changed); an edit conflict on minutes answers 409 with both texts. Lists and
object pages are core's generic pages (`ObjectPages`); workflow steps are declared in
governance/workflows.py and served by core's step view.
"""
