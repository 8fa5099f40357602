"""G5: attendance recorded for the whole list at once; nobody offered twice."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from commonops.core.models import User
from commonops.governance import actions, forms
from commonops.governance.models import Attendance, Membership, Omt

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def secretary(db):
    return User.objects.get(username="vn-secretary")


@pytest.fixture
def meeting(viet_nam, secretary):
    start = datetime.combine(date(2033, 4, 12), time(9), tzinfo=HANOI)
    return actions.meeting_schedule(omt=Omt.objects.get(country=viet_nam), by=secretary,
                                    title="Attendance list test", starts_at=start,
                                    ends_at=start.replace(hour=11))


def test_the_whole_list_is_recorded_in_one_submission(client, meeting, secretary):
    seats = list(Membership.objects.filter(omt=meeting.omt).select_related("member")[:3])
    client.force_login(secretary)
    page = client.get(reverse("governance:attendance_list", args=[meeting.pk]))
    assert page.status_code == 200
    data = {f"member-{seats[0].member_id}": "present",
            f"member-{seats[1].member_id}": "present",
            f"member-{seats[2].member_id}": "apologies"}
    response = client.post(reverse("governance:attendance_list", args=[meeting.pk]), data)
    assert response.status_code == 302
    recorded = dict(Attendance.objects.filter(meeting=meeting)
                    .values_list("person_id", "status"))
    assert recorded == {seats[0].member_id: "present", seats[1].member_id: "present",
                        seats[2].member_id: "apologies"}
    # those recorded are offered neither in the list nor in the one-by-one form
    page = client.get(reverse("governance:attendance_list", args=[meeting.pk])).content
    assert f"member-{seats[0].member_id}".encode() not in page
    one_by_one = forms.AttendanceForm(omt=meeting.omt, meeting=meeting)
    assert seats[0].member not in one_by_one.fields["person"].queryset


def test_an_empty_list_is_refused_and_outsiders_get_404(client, meeting, secretary, outsider):
    client.force_login(secretary)
    response = client.post(reverse("governance:attendance_list", args=[meeting.pk]), {})
    assert response.status_code == 400
    assert not Attendance.objects.filter(meeting=meeting).exists()
    client.force_login(outsider)
    assert client.get(reverse("governance:attendance_list", args=[meeting.pk])) \
        .status_code == 404
