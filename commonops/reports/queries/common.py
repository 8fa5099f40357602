"""What the Performance reads share: the money field and the counted statuses."""


from decimal import Decimal

from django.db.models import (
    DecimalField,
)

from commonops.commonservices.models import (
    ServiceStatus,
)

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=18, decimal_places=2)
# H1 is shown for the year asked and the four before it (the strategy's five-year horizon)
EXPANSION_YEARS = 5
LAUNCHED = (ServiceStatus.ACTIVE, ServiceStatus.DISCONTINUED)
