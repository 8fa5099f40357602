"""Roles and what each may do: the one role-to-permission table.

Every page, API endpoint, admin screen and export asks `commonops.core.access` whether a
user may do something; `access` reads this table. Later apps add their permissions here,
not in their views.

A role is held at a scope: a country (most roles), a region (regional focal points) or
everywhere (HQ analysts, auditors, administrators).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    COUNTRY = "country", _("Country")
    REGION = "region", _("Region")
    GLOBAL = "global", _("Everywhere")


class Role(models.TextChoices):
    RC = "rc", _("Resident Coordinator")
    UNCT_MEMBER = "unct_member", _("UNCT member (head of agency)")
    OMT_CHAIR = "omt_chair", _("OMT chair")
    OMT_CO_CHAIR = "omt_co_chair", _("OMT co-chair")
    OMT_MEMBER = "omt_member", _("OMT member")
    OMT_ALTERNATE = "omt_alternate", _("OMT alternate")
    OMT_SECRETARY = "omt_secretary", _("OMT secretary")
    TASK_FORCE_MEMBER = "task_force_member", _("Task-force member")
    ME_FOCAL_POINT = "me_focal_point", _("M&E focal point")
    CS_MANAGER = "cs_manager", _("Common-services manager")
    SD_AGENT = "sd_agent", _("Service-desk agent")
    SD_MANAGER = "sd_manager", _("Service-desk manager")
    STAFF = "staff", _("Staff member")
    REGIONAL_FOCAL_POINT = "regional_focal_point", _("Regional focal point")
    HQ_ANALYST = "hq_analyst", _("HQ analyst")
    AUDITOR = "auditor", _("Auditor")
    ADMINISTRATOR = "administrator", _("Administrator")
    SENIOR_MANAGER = "senior_manager", _("Senior manager")
    ENDORSER = "endorser", _("Compact endorser")


ROLE_SCOPE: dict[str, str] = {
    Role.REGIONAL_FOCAL_POINT: Scope.REGION,
    Role.HQ_ANALYST: Scope.GLOBAL,
    Role.AUDITOR: Scope.GLOBAL,
    Role.ADMINISTRATOR: Scope.GLOBAL,
}
for _role in Role.values:
    ROLE_SCOPE.setdefault(_role, Scope.COUNTRY)

COUNTRY_ROLES = tuple(r for r, s in ROLE_SCOPE.items() if s == Scope.COUNTRY)
REGION_ROLES = tuple(r for r, s in ROLE_SCOPE.items() if s == Scope.REGION)
GLOBAL_ROLES = tuple(r for r, s in ROLE_SCOPE.items() if s == Scope.GLOBAL)


class Perm:
    """Permission names, `area.verb`. Reading a country's rows needs VIEW."""

    VIEW = "core.view"
    EXPORT = "core.export"
    CHANGE_COUNTRY = "core.change_country"  # calendar, holidays, agency presence
    MANAGE_PEOPLE = "core.manage_people"  # people and their roles in a country
    MANAGE_REFERENCE = "core.manage_reference"  # regions and agencies, shared by all
    VIEW_AUDIT = "core.view_audit"  # search the audit trail
    # governance (G1–G12)
    GOVERN = "governance.manage"  # run the OMT: members, terms, task forces, meetings, minutes
    COMMENT_MINUTES = "governance.comment"  # comment on circulated minutes, raise escalations
    UNCT_DECIDE = "governance.decide"  # record the UNCT's decisions
    FINALISE_MINUTES = "governance.finalise"  # G6, G12: the secretary or the chair finalises
    # results engine
    MANAGE_INDICATORS = "results.manage"  # define indicators, baselines and targets
    MEASURE = "results.measure"  # enter measurements (actuals) with means of verification
    # Business Operations Strategy (B1–B8)
    BOS_EDIT = "bos.edit"  # stock-take, opportunities, CBA, results framework, plan
    BOS_KICKOFF = "bos.kickoff"  # B1: only the OMT chair and the RC edit the kick-off
    BOS_QUALITY_ASSURE = "bos.quality_assure"  # clear a submitted BOS or return it to draft
    BOS_ENDORSE = "bos.endorse"  # record the UNCT's endorsement
    BOS_SIGN_OFF = "bos.sign_off"  # B1: only the RC signs off
    # common services (S1–S6) and surveys (Q1)
    MANAGE_COMMON_SERVICES = "commonservices.manage"  # catalogue, agreements, budgets, keys
    ALLOCATE_COSTS = "commonservices.allocate"  # compute and recompute allocations
    MANAGE_SURVEYS = "surveys.manage"  # build questionnaires, invite, close
    # service desk (T1–T6)
    RAISE_TICKETS = "servicedesk.raise"  # any staff member of a participating agency
    WORK_TICKETS = "servicedesk.work"  # agents: reply, note, change status, take
    MANAGE_DESK = "servicedesk.manage"  # teams, categories, SLA policies, reassign anyone
    # annual work plans, the OMT annual report and the BOS evaluation (G9)
    WORKPLAN_EDIT = "workplans.edit"  # draft the work plan, its activities and indicators
    WORKPLAN_APPROVE = "workplans.approve"  # the UNCT approves the work plan
    # compacts and oversight (C1–C3)
    COMPACT_DRAFT = "compacts.draft"  # draft one's compact, its objectives and measures
    COMPACT_ENDORSE = "compacts.endorse"  # endorse a compact the manager acknowledged
    OVERSIGHT_MANAGE = "compacts.oversight"  # track oversight recommendations
    COMPACT_DATA = "compacts.data"  # enter and import the figures behind the C2 measures
    # documents and knowledge (D1–D3, K1–K3)
    UPLOAD_DOCUMENTS = "documents.upload"  # add documents and versions to the repository
    KEEP_REPOSITORY = "documents.keep"  # D2: the RCO keeps the repository and its access log
    MANAGE_KNOWLEDGE = "documents.knowledge"  # knowledge base, roster and templates
    # performance (H1–H3)
    COMPARE_COUNTRIES = "reports.compare"  # regional pages, agency view, comparisons
    GLOBAL_REPORTS = "reports.global"  # the HQ page and the global report
    MANAGE_BASELINES = "reports.baselines"  # agencies' administrative budgets (H2)


