"""What documents ask of the user on the home page: requests waiting for their answer."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commonops.core.navigation import Attention, attention_provider
from commonops.documents.models import DocumentRequest
from commonops.documents.rules import PENDING


@attention_provider
def requests_to_answer(request, country):
    # D2: the owner grants or refuses; a waiting agency should not wait long
    waiting = DocumentRequest.objects.filter(country=country, status=PENDING,
                                             document__owner=request.user).count()
    if not waiting:
        return []
    from django.urls import reverse

    return [Attention(
        title=ngettext("%(count)d request for one of your documents",
                       "%(count)d requests for your documents", waiting) % {"count": waiting},
        detail=_("Grant or refuse them."),
        url=reverse("documents:request_list") + "?status=pending", level="warning")]
