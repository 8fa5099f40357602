"""Compact pages: the scorecard, the comparison of an office's compacts, the steps on the
page, the import of figures (preview, all or nothing, row errors), and the API's extras.
Outsiders get 404; bad input changes nothing; query counts stay constant."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commonops.compacts import actions, rules
from commonops.compacts.models import Compact, StaffFigure
from commonops.compacts.tests.helpers import compact, office, signed, user, viet_nam
from commonops.core.testing import count_queries

pytestmark = pytest.mark.django_db
D = Decimal


def _login(client, username):
    client.force_login(user(username))
    return client


def _figures(o):
    for kind, count in ((rules.POSTS, 40), (rules.VACANT, 1)):
        actions.staff_figure_create(by=user("vn-senior"), data={
            "office": o, "year": 2026, "kind": kind, "count": count})


def test_c1_the_scorecard_shows_each_measure_against_its_target(client):
    o = office()
    c = compact(the_office=o)
    _figures(o)
    page = _login(client, "vn-member").get(reverse("compacts:scorecard", args=[c.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Vacancy rate of posts funded for more than one year" in text
    assert 'data-count="met">1<' in text  # 2.5% against at most 5%
    assert 'data-figure="met_share">100.0%' in text


def test_c1_the_scorecard_and_comparison_use_a_constant_number_of_queries(client):
    o = office()
    c = compact(the_office=o)
    c2 = compact(the_office=o, year=2027)
    viewer = _login(client, "vn-member")
    card = count_queries(viewer, reverse("compacts:scorecard", args=[c.pk]))
    both = count_queries(viewer, reverse("compacts:comparison", args=[o.pk]))
    detail = count_queries(viewer, c.get_absolute_url())
    for _ in range(3):
        actions.performance_measure_create(by=user("vn-senior"), data={
            "objective": c.objectives.first(), "name": "Town halls", "unit": "count",
            "direction": "increase", "target": D(4)})
    compact(the_office=o, year=2028)
    assert count_queries(viewer, reverse("compacts:scorecard", args=[c.pk])) == card
    assert count_queries(viewer, reverse("compacts:comparison", args=[o.pk])) == both
    assert count_queries(viewer, c.get_absolute_url()) == detail
    assert (card, both, detail) <= (20, 20, 30) and c2.pk


def test_c1_the_comparison_lines_up_the_offices_compacts(client):
    o = office()
    signed(compact(the_office=o, year=2025))
    compact(the_office=o, year=2026)
    text = _login(client, "vn-member").get(
        reverse("compacts:comparison", args=[o.pk])).content.decode()
    assert ">2025<" in text and ">2026<" in text
    assert text.count("Vacancy rate of posts funded for more than one year") == 1


def test_outsiders_get_404_for_scorecards_comparisons_and_steps(client):
    c = compact()
    outsider = _login(client, "sn-staff")
    assert outsider.get(reverse("compacts:scorecard", args=[c.pk])).status_code == 404
    assert outsider.get(reverse("compacts:comparison", args=[c.office_id])).status_code == 404
    assert outsider.post(reverse("compacts:compact_acknowledge", args=[c.pk])).status_code \
        == 404


def test_c1_only_the_manager_sees_and_takes_the_acknowledgement(client):
    c = compact()
    url = reverse("compacts:compact_acknowledge", args=[c.pk])
    assert url not in _login(client, "vn-endorser").get(c.get_absolute_url()).content.decode()
    assert _login(client, "vn-endorser").post(url).status_code == 403
    manager = _login(client, "vn-senior")
    assert url in manager.get(c.get_absolute_url()).content.decode()
    assert manager.post(url).status_code == 302
    assert Compact.objects.get(pk=c.pk).status == "acknowledged"


def test_c1_editing_a_signed_compact_on_the_page_is_refused_and_nothing_changes(client):
    c = signed(compact())
    response = _login(client, "vn-senior").post(
        reverse("compacts:compact_edit", args=[c.pk]),
        {"office": c.office_id, "manager": c.manager_id, "year": c.year,
         "budget_reference": "Changed"})
    assert response.status_code == 400
    assert "new version" in response.content.decode()
    assert Compact.objects.get(pk=c.pk).budget_reference == "Country programme document."


def test_c1_a_measure_without_a_target_on_the_page_is_refused(client):
    c = compact()
    before = c.objectives.first().measures.count()
    response = _login(client, "vn-senior").post(
        reverse("compacts:performancemeasure_add"),
        {"objective": c.objectives.first().pk, "statement": "Town halls", "name": "Halls",
         "unit": "count", "direction": "increase", "target": ""})
    assert response.status_code == 400 and "needs a target" in response.content.decode()
    assert c.objectives.first().measures.count() == before


def test_c3_recording_an_implementation_before_the_issue_on_the_page_changes_nothing(client):
    from commonops.compacts.tests.helpers import recommendation

    rec = recommendation(office(), issued=date(2026, 3, 1), target=date(2026, 6, 1))
    response = _login(client, "vn-senior").post(
        reverse("compacts:oversightrecommendation_implement", args=[rec.pk]),
        {"implemented_on": "2026-02-01", "evidence": "Memo"})
    assert response.status_code == 400
    assert "before it was issued" in response.content.decode()
    rec.refresh_from_db()
    assert (rec.status, rec.implemented_on) == ("open", None)


def _csv(text: str):
    return SimpleUploadedFile("figures.csv", text.encode(), content_type="text/csv")


def test_c2_figures_import_previews_then_saves_all_and_the_actuals_follow(client):
    o = office()
    c = compact(the_office=o)
    url = reverse("compacts:figures_import") + "?kind=staff"
    body = (f"Office,Year,What is counted,Count\n{o.name},2026,posts,50\n"
            f"{o.name},2026,vacant_posts,5\n")
    me = _login(client, "vn-senior")
    preview = me.post(url, {"kind": "staff", "upload": _csv(body)})
    assert preview.status_code == 200 and "2 rows are ready" in preview.content.decode()
    assert not StaffFigure.objects.filter(office=o).exists()
    saved = me.post(url, {"kind": "staff", "upload": _csv(body), "commit": "on"})
    assert saved.status_code == 302
    assert StaffFigure.objects.filter(office=o).count() == 2
    measure = c.objectives.get(area="human_resources", position=1).measures.get()
    assert measure.indicator.measurements.get(year=2026).value == D("10.00")


def test_c2_an_import_with_a_bad_row_saves_nothing_and_names_the_row(client):
    o = office()
    body = (f"Office,Year,What is counted,Count\n{o.name},2026,posts,50\n"
            f"{o.name},2026,vacancies,5\nNowhere,2026,posts,1\n")
    response = _login(client, "vn-senior").post(reverse("compacts:figures_import"), {
        "kind": "staff", "upload": _csv(body), "commit": "on"})
    text = response.content.decode()
    assert response.status_code == 400
    assert "Row 3" in text and "Unknown value: vacancies" in text
    assert "Row 4" in text and "No office named Nowhere" in text
    assert not StaffFigure.objects.filter(office=o).exists()


def test_c2_the_import_needs_the_right_to_enter_figures(client):
    assert _login(client, "vn-member").get(reverse("compacts:figures_import")).status_code \
        == 403


def test_the_api_gives_the_scorecard_the_comparison_and_the_rates(api):
    o = office()
    c = compact(the_office=o)
    _figures(o)
    client = api(user("vn-member"))
    card = client.get(reverse("compact-scorecard", args=[c.pk])).json()
    vacancy = next(m for m in card["measures"] if m["standard"] == rules.VACANCY)
    assert (vacancy["actual"], vacancy["status"]) == ("2.50", "met")
    assert client.get(reverse("office-comparison", args=[o.pk])).status_code == 200
    rates = client.get(reverse("office-oversight-rates", args=[o.pk]) + "?year=2026").json()
    assert rates["due"] == 0 and rates["on_time_rate"] is None
    assert api(user("sn-staff")).get(reverse("compact-scorecard", args=[c.pk])).status_code \
        == 404


def test_the_api_steps_sign_a_compact_and_refuse_the_wrong_person(api):
    c = compact()
    step = reverse("compact-step", args=[c.pk, "acknowledge"])
    assert api(user("vn-endorser")).post(step).status_code == 403
    assert api(user("vn-senior")).post(step).json()["status"] == "acknowledged"
    endorsed = api(user("vn-endorser")).post(reverse("compact-step", args=[c.pk, "endorse"]))
    assert endorsed.json()["status"] == "endorsed"
    assert viet_nam().pk == endorsed.json()["country"]
