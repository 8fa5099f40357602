"""What the BOS asks of the user on the home page (B1): a step waiting for them, and a
late quality assurance."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonops.bos import rules
from commonops.bos.models import Bos, BosStatus
from commonops.core import access
from commonops.core.navigation import Attention, attention_provider
from commonops.core.roles import Perm

WAITING = {
    BosStatus.SUBMITTED: (Perm.BOS_QUALITY_ASSURE, gettext_lazy("clear it or return it to draft")),
    BosStatus.CLEARED: (Perm.BOS_ENDORSE, gettext_lazy("record the UNCT's endorsement")),
    BosStatus.ENDORSED: (Perm.BOS_SIGN_OFF, gettext_lazy("sign it off")),
}


@attention_provider
def bos_waiting(request, country):
    items = []
    for bos in Bos.objects.filter(country=country).exclude(
            status__in=[BosStatus.DRAFT, BosStatus.SIGNED_OFF]).select_related("country"):
        perm, what = WAITING[bos.status]
        if not access.can(request.user, perm, country):
            continue
        late = (bos.status == BosStatus.SUBMITTED and bos.submitted_on is not None
                and rules.qa_late(bos.submitted_on, bos.country.today(),
                                  bos.country.calendar()))
        items.append(Attention(
            title=_("%(bos)s waits for you: %(what)s") % {"bos": bos, "what": what},
            detail=_("Quality assurance is late (target: 10 working days).") if late else "",
            url=bos.get_absolute_url(), level="danger" if late else "warning"))
    return items
