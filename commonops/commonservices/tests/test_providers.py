"""Common services read the desk's ticket volumes and the surveys' satisfaction through
registered providers: the dependency points down only."""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from commonops.commonservices import providers
from commonops.commonservices.models import UsageSource


def test_common_services_import_neither_the_desk_nor_surveys():
    for module in Path(providers.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert not name.startswith(("commonops.servicedesk", "commonops.surveys")), \
                    f"{module.name} imports {name}"


def test_the_desk_and_surveys_register_their_figures():
    from commonops.servicedesk.queries import desk_usage
    from commonops.surveys.queries import survey_satisfaction

    assert providers.USAGE_PROVIDERS[UsageSource.SERVICE_DESK] is desk_usage
    assert survey_satisfaction in providers.SATISFACTION_PROVIDERS


def test_a_usage_source_nobody_keeps_is_refused_with_a_message(monkeypatch, viet_nam):
    monkeypatch.setattr(providers, "USAGE_PROVIDERS", {})
    with pytest.raises(ValidationError, match="No usage figures"):
        providers.usage_from(UsageSource.SERVICE_DESK, country=viet_nam, year=2030)


def test_satisfaction_merges_the_providers_and_is_empty_without_them(monkeypatch, viet_nam):
    monkeypatch.setattr(providers, "SATISFACTION_PROVIDERS", [])
    assert providers.satisfaction_by_service(country=viet_nam, year=2030) == {}
    providers.satisfaction_provider(lambda *, country, year: {1: 80})
    providers.satisfaction_provider(lambda *, country, year: {2: 90})
    assert providers.satisfaction_by_service(country=viet_nam, year=2030) == {1: 80, 2: 90}
