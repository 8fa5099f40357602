"""A resubmitted meeting form schedules one meeting (core.security's one-time form token)."""

import pytest
from django.urls import reverse

from commonops.core.security import FORM_TOKEN_FIELD
from commonops.governance.models import Meeting, Omt

pytestmark = pytest.mark.django_db


def test_a_resubmitted_meeting_form_schedules_one_meeting(client, vn_chair, viet_nam):
    omt = Omt.objects.get(country=viet_nam)
    client.force_login(vn_chair)
    page = client.get(reverse("governance:meeting_add", args=[omt.pk])).content.decode()
    assert f'name="{FORM_TOKEN_FIELD}"' in page
    form = {"title": "OMT meeting — June 2031", "kind": "regular", "day": "2031-06-12",
            "starts": "09:30", "ends": "11:00", "location": "", FORM_TOKEN_FIELD: "once"}
    first = client.post(reverse("governance:meeting_add", args=[omt.pk]), form)
    again = client.post(reverse("governance:meeting_add", args=[omt.pk]), form)
    assert Meeting.objects.filter(title="OMT meeting — June 2031").count() == 1
    assert first.status_code == 302 and again.status_code == 303
    assert again["Location"] == first["Location"]
