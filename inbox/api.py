"""The inbox API: a workspace's threads, one thread (read, route, change status), answering, and
the reactivity statistics. Tenancy through ``OrganizationAPIView`` (accounts/api.py)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from accounts.api import OrganizationAPIView
from accounts.roles import Capability, role_can
from inbox import selectors
from inbox.models import Message, Thread, ThreadStatus
from inbox.services import threads as services
from inbox.statistics import Params, ReactivityQuery, Summary
from inbox.views import _filters
from networks.sync.clock import network_now


class ThreadSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.name", default=None, read_only=True)
    assignee = serializers.EmailField(source="assignee.email", default=None, read_only=True)

    class Meta:
        model = Thread
        fields = [
            "id",
            "network",
            "kind",
            "external_id",
            "status",
            "author_name",
            "subject",
            "language",
            "sentiment",
            "is_question",
            "department",
            "assignee",
            "permalink",
            "first_inbound_at",
            "last_inbound_at",
            "first_response_at",
            "last_message_at",
        ]


class MessageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Message
        fields = [
            "id",
            "direction",
            "external_id",
            "author_name",
            "text",
            "sent_at",
            "language",
            "is_question",
            "is_hidden",
            "is_deleted",
        ]


class ThreadDetailSerializer(ThreadSerializer):
    messages = serializers.SerializerMethodField()

    class Meta(ThreadSerializer.Meta):
        fields = [*ThreadSerializer.Meta.fields, "messages"]

    def get_messages(self, thread) -> list[dict]:
        return MessageSerializer(selectors.thread_messages(thread), many=True).data


class ThreadUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ThreadStatus.choices, required=False)
    department = serializers.IntegerField(required=False, allow_null=True)
    assignee = serializers.IntegerField(required=False, allow_null=True)


class ReplySerializer(serializers.Serializer):
    text = serializers.CharField(max_length=services.MAX_REPLY)


def _raise(error: DjangoValidationError):
    raise ValidationError(error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages})


FILTERS = [
    OpenApiParameter(name, str, required=False)
    for name in ("network", "kind", "department", "status", "assignee", "language", "sentiment", "older", "q")
]


@extend_schema(parameters=FILTERS)
class ThreadList(OrganizationAPIView, generics.ListAPIView):
    """A workspace's conversations, waiting ones first by default; filters as on the inbox page."""

    serializer_class = ThreadSerializer

    def get_queryset(self):
        workspace = selectors.workspace_of(self.membership, self.kwargs["workspace_id"])
        return selectors.threads_of(workspace, _filters(self.request.query_params), network_now())


def _thread_to_operate(view, thread_id) -> Thread:
    """The thread first (another workspace's is a 404 for a client), then the right to change it."""
    thread = selectors.thread_for_member(view.membership, thread_id)
    if not role_can(view.membership.role, Capability.OPERATE):
        raise PermissionDenied(_("Your role does not allow this."))
    return thread


class ThreadDetail(OrganizationAPIView, generics.GenericAPIView):
    """One conversation with its messages; managers and above route it or change its status."""

    write_capability = Capability.READ  # OPERATE, checked after the thread lookup (404 first)
    serializer_class = ThreadDetailSerializer

    def get(self, request, org, thread_id):
        thread = selectors.thread_for_member(self.membership, thread_id)
        return Response(ThreadDetailSerializer(thread).data)

    @extend_schema(request=ThreadUpdateSerializer, responses=ThreadDetailSerializer)
    def patch(self, request, org, thread_id):
        thread = _thread_to_operate(self, thread_id)
        data = ThreadUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            if "department" in values or "assignee" in values:
                assignee = None
                if values.get("assignee"):
                    members = services.members_who_answer(thread.workspace)
                    assignee = next((u for u in members if u.pk == values["assignee"]), None)
                    if assignee is None:
                        raise DjangoValidationError({"assignee": ["Not a member who may answer."]})
                services.threads_assign(
                    threads=[thread],
                    department=selectors.department_for(thread.workspace, values.get("department")),
                    assignee=assignee,
                    set_department="department" in values,
                    set_assignee="assignee" in values,
                )
            if "status" in values:
                services.threads_status_set(threads=[thread], status=values["status"])
        except DjangoValidationError as error:
            _raise(error)
        thread.refresh_from_db()
        return Response(ThreadDetailSerializer(thread).data)


class ThreadReply(OrganizationAPIView, generics.GenericAPIView):
    """Answer a conversation through its network (within its reply window)."""

    write_capability = Capability.READ  # OPERATE, checked after the thread lookup (404 first)
    serializer_class = ReplySerializer

    @extend_schema(request=ReplySerializer, responses={201: MessageSerializer})
    def post(self, request, org, thread_id):
        thread = _thread_to_operate(self, thread_id)
        data = ReplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            message = services.reply_send(thread=thread, user=request.user, text=data.validated_data["text"])
        except DjangoValidationError as error:
            _raise(error)
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)


class SummarySerializer(serializers.Serializer):
    threads = serializers.IntegerField()
    answered = serializers.IntegerField()
    response_rate = serializers.FloatField(allow_null=True)
    median_seconds = serializers.FloatField(allow_null=True)
    p90_seconds = serializers.FloatField(allow_null=True)
    within_target_share = serializers.FloatField(allow_null=True)


class StatsSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    target_minutes = serializers.IntegerField()
    business_hours = serializers.BooleanField()
    current = SummarySerializer()
    previous = SummarySerializer()
    by_network = serializers.DictField(child=SummarySerializer())
    by_department = serializers.DictField(child=SummarySerializer())
    by_member = serializers.DictField(child=SummarySerializer())
    daily = serializers.DictField(child=SummarySerializer())
    unanswered_by_age = serializers.DictField(child=serializers.IntegerField())


def _summary(summary: Summary) -> dict:
    return {
        "threads": summary.threads,
        "answered": summary.answered,
        "response_rate": summary.response_rate,
        "median_seconds": summary.median_seconds,
        "p90_seconds": summary.p90_seconds,
        "within_target_share": summary.within_target_share,
    }


@extend_schema(
    parameters=[
        OpenApiParameter("start", str, required=False, description="YYYY-MM-DD (local day)"),
        OpenApiParameter("end", str, required=False, description="YYYY-MM-DD, inclusive"),
        OpenApiParameter("network", str, required=False),
        OpenApiParameter("department", int, required=False),
    ],
    responses=StatsSerializer,
)
class Stats(OrganizationAPIView, generics.GenericAPIView):
    """Reactivity: first response time (median, p90), share within target, response rate, per
    network, department, member and day, unanswered threads by age, and the previous period."""

    serializer_class = StatsSerializer

    def get(self, request, org, workspace_id):
        from inbox.views import _params

        workspace = selectors.workspace_of(self.membership, workspace_id)
        params: Params = _params(request)
        result = ReactivityQuery(workspace, params).run(network_now())
        return Response(
            {
                "start": params.start,
                "end": params.end,
                "target_minutes": result.target_minutes,
                "business_hours": result.business_hours,
                "current": _summary(result.current),
                "previous": _summary(result.previous),
                "by_network": {k: _summary(v) for k, v in result.by_network},
                "by_department": {k: _summary(v) for k, v in result.by_department},
                "by_member": {k: _summary(v) for k, v in result.by_member},
                "daily": {str(k): _summary(v) for k, v in result.daily},
                "unanswered_by_age": dict(result.unanswered_by_age),
            }
        )
