"""Figures common services read from the areas that depend on them, without importing them.

Dependencies point down only: the service desk and surveys import common services, never the
reverse. So they register here, from their AppConfig.ready(), what cost sharing and the
annual report need of them (as the apps register their home-page items with core):

- `@usage_provider(UsageSource.SERVICE_DESK)`: `(*, country, year) -> {agency id: units}`,
  the usage a key of that source shares by (S1);
- `@satisfaction_provider`: `(*, country, year) -> {service id: rate}`, the client
  satisfaction the annual report shows per service (Q1, S6).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

USAGE_PROVIDERS: dict = {}  # usage source -> callable(*, country, year)
SATISFACTION_PROVIDERS: list = []  # callable(*, country, year)


def usage_provider(source: str):
    def register(func):
        USAGE_PROVIDERS[source] = func
        return func

    return register


def satisfaction_provider(func):
    if func not in SATISFACTION_PROVIDERS:
        SATISFACTION_PROVIDERS.append(func)
    return func


def usage_from(source: str, *, country, year: int) -> dict:
    """S1: agency id -> units of a usage source that another area keeps."""
    provider = USAGE_PROVIDERS.get(source)
    if provider is None:
        raise ValidationError(_("No usage figures are kept for this source."))
    return provider(country=country, year=year)


def satisfaction_by_service(*, country, year: int) -> dict:
    """Q1/S6: service id -> satisfaction rate, from every registered provider (none: {})."""
    rates: dict = {}
    for provider in SATISFACTION_PROVIDERS:
        rates.update(provider(country=country, year=year))
    return rates
