"""The organisation API: the same objects, filters, access and actions as the pages."""

from rest_framework import serializers

from commonops.core import views
from commonops.core.api_base import ScopedModelSerializer, crud_viewset, router
from commonops.core.models import (
    Agency,
    AgencyPresence,
    Country,
    PublicHoliday,
    Region,
    RoleAssignment,
    User,
)

_READ_ONLY = ["id", "created_at", "updated_at"]


class RegionSerializer(ScopedModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "code", "name", "created_at", "updated_at"]
        read_only_fields = _READ_ONLY


class CountrySerializer(ScopedModelSerializer):
    class Meta:
        model = Country
        fields = ["id", "iso_code", "name", "region", "currency", "time_zone", "working_week",
                  "day_start", "day_end", "un_expenditure", "typology", "created_at",
                  "updated_at"]
        read_only_fields = _READ_ONLY


class PublicHolidaySerializer(ScopedModelSerializer):
    class Meta:
        model = PublicHoliday
        fields = ["id", "country", "day", "name", "created_at", "updated_at"]
        read_only_fields = _READ_ONLY
        validators = []  # the unique constraint is checked by full_clean in the action


class AgencySerializer(ScopedModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "acronym", "name", "created_at", "updated_at"]
        read_only_fields = _READ_ONLY


class AgencyPresenceSerializer(ScopedModelSerializer):
    class Meta:
        model = AgencyPresence
        fields = ["id", "country", "agency", "presence", "in_common_premises", "created_at",
                  "updated_at"]
        read_only_fields = _READ_ONLY
        validators = []


class PersonSerializer(ScopedModelSerializer):
    password = serializers.CharField(write_only=True, required=False, allow_blank=True,
                                     style={"input_type": "password"})

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "agency",
                  "duty_country", "job_title", "languages", "is_active", "password",
                  "created_at", "updated_at"]
        read_only_fields = _READ_ONLY


class RoleAssignmentSerializer(ScopedModelSerializer):
    class Meta:
        model = RoleAssignment
        fields = ["id", "user", "role", "country", "region", "created_at", "updated_at"]
        read_only_fields = _READ_ONLY
        validators = []


RegionViewSet = crud_viewset(views.RegionPages, RegionSerializer)
CountryViewSet = crud_viewset(views.CountryPages, CountrySerializer)
PublicHolidayViewSet = crud_viewset(views.PublicHolidayPages, PublicHolidaySerializer)
AgencyViewSet = crud_viewset(views.AgencyPages, AgencySerializer)
AgencyPresenceViewSet = crud_viewset(views.AgencyPresencePages, AgencyPresenceSerializer)
PersonViewSet = crud_viewset(views.PersonPages, PersonSerializer)
RoleAssignmentViewSet = crud_viewset(views.RoleAssignmentPages, RoleAssignmentSerializer)

router.register("regions", RegionViewSet, basename="region")
router.register("countries", CountryViewSet, basename="country")
router.register("public-holidays", PublicHolidayViewSet, basename="publicholiday")
router.register("agencies", AgencyViewSet, basename="agency")
router.register("agency-presences", AgencyPresenceViewSet, basename="agencypresence")
router.register("people", PersonViewSet, basename="person")
router.register("role-assignments", RoleAssignmentViewSet, basename="roleassignment")
