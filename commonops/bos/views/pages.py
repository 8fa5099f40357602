"""The BOS's rows on the generic pages: strategies, stock-take, opportunities, CBA lines,
outcomes, activities, grade rates, annual results."""

from django.utils.translation import gettext_lazy as L

from commonops.bos import actions, filters, forms
from commonops.bos.models import (
    Activity,
    AnnualResult,
    Bos,
    CbaEntry,
    GradeRate,
    Opportunity,
    Outcome,
    StocktakeEntry,
)
from commonops.bos.views.overview import opportunity_context, overview_context
from commonops.core.generic import ObjectPages

# --- generic pages ---------------------------------------------------------------------------


class BosPages(ObjectPages):
    model = Bos
    namespace = "bos"
    name = "bos"
    object_arg = "bos"
    segment = "strategies"
    filterset = filters.BosFilterSet
    form = forms.BosForm
    columns = [("__str__", L("BOS")), ("status", L("Status")), ("qa_due_on", L("QA due")),
               ("signed_off_on", L("Signed off"))]
    detail_fields = ["title", "status"]
    select_related = ("country",)
    detail_template = "bos/bos_detail.html"
    create_action = staticmethod(actions.bos_create)
    update_action = staticmethod(actions.bos_update)
    delete_action = staticmethod(actions.bos_delete)

    @classmethod
    def detail_context(cls, request, obj):
        return overview_context(request, obj)

    @classmethod
    def form_data(cls, form):
        data = super().form_data(form)
        if form.cleaned_data.get("version") is not None:
            data["expected_version"] = form.cleaned_data["version"]
        return data


class _ContentPages(ObjectPages):
    namespace = "bos"
    detail_template = "bos/content_detail.html"

    @classmethod
    def initial(cls, request):
        return {name: value for name, value in request.GET.items()
                if name in (cls.form._meta.fields or [])}


class StocktakeEntryPages(_ContentPages):
    model = StocktakeEntry
    name = "stocktakeentry"
    segment = "stocktake"
    filterset = filters.StocktakeEntryFilterSet
    form = forms.StocktakeEntryForm
    columns = [("name", L("Common service")), ("bos", L("BOS")),
               ("service_line", L("Service line")), ("modality", L("Modality")),
               ("implemented_since", L("Since")), ("action", L("Action"))]
    detail_fields = ["bos", "name", "service_line", "modality", "implemented_since", "action",
                     "comments", "from_opportunity"]
    select_related = ("bos__country", "from_opportunity")
    object_arg = "stocktake_entry"
    create_action = staticmethod(actions.stocktake_entry_create)
    update_action = staticmethod(actions.stocktake_entry_update)
    delete_action = staticmethod(actions.stocktake_entry_delete)

    @classmethod
    def detail_context(cls, request, obj):
        return {"agency_lists": [(L("Managing agencies"), obj.managing_agencies.all()),
                                 (L("Participating agencies"),
                                  obj.participating_agencies.all())]}


class OpportunityPages(_ContentPages):
    model = Opportunity
    name = "opportunity"
    segment = "opportunities"
    filterset = filters.OpportunityFilterSet
    form = forms.OpportunityForm
    columns = [("name", L("Common service")), ("bos", L("BOS")),
               ("service_line", L("Service line")), ("approach", L("Approach")),
               ("selected", L("In the plan"))]
    detail_fields = ["bos", "name", "description", "service_line", "approach",
                     "data_sources", "selected", "implementation_start"]
    select_related = ("bos__country",)
    detail_template = "bos/opportunity_detail.html"
    create_action = staticmethod(actions.opportunity_create)
    update_action = staticmethod(actions.opportunity_update)
    delete_action = staticmethod(actions.opportunity_delete)

    @classmethod
    def detail_context(cls, request, obj):
        return opportunity_context(request, obj)


