"""G8/G9: standard agenda items read in the reader's language, whatever the language of
whoever scheduled the meeting; titles people typed stay as written."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from commonops.core.models import User
from commonops.governance import actions
from commonops.governance.models import Omt

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(viet_nam):
    secretary = User.objects.get(username="vn-secretary")
    omt = Omt.objects.get(country=viet_nam)
    start = datetime.combine(date(2032, 3, 11), time(9), tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with translation.override("es"):  # scheduled by someone reading Spanish
        return actions.meeting_schedule(omt=omt, by=secretary, title="Standard texts",
                                        starts_at=start, ends_at=start.replace(hour=11),
                                        kind="retreat")


def test_standard_items_are_shown_in_the_readers_language(meeting):
    items = list(meeting.agenda_items.order_by("position"))
    assert items[-1].title == "Otros asuntos"  # stored as scheduled
    with translation.override("fr"):
        assert items[-1].shown_title == "Questions diverses"
        assert str(items[2]) == "3. Rapport annuel d'activité"
    with translation.override("en"):
        assert [i.shown_title for i in items] == [
            "Review of the last minutes and follow-up actions",
            "Review of the work plan and progress", "Annual activity report",
            "Next year's work plan", "Recommendations and requests to the UNCT",
            "Any other business"]


def test_a_title_someone_typed_stays_as_written(meeting):
    item = meeting.agenda_items.order_by("position").last()
    item.title = "Any other business, briefly"
    with translation.override("fr"):
        assert item.shown_title == "Any other business, briefly"


def test_the_meeting_page_in_french_shows_the_french_items(client, meeting):
    client.force_login(User.objects.get(username="vn-chair"))
    with translation.override("en"):  # the request switches to French; restore it after
        page = client.get(meeting.get_absolute_url(),
                          HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Questions diverses" in page and "Otros asuntos" not in page
