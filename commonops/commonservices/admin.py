from django.contrib import admin

from commonops.commonservices import models
from commonops.core.admin import ScopedAdmin


@admin.register(models.CommonService)
class CommonServiceAdmin(ScopedAdmin):
    list_display = ["name", "service_line", "status", "country"]
    list_filter = ["service_line", "status"]
    filter_horizontal = ["provider_agencies", "client_agencies"]


@admin.register(models.ExchangeRate)
class ExchangeRateAdmin(ScopedAdmin):
    list_display = ["currency", "month", "rate"]
    list_filter = ["currency"]


# derived by the actions (S2, S3): the USD values at the UN rate of the month
READ_ONLY = {models.Contract: ["value_usd"],
             models.Expenditure: ["year", "rate", "amount_usd"]}

for model, columns in [
    (models.Agreement, ["title", "kind", "ends_on", "country"]),
    (models.Contract, ["reference", "vendor", "value_usd", "ends_on", "country"]),
    (models.BudgetLine, ["service", "year", "line", "amount"]),
    (models.CostSharingKey, ["service", "year", "method"]),
    (models.Headcount, ["agency", "year", "headcount", "country"]),
    (models.Usage, ["service", "agency", "year", "units"]),
    (models.Allocation, ["service", "year", "total", "revision"]),
    (models.Expenditure, ["service", "spent_on", "amount_local", "currency", "amount_usd"]),
    (models.Payment, ["agency", "year", "amount", "country"]),
    (models.Premises, ["name", "area_m2", "country"]),
    (models.Occupancy, ["premises", "agency", "area_m2"]),
]:
    admin.site.register(model, type(f"{model.__name__}Admin", (ScopedAdmin,), {
        "list_display": columns, "readonly_fields": READ_ONLY.get(model, [])}))
