"""The catalogue says which BOS opportunity or stock-take entry each service implements."""

from commonops.commonservices.models import CommonService


def test_a_service_page_links_to_the_bos_opportunity_it_implements(client, viet_nam):
    from commonops.core.models import User

    service = CommonService.objects.get(country=viet_nam, name="ICT service desk")
    assert service.opportunity.name == "Common ICT service desk"
    client.force_login(User.objects.get(username="vn-csm"))
    html = client.get(service.get_absolute_url()).content.decode()
    assert f'<a href="{service.opportunity.get_absolute_url()}">' in html


def test_existing_services_point_at_their_stocktake_entry(viet_nam):
    service = CommonService.objects.get(country=viet_nam, name="Reception and security")
    assert service.stocktake_entry.name == "Security guard services"