_EVERYONE = {Perm.VIEW}
_READERS = _EVERYONE | {Perm.EXPORT}

_OMT = {Perm.COMMENT_MINUTES}
_RUNS_OMT = _OMT | {Perm.GOVERN}
_BOS_AUTHORS = {Perm.BOS_EDIT, Perm.MANAGE_INDICATORS, Perm.MEASURE}
_RUNS_SERVICES = {Perm.MANAGE_COMMON_SERVICES, Perm.ALLOCATE_COSTS, Perm.MANAGE_SURVEYS,
                  Perm.MANAGE_INDICATORS, Perm.MEASURE}
_AGENT = {Perm.WORK_TICKETS}
_RUNS_DESK = _AGENT | {Perm.MANAGE_DESK, Perm.MANAGE_INDICATORS, Perm.MEASURE}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.RC: frozenset(_READERS | _RUNS_OMT | _BOS_AUTHORS
                       | {Perm.CHANGE_COUNTRY, Perm.MANAGE_PEOPLE, Perm.VIEW_AUDIT,
                          Perm.UNCT_DECIDE, Perm.BOS_KICKOFF, Perm.BOS_ENDORSE,
                          Perm.BOS_SIGN_OFF}),
    Role.UNCT_MEMBER: frozenset(_READERS | {Perm.UNCT_DECIDE, Perm.BOS_ENDORSE}),
    Role.OMT_CHAIR: frozenset(_READERS | _RUNS_OMT | _BOS_AUTHORS
                              | {Perm.CHANGE_COUNTRY, Perm.MANAGE_PEOPLE, Perm.BOS_KICKOFF,
                                 Perm.MANAGE_SURVEYS}),
    Role.OMT_CO_CHAIR: frozenset(_READERS | _RUNS_OMT | _BOS_AUTHORS | {Perm.CHANGE_COUNTRY}),
    Role.OMT_MEMBER: frozenset(_READERS | _OMT),
    Role.OMT_ALTERNATE: frozenset(_READERS | _OMT),
    Role.OMT_SECRETARY: frozenset(_READERS | _RUNS_OMT),
    Role.TASK_FORCE_MEMBER: frozenset(_READERS | {Perm.BOS_EDIT}),
    Role.ME_FOCAL_POINT: frozenset(_READERS | {Perm.MANAGE_INDICATORS, Perm.MEASURE}),
    Role.CS_MANAGER: frozenset(_READERS | _RUNS_SERVICES),
    Role.SD_AGENT: frozenset(_EVERYONE | _AGENT),
    Role.SD_MANAGER: frozenset(_READERS | _RUNS_DESK),
    Role.STAFF: frozenset(_EVERYONE),
    # regional peer support clears a BOS in quality assurance (B1)
    Role.REGIONAL_FOCAL_POINT: frozenset(_READERS | {Perm.BOS_QUALITY_ASSURE}),
    Role.HQ_ANALYST: frozenset(_READERS),
    Role.AUDITOR: frozenset(_READERS | {Perm.VIEW_AUDIT}),
    # a compact's performance measures are results indicators (C1)
    Role.SENIOR_MANAGER: frozenset(
        _READERS | {Perm.COMPACT_DRAFT, Perm.OVERSIGHT_MANAGE, Perm.COMPACT_DATA,
                    Perm.MANAGE_INDICATORS, Perm.MEASURE}),
    Role.ENDORSER: frozenset(_READERS | {Perm.COMPACT_ENDORSE, Perm.OVERSIGHT_MANAGE}),
    Role.ADMINISTRATOR: frozenset(
        _READERS | _RUNS_OMT | _BOS_AUTHORS | _RUNS_SERVICES | _RUNS_DESK
        | {Perm.CHANGE_COUNTRY, Perm.MANAGE_PEOPLE, Perm.MANAGE_REFERENCE, Perm.VIEW_AUDIT,
           Perm.UNCT_DECIDE, Perm.BOS_KICKOFF, Perm.BOS_QUALITY_ASSURE, Perm.BOS_ENDORSE}
    ),
}

