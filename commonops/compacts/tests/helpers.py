"""Rows the compacts tests build for themselves: an office of their own, so no test counts
the demo world's compacts, figures or recommendations."""

import itertools
from datetime import date
from decimal import Decimal

from commonops.compacts import actions
from commonops.core.models import Country, User

_seq = itertools.count(1)
D = Decimal


def user(username):
    return User.objects.get(username=username)


def viet_nam():
    return Country.objects.get(iso_code="VN")


def office():
    return actions.office_create(by=user("vn-senior"), data={
        "country": viet_nam(), "name": f"Test office {next(_seq)}"})


def compact(*, year=2026, the_office=None, endorser="vn-endorser"):
    return actions.compact_create(by=user("vn-senior"), data={
        "office": the_office or office(), "manager": user("vn-senior"),
        "endorser": user(endorser) if endorser else None, "year": year,
        "budget_reference": "Country programme document."})


def signed(c):
    actions.compact_acknowledge(compact=c, by=user("vn-senior"), today=date(c.year, 2, 1))
    return actions.compact_endorse(compact=c, by=user("vn-endorser"), today=date(c.year, 2, 3))


def recommendation(the_office, *, issued, target, owner="vn-senior"):
    return actions.oversight_recommendation_create(by=user("vn-senior"), data={
        "office": the_office, "source_body": "oios", "report": f"Report {next(_seq)}",
        "text": "Reconcile the asset register.", "risk": "high", "owner": user(owner),
        "issued_on": issued, "target_date": target})
