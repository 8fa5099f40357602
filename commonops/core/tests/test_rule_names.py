"""Rule ids in pages are explained on hover: an <abbr> with what the rule means."""

import pytest
from django.urls import reverse

from commonops.core.rule_names import explain_rules


def test_a_rule_id_in_text_gets_its_meaning():
    html = explain_rules("<p>2 months without a meeting (G3)</p>")
    assert html == ('<p>2 months without a meeting (<abbr title="At least one OMT meeting '
                    'each month">G3</abbr>)</p>')


def test_tags_attributes_and_raw_text_are_left_alone():
    html = ('<a href="/g3/" title="Rule G3">G10</a><option>G4</option>'
            "<script>var G5 = 1;</script><textarea>T2</textarea>VN-2026-000123 B2B")
    explained = explain_rules(html)
    assert 'title="Rule G3"' in explained and "<option>G4</option>" in explained
    assert "var G5 = 1;" in explained and "<textarea>T2</textarea>" in explained
    assert '<abbr title="Task forces: a coordinating member agency, a mandate and an end ' \
           'date">G10</abbr>' in explained
    assert explained.endswith("VN-2026-000123 B2B")


@pytest.mark.django_db
def test_pages_explain_their_rule_ids(client, vn_chair):
    client.force_login(vn_chair)
    page = client.get(reverse("governance:omt_home"), follow=True).content.decode()
    assert '<abbr title="At least one OMT meeting each month">G3</abbr>' in page
    assert "(G3)" not in page
