"""The inbox: conversations (comments, mentions, private messages) gathered per workspace, their
messages both ways, routing (departments, assignees), statuses, notes, saved replies and
moderation actions.

Every table carries its own ``organization`` (first in its composite indexes) and is scoped by
django-scopes: an unscoped query raises.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accounts.models import Organization, Workspace


class InboxSettings(models.Model):
    """A workspace's reactivity target and the clock its statistics run on."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="inbox_settings")
    response_target_minutes = models.PositiveIntegerField(_("response target (minutes)"), default=120)
    business_hours_only = models.BooleanField(
        _("count business hours only"),
        default=False,
        help_text=_("Response times count only the hours below, on working days."),
    )
    business_start = models.TimeField(_("opens at"), default=dt.time(9, 0))
    business_end = models.TimeField(_("closes at"), default=dt.time(18, 0))
    # ISO weekdays (1 = Monday … 7 = Sunday).
    business_days = models.JSONField(_("working days"), default=list, blank=True)
    french_holidays = models.BooleanField(_("French public holidays are closed"), default=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("inbox settings")
        verbose_name_plural = _("inbox settings")

    def __str__(self) -> str:
        return f"{self.workspace_id}: {self.response_target_minutes} min"

    @property
    def working_days(self) -> tuple[int, ...]:
        return tuple(self.business_days) if self.business_days else (1, 2, 3, 4, 5)


class Department(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="departments", db_index=False)
    name = models.CharField(_("name"), max_length=80)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "workspace", "name"], name="inbox_department_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ThreadKind(models.TextChoices):
    COMMENT = "comment", _("Comment")
    MENTION = "mention", _("Mention")
    MESSAGE = "message", _("Private message")


class ThreadStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PENDING = "pending", _("Pending")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class Thread(models.Model):
    """One conversation: a top-level comment and its replies, a mention and our replies, or a
    private conversation. ``external_id`` is the network's id of what starts it."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+", db_index=False)
    account = models.ForeignKey("networks.SocialAccount", on_delete=models.CASCADE, related_name="+", db_index=False)
    network = models.CharField(_("network"), max_length=16)
    kind = models.CharField(_("type"), max_length=10, choices=ThreadKind.choices)
    external_id = models.CharField(_("id on the network"), max_length=128)
    post = models.ForeignKey(
        "analytics.Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    post_external_id = models.CharField(_("post id"), max_length=64, blank=True)
    permalink = models.URLField(_("link"), max_length=500, blank=True)
    author_id = models.CharField(_("author id"), max_length=64, blank=True)
    author_name = models.CharField(_("author"), max_length=200, blank=True)
    subject = models.TextField(_("first message"), blank=True)

    status = models.CharField(_("status"), max_length=10, choices=ThreadStatus.choices, default=ThreadStatus.OPEN)
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )

    # From the inbound messages' analysis (analytics.text): the first message's language, the
    # most negative sentiment seen, whether any inbound message asks something.
    language = models.CharField(_("language"), max_length=8, blank=True)
    sentiment = models.CharField(_("sentiment"), max_length=10, blank=True)
    is_question = models.BooleanField(_("needs an answer"), default=False)

    first_inbound_at = models.DateTimeField(_("first message"), null=True, blank=True)
    last_inbound_at = models.DateTimeField(_("last message from the person"), null=True, blank=True)
    # The first answer after the first inbound message (from the app or seen on the network).
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    first_responder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    last_outbound_at = models.DateTimeField(_("last answer"), null=True, blank=True)
    last_message_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    # Set when people were told the thread waits past the target (once per waiting spell).
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "account", "kind", "external_id"], name="inbox_thread_natural_key"
            )
        ]
        indexes = [
            models.Index(fields=["organization", "workspace", "last_message_at"], name="inbox_thread_recent"),
            models.Index(fields=["organization", "workspace", "first_inbound_at"], name="inbox_thread_first_in"),
            models.Index(fields=["organization", "status", "first_inbound_at"], name="inbox_thread_waiting"),
        ]

    def __str__(self) -> str:
        return f"{self.network} {self.kind} {self.external_id}"

    @property
    def waiting(self) -> bool:
        return self.status in (ThreadStatus.OPEN, ThreadStatus.PENDING) and self.first_inbound_at is not None


class Direction(models.TextChoices):
    IN = "in", _("Received")
    OUT = "out", _("Sent")


class Message(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages", db_index=False)
    account = models.ForeignKey("networks.SocialAccount", on_delete=models.CASCADE, related_name="+", db_index=False)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    external_id = models.CharField(_("id on the network"), max_length=128)
    parent_external_id = models.CharField(_("answers"), max_length=128, blank=True)
    author_id = models.CharField(_("author id"), max_length=64, blank=True)
    author_name = models.CharField(_("author"), max_length=200, blank=True)
    text = models.TextField(_("text"), blank=True)
    sent_at = models.DateTimeField(_("sent"))
    # Who answered from the app (None: received, or answered on the network directly).
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    sentiment = models.CharField(_("sentiment"), max_length=10, blank=True)
    sentiment_score = models.FloatField(null=True, blank=True)
    intent = models.CharField(_("intent"), max_length=10, blank=True)
    is_question = models.BooleanField(_("question"), default=False)
    analysed = models.BooleanField(default=False)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    is_deleted = models.BooleanField(_("deleted"), default=False)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "account", "external_id"], name="inbox_message_natural_key")
        ]
        indexes = [
            models.Index(fields=["organization", "thread", "sent_at"], name="inbox_message_thread"),
            models.Index(fields=["organization", "direction", "sent_at"], name="inbox_message_daily"),
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.external_id}"


class InternalNote(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="notes", db_index=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["organization", "thread"], name="inbox_note_thread")]

    def __str__(self) -> str:
        return self.text[:40]


class SavedReply(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+", db_index=False)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("text"))

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("saved reply")
        verbose_name_plural = _("saved replies")
        ordering = ["language", "title"]
        indexes = [models.Index(fields=["organization", "workspace", "language"], name="inbox_saved_reply")]

    def __str__(self) -> str:
        return self.title


class ModerationAction(models.Model):
    class Action(models.TextChoices):
        HIDE = "hide", _("Hide")
        UNHIDE = "unhide", _("Unhide")
        DELETE = "delete", _("Delete")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+", db_index=False)
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="moderation", db_index=False)
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    reason = models.CharField(_("reason"), max_length=255)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    ok = models.BooleanField(default=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")
        indexes = [models.Index(fields=["organization", "message"], name="inbox_moderation_message")]

    def __str__(self) -> str:
        return f"{self.action} {self.message_id}"
