"""The admin goes through the same actions as the pages: their rules apply, a refusal
changes nothing, and what the rules derive is read-only there."""

from decimal import Decimal

from django.contrib.admin.sites import site
from django.forms.models import model_to_dict
from django.urls import reverse

from commonops.core.models import Country


def _country_form(country, **changes):
    data = {key: value for key, value in model_to_dict(country).items()
            if key not in ("id", "typology") and value is not None}
    data.update({"-1-TOTAL_FORMS": "0", "-1-INITIAL_FORMS": "0"})  # the holidays shown
    data.update(changes)
    return data


def test_an_admin_change_of_expenditure_sets_the_typology_b8(client, admin_user, viet_nam):
    client.force_login(admin_user)
    url = reverse("admin:core_country_change", args=[viet_nam.pk])
    response = client.post(url, _country_form(viet_nam, un_expenditure="150000000"))
    assert response.status_code == 302, response.content.decode()[:2000]
    viet_nam.refresh_from_db()
    assert (viet_nam.un_expenditure, viet_nam.typology) == (Decimal("150000000"), "large")
    assert "typology" in site._registry[Country].readonly_fields


def test_a_refusal_in_the_admin_is_a_message_and_changes_nothing(client, admin_user):
    from commonops.bos.models import Bos

    signed = Bos.objects.filter(status="signed_off").first()
    client.force_login(admin_user)
    url = reverse("admin:bos_bos_delete", args=[signed.pk])
    response = client.post(url, {"post": "yes"}, follow=True)
    assert "signed off and can no longer be changed" in response.content.decode()
    assert Bos.objects.filter(pk=signed.pk).exists()


def test_rows_without_actions_are_read_only_in_the_admin(client, admin_user):
    from commonops.commonservices.models import Allocation
    from commonops.servicedesk.models import Ticket

    client.force_login(admin_user)
    for model in (Ticket, Allocation):
        admin = site._registry[model]
        request = client.get("/").wsgi_request
        assert not admin.has_change_permission(request)
        assert not admin.has_add_permission(request)
        assert not admin.has_delete_permission(request)
