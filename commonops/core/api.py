"""The organisation API: the same objects, filters, access and actions as the pages."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from commonops.core import actions, views
from commonops.core.api_base import ScopedModelSerializer, crud_viewset, no_content, router
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
    """A person. No password: nobody sets another person's password (see the
    `password-reset` and `password` steps)."""

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "agency",
                  "duty_country", "job_title", "languages", "is_active",
                  "created_at", "updated_at"]
        read_only_fields = _READ_ONLY

    def validate(self, attrs):
        if "password" in self.initial_data:
            raise serializers.ValidationError({"password": [actions.NOT_ANOTHERS_PASSWORD]})
        return attrs


class PasswordChangeSerializer(serializers.Serializer):
    current_password = serializers.CharField(write_only=True, style={"input_type": "password"})
    new_password = serializers.CharField(write_only=True, style={"input_type": "password"})


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


class PersonViewSet(crud_viewset(views.PersonPages, PersonSerializer)):
    """People: list, read, create, change and delete within the caller's scope. Changing a
    person needs every right that person holds."""

    @extend_schema(request=None, responses={204: None},
                   summary="E-mail the person a one-time link to set their password")
    @action(detail=True, methods=["post"], url_path="password-reset")
    def password_reset(self, request, pk=None):
        person = self.get_object()
        actions.password_reset_send(person=person, by=request.user)
        return no_content()

    @extend_schema(request=PasswordChangeSerializer, responses={204: None},
                   summary="Change your own password (Django's password rules apply)")
    @action(detail=True, methods=["post"], url_path="password")
    def password(self, request, pk=None):
        person = self.get_object()
        if person.pk != request.user.pk:
            raise PermissionDenied(actions.NOT_ANOTHERS_PASSWORD)
        serializer = PasswordChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actions.password_change(user=request.user, **serializer.validated_data)
        return no_content()

RoleAssignmentViewSet = crud_viewset(views.RoleAssignmentPages, RoleAssignmentSerializer)

router.register("regions", RegionViewSet, basename="region")
router.register("countries", CountryViewSet, basename="country")
router.register("public-holidays", PublicHolidayViewSet, basename="publicholiday")
router.register("agencies", AgencyViewSet, basename="agency")
router.register("agency-presences", AgencyPresenceViewSet, basename="agencypresence")
router.register("people", PersonViewSet, basename="person")
router.register("role-assignments", RoleAssignmentViewSet, basename="roleassignment")