# D2: the repository is kept by the Resident Coordinator's Office; those who run the OMT, its
# task forces, the BOS, common services and the desk file their documents in it
for _role in (Role.RC, Role.OMT_CHAIR, Role.OMT_CO_CHAIR, Role.OMT_MEMBER, Role.OMT_ALTERNATE,
              Role.OMT_SECRETARY, Role.TASK_FORCE_MEMBER, Role.ME_FOCAL_POINT, Role.CS_MANAGER,
              Role.SD_MANAGER, Role.ADMINISTRATOR):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | {Perm.UPLOAD_DOCUMENTS}
for _role in (Role.RC, Role.OMT_SECRETARY, Role.ADMINISTRATOR):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | {Perm.KEEP_REPOSITORY}
# K1–K3: headquarters and the regions keep the shared knowledge; country leads add to it
for _role in (Role.HQ_ANALYST, Role.REGIONAL_FOCAL_POINT, Role.ADMINISTRATOR, Role.RC,
              Role.OMT_CHAIR, Role.CS_MANAGER):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | {Perm.MANAGE_KNOWLEDGE}

# T1: anyone working in a country (not the read-only regional and global roles) may raise a
# ticket with its service desk
for _role in COUNTRY_ROLES:
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | {Perm.RAISE_TICKETS}

# G9: the OMT drafts its work plan (chairs, secretary, M&E focal point, RC); the UNCT approves
for _role in (Role.RC, Role.OMT_CHAIR, Role.OMT_CO_CHAIR, Role.OMT_SECRETARY,
              Role.ME_FOCAL_POINT, Role.ADMINISTRATOR):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | {Perm.WORKPLAN_EDIT}
for _role in (Role.RC, Role.UNCT_MEMBER, Role.ADMINISTRATOR):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | {Perm.WORKPLAN_APPROVE}
# C1–C3: a senior manager keeps their compact, its figures and their office's
# recommendations; the endorser endorses; administrators grant these roles
ROLE_PERMISSIONS[Role.ADMINISTRATOR] = ROLE_PERMISSIONS[Role.ADMINISTRATOR] | {
    Perm.COMPACT_DRAFT, Perm.COMPACT_ENDORSE, Perm.OVERSIGHT_MANAGE, Perm.COMPACT_DATA}
# performance (H1–H3): regional and HQ readers compare countries (a regional role within its
# region); the people who hold the country's figures enter the savings baselines (H2)
for _role, _perms in {
    Role.REGIONAL_FOCAL_POINT: {Perm.COMPARE_COUNTRIES},
    Role.HQ_ANALYST: {Perm.COMPARE_COUNTRIES, Perm.GLOBAL_REPORTS},
    Role.AUDITOR: {Perm.COMPARE_COUNTRIES, Perm.GLOBAL_REPORTS},
    Role.ADMINISTRATOR: {Perm.COMPARE_COUNTRIES, Perm.GLOBAL_REPORTS, Perm.MANAGE_BASELINES},
    Role.RC: {Perm.MANAGE_BASELINES},
    Role.OMT_CHAIR: {Perm.MANAGE_BASELINES},
    Role.CS_MANAGER: {Perm.MANAGE_BASELINES},
}.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _perms

# G6, G12: the secretary (or the chair) finalises the minutes, through a role in the country
for _role in (Role.OMT_CHAIR, Role.OMT_SECRETARY):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | {Perm.FINALISE_MINUTES}

ALL_PERMISSIONS = frozenset().union(*ROLE_PERMISSIONS.values())
