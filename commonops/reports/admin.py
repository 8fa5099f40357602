from django.contrib import admin

from commonops.core.admin import ScopedAdmin
from commonops.reports.models import AdminBudget


@admin.register(AdminBudget)
class AdminBudgetAdmin(ScopedAdmin):
    list_display = ["agency", "year", "amount", "country"]
    list_filter = ["year"]
