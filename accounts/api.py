"""The API's tenant door (one base class) and the accounts endpoints.

``OrganizationAPIView`` resolves the organisation from the URL once, after DRF authenticated the
request, checks the member's rights, and keeps the tenant scope open until the response is built.
Subclasses never re-implement it.
"""

from contextlib import ExitStack

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django_scopes import scope
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from accounts import selectors
from accounts.access import mfa_missing
from accounts.models import Membership, Organization, Workspace
from accounts.roles import Capability, role_can
from accounts.services import organizations as org_services

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class OrganizationAPIView(generics.GenericAPIView):
    """Base of every endpoint under ``/api/v1/organizations/<org>/``."""

    read_capability = Capability.READ
    write_capability = Capability.MANAGE_WORKSPACES
    membership: Membership
    organization: Organization

    def dispatch(self, request, *args, **kwargs):
        self._scope = ExitStack()
        with self._scope:
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication, permissions, throttling
        membership = selectors.membership_for(request.user, kwargs["org"])
        # A write needs the right to read the endpoint too, so a write capability set lower than
        # the read one never opens the endpoint to a role that may not even see it.
        allowed = role_can(membership.role, self.read_capability) and (
            request.method not in WRITE_METHODS or role_can(membership.role, self.write_capability)
        )
        if not allowed:
            # As on the pages: a workspace the member cannot see is a 404, whatever the verb.
            if "workspace_id" in kwargs:
                with scope(organization=membership.organization):
                    selectors.workspace_for_member(membership, kwargs["workspace_id"])
            raise PermissionDenied(_("Your role does not allow this."))
        # Same rule as the pages (accounts.access): the API is no way around the organisation's MFA rule.
        if mfa_missing(membership):
            raise PermissionDenied(_("This organisation requires two-factor authentication: set it up first."))
        self.membership, self.organization = membership, membership.organization
        self._scope.enter_context(scope(organization=membership.organization))


class OrganizationSerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = ["slug", "name", "kind", "time_zone", "language", "role"]

    def get_role(self, organization) -> str:
        return self.context["roles"].get(organization.pk, "")


class WorkspaceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Workspace
        fields = ["id", "name", "description", "created_at"]
        read_only_fields = ["id", "created_at"]


class MemberSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    workspaces = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["id", "email", "full_name", "role", "workspaces", "created_at"]

    def get_workspaces(self, membership) -> list[int]:
        return [grant.workspace_id for grant in membership.grants.all()]


class OrganizationList(generics.ListAPIView):
    """The organisations the caller belongs to, with the caller's role in each."""

    serializer_class = OrganizationSerializer
    pagination_class = None

    def get_queryset(self):
        return [m.organization for m in selectors.memberships_of(self.request.user)]

    def get_serializer_context(self):
        roles = {m.organization_id: m.role for m in selectors.memberships_of(self.request.user)}
        return {**super().get_serializer_context(), "roles": roles}


class OrganizationDetail(OrganizationAPIView):
    serializer_class = OrganizationSerializer

    def get(self, request, org):
        serializer = self.get_serializer(
            self.organization, context={"roles": {self.organization.pk: self.membership.role}}
        )
        return Response(serializer.data)


def _raise_drf(error: DjangoValidationError):
    raise ValidationError(error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages})


class WorkspaceList(OrganizationAPIView, generics.ListCreateAPIView):
    """Workspaces the caller may read; managers and above create them."""

    serializer_class = WorkspaceSerializer

    def get_queryset(self):
        return selectors.visible_workspaces(self.membership)

    def perform_create(self, serializer):
        try:
            serializer.instance = org_services.workspace_create(
                organization=self.organization,
                actor=self.request.user,
                request=self.request,
                **serializer.validated_data,
            )
        except DjangoValidationError as error:
            _raise_drf(error)


class WorkspaceDetail(OrganizationAPIView, generics.RetrieveUpdateDestroyAPIView):
    serializer_class = WorkspaceSerializer
    lookup_url_kwarg = "workspace_id"

    def get_object(self):
        return selectors.workspace_for_member(self.membership, self.kwargs["workspace_id"])

    def perform_update(self, serializer):
        workspace = serializer.instance
        data = serializer.validated_data
        try:
            org_services.workspace_update(
                workspace=workspace,
                actor=self.request.user,
                name=data.get("name", workspace.name),
                description=data.get("description", workspace.description),
                request=self.request,
            )
        except DjangoValidationError as error:
            _raise_drf(error)

    def perform_destroy(self, instance):
        org_services.workspace_delete(workspace=instance, actor=self.request.user, request=self.request)


class MemberList(OrganizationAPIView, generics.ListAPIView):
    """Members and their roles (owners and admins only)."""

    serializer_class = MemberSerializer
    read_capability = Capability.ADMINISTER

    def get_queryset(self):
        return selectors.members_of(self.organization)


@extend_schema(responses={204: None})
class HealthCheck(generics.GenericAPIView):
    """Liveness probe for load balancers (no authentication, no database)."""

    authentication_classes: list = []
    permission_classes: list = []

    def get(self, request):
        return Response(status=status.HTTP_204_NO_CONTENT)