class CbaEntryPages(_ContentPages):
    model = CbaEntry
    name = "cbaentry"
    segment = "cba-lines"
    filterset = filters.CbaEntryFilterSet
    form = forms.CbaEntryForm
    columns = [("opportunity", L("Opportunity")), ("year", L("Year")), ("side", L("Side")),
               ("kind", L("Kind")), ("nature", L("Nature")), ("amount", L("Amount (USD)"))]
    detail_fields = ["opportunity", "year", "side", "kind", "nature", "description", "amount",
                     "hours", "grade", "hourly_rate", "old_unit_price", "new_unit_price",
                     "volume"]
    select_related = ("opportunity__bos__country",)
    object_arg = "cba_entry"
    create_action = staticmethod(actions.cba_entry_create)
    update_action = staticmethod(actions.cba_entry_update)
    delete_action = staticmethod(actions.cba_entry_delete)

    @classmethod
    def form_data(cls, form) -> dict:
        data = super().form_data(form)
        data["repeat_until"] = form.cleaned_data.get("repeat_until")
        return data

    @classmethod
    def create(cls, *, by, data):
        """B4: "repeat over years" adds the line for each horizon year up to the one given;
        the page then shows the first."""
        until = data.pop("repeat_until", None)
        if until is None:
            return actions.cba_entry_create(by=by, data=data)
        return actions.cba_entry_create_repeated(by=by, data=data, until_year=until)[0]

    @classmethod
    def update(cls, *, instance, by, data):
        data.pop("repeat_until", None)
        return super().update(instance=instance, by=by, data=data)


class OutcomePages(_ContentPages):
    model = Outcome
    name = "outcome"
    segment = "outcomes"
    filterset = filters.OutcomeFilterSet
    form = forms.OutcomeForm
    columns = [("__str__", L("Outcome")), ("bos", L("BOS")),
               ("service_line", L("Service line"))]
    detail_fields = ["bos", "service_line", "statement"]
    select_related = ("bos__country",)
    create_action = staticmethod(actions.outcome_create)
    update_action = staticmethod(actions.outcome_update)
    delete_action = staticmethod(actions.outcome_delete)


class ActivityPages(_ContentPages):
    model = Activity
    name = "activity"
    segment = "activities"
    filterset = filters.ActivityFilterSet
    form = forms.ActivityForm
    columns = [("name", L("Activity")), ("outcome.bos", L("BOS")), ("owner", L("Owner")),
               ("starts_on", L("Starts")), ("ends_on", L("Ends")),
               ("budget", L("Budget (USD)")), ("funding_gap", L("Funding gap (USD)"))]
    detail_fields = ["outcome", "opportunity", "name", "owner", "starts_on", "ends_on",
                     "budget", "funded"]
    select_related = ("outcome__bos__country", "owner", "opportunity")
    create_action = staticmethod(actions.activity_create)
    update_action = staticmethod(actions.activity_update)
    delete_action = staticmethod(actions.activity_delete)


class GradeRatePages(ObjectPages):
    model = GradeRate
    namespace = "bos"
    name = "graderate"
    segment = "grade-rates"
    filterset = filters.GradeRateFilterSet
    form = forms.GradeRateForm
    columns = [("country", L("Country")), ("year", L("Year")), ("grade", L("Grade")),
               ("hourly_rate", L("Hourly cost (USD)"))]
    detail_fields = ["country", "year", "grade", "hourly_rate"]
    select_related = ("country",)
    object_arg = "grade_rate"
    create_action = staticmethod(actions.grade_rate_create)
    update_action = staticmethod(actions.grade_rate_update)
    delete_action = staticmethod(actions.grade_rate_delete)


class AnnualResultPages(_ContentPages):
    model = AnnualResult
    name = "annualresult"
    segment = "annual-results"
    filterset = filters.AnnualResultFilterSet
    form = forms.AnnualResultForm
    columns = [("opportunity", L("Common service")), ("agency", L("Agency")),
               ("year", L("Year")), ("realised_cost_avoidance", L("Realised (USD)")),
               ("funds_spent", L("Funds spent (USD)"))]
    detail_fields = ["opportunity", "agency", "year", "realised_cost_avoidance",
                     "funds_spent", "feedback"]
    select_related = ("opportunity__bos__country", "agency")
    object_arg = "annual_result"
    create_action = staticmethod(actions.annual_result_create)
    update_action = staticmethod(actions.annual_result_update)
    delete_action = staticmethod(actions.annual_result_delete)


PAGES = [BosPages, StocktakeEntryPages, OpportunityPages, CbaEntryPages, OutcomePages,
         ActivityPages, GradeRatePages, AnnualResultPages]
