"""Writes of people working the inbox: answer, route, change status, note, moderate; settings,
departments and saved replies.

Network calls (answer, moderate) happen before the database transaction that records their
result, never inside one. A refused call raises ``ValidationError`` with the network's reason:
nothing is recorded as sent, and the text typed stays in the form.
"""

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import AuditEvent, Membership, User, Workspace
from accounts.services.audit import audit_record
from analytics.factcache import texts_changed
from inbox.models import (
    Department,
    Direction,
    InboxSettings,
    InternalNote,
    Message,
    ModerationAction,
    SavedReply,
    Thread,
    ThreadKind,
    ThreadStatus,
)
from inbox.services.ingest import threads_refresh
from inbox.windows import reply_window
from networks.providers.errors import ProviderError, Unsupported
from networks.services.tokens import account_provider
from networks.sync.clock import network_now

MAX_REPLY = 2000


def settings_for(workspace: Workspace) -> InboxSettings:
    found = InboxSettings.objects.filter(organization=workspace.organization_id, workspace=workspace).first()
    return found or InboxSettings(organization_id=workspace.organization_id, workspace=workspace)


@transaction.atomic
def inbox_settings_update(*, workspace: Workspace, actor: User, request=None, **values) -> InboxSettings:
    settings = settings_for(workspace)
    for name, value in values.items():
        setattr(settings, name, value)
    settings.full_clean(exclude=["organization", "workspace"])
    settings.save()
    audit_record(
        organization=workspace.organization,
        action=AuditEvent.Action.SETTINGS_CHANGED,
        actor=actor,
        target=f"inbox settings of {workspace.name}",
        details={k: str(v) for k, v in values.items()},
        request=request,
    )
    return settings


def department_create(*, workspace: Workspace, name: str) -> Department:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the department a name.")})
    department, _created = Department.objects.get_or_create(
        organization=workspace.organization, workspace=workspace, name=name[:80]
    )
    return department


def department_delete(*, department: Department) -> None:
    department.delete()


def _reply_target(thread: Thread) -> tuple[str, str]:
    """(how, network id) of what an answer goes to."""
    if thread.kind == ThreadKind.MESSAGE:
        return "message", thread.author_id
    if thread.network == "x":
        last = (
            Message.objects.filter(organization=thread.organization_id, thread=thread, direction=Direction.IN)
            .order_by("-sent_at")
            .values_list("external_id", flat=True)
            .first()
        )
        return "post", last or thread.external_id
    return "comment", thread.external_id


def reply_send(*, thread: Thread, user: User, text: str, now: dt.datetime | None = None) -> Message:
    """Answer a thread through its network and record the answer in it."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write an answer first.")})
    if len(text) > MAX_REPLY:
        raise ValidationError({"text": _("An answer is at most %(max)s characters.") % {"max": MAX_REPLY}})
    now = now or network_now()
    account = thread.account
    window = reply_window(thread, now, handle=account.handle)
    if not window.can_reply:
        raise ValidationError({"text": window.reason or _("This thread can no longer be answered from here.")})
    how, target = _reply_target(thread)
    try:
        provider = account_provider(account=account)
        if how == "message":
            external_id = provider.send_message(recipient_id=target, text=text, human_agent=window.human_agent)
        elif how == "post":
            external_id = provider.reply_post(target, text)
        else:
            external_id = provider.reply_comment(target, text)
    except Unsupported:
        raise ValidationError({"text": _("This network does not allow answering from an app.")}) from None
    except ProviderError as error:
        raise ValidationError(
            {"text": _("The network refused the answer: %(error)s") % {"error": error.message}}
        ) from None
    return _reply_record(thread=thread, user=user, text=text, external_id=external_id, sent_at=now, parent=target)


@transaction.atomic
def _reply_record(
    *, thread: Thread, user: User, text: str, external_id: str, sent_at: dt.datetime, parent: str
) -> Message:
    message, _created = Message.objects.get_or_create(
        organization_id=thread.organization_id,
        account_id=thread.account_id,
        external_id=external_id,
        defaults={
            "thread": thread,
            "direction": Direction.OUT,
            "parent_external_id": parent if thread.kind != ThreadKind.MESSAGE else "",
            "author_id": thread.account.external_id,
            "author_name": thread.account.name or thread.account.handle,
            "text": text,
            "sent_at": sent_at,
            "sent_by": user,
        },
    )
    threads_refresh(organization_id=thread.organization_id, thread_ids=[thread.pk])
    return message


@transaction.atomic
def threads_assign(
    *,
    threads: Sequence[Thread],
    department: Department | None = None,
    assignee: User | None = None,
    set_department: bool = True,
    set_assignee: bool = True,
) -> int:
    changed = 0
    for thread in threads:
        if set_department:
            thread.department = department
        if set_assignee:
            thread.assignee = assignee
        if thread.status == ThreadStatus.OPEN and (department or assignee):
            thread.status = ThreadStatus.PENDING
        thread.save(update_fields=["department", "assignee", "status"])
        changed += 1
    return changed


@transaction.atomic
def threads_status_set(*, threads: Sequence[Thread], status: str) -> int:
    if status not in ThreadStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    for thread in threads:
        thread.status = status
        thread.save(update_fields=["status"])
    return len(threads)


def note_add(*, thread: Thread, author: User, text: str) -> InternalNote:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note first.")})
    return InternalNote.objects.create(organization_id=thread.organization_id, thread=thread, author=author, text=text)


def saved_reply_create(*, workspace: Workspace, language: str, title: str, text: str) -> SavedReply:
    reply = SavedReply(
        organization_id=workspace.organization_id,
        workspace=workspace,
        language=language,
        title=(title or "").strip(),
        text=(text or "").strip(),
    )
    reply.full_clean(exclude=["organization", "workspace"])
    reply.save()
    return reply


def saved_reply_delete(*, saved_reply: SavedReply) -> None:
    saved_reply.delete()


# --- Moderation ----------------------------------------------------------------------------------

AUDIT_ACTIONS = {
    ModerationAction.Action.HIDE: AuditEvent.Action.COMMENT_HIDDEN,
    ModerationAction.Action.UNHIDE: AuditEvent.Action.COMMENT_UNHIDDEN,
    ModerationAction.Action.DELETE: AuditEvent.Action.COMMENT_DELETED,
}


def messages_moderate(
    *, messages: Sequence[Message], action: str, reason: str, actor: User, request=None
) -> list[ModerationAction]:
    """Hide, show again or delete received comments on their network, one call each; every
    attempt is recorded (with the network's refusal when there is one) and written to the audit
    log. Private messages and the account's own answers cannot be moderated."""
    reason = (reason or "").strip()
    if action not in ModerationAction.Action.values:
        raise ValidationError({"action": _("Unknown moderation action.")})
    if not reason:
        raise ValidationError({"reason": _("Give a reason (it goes to the audit log).")})
    done = []
    providers = {}
    for message in messages:
        thread = message.thread
        if thread.kind == ThreadKind.MESSAGE or message.direction != Direction.IN:
            raise ValidationError({"action": _("Only received comments and replies can be moderated.")})
        error = ""
        try:
            provider = providers.get(message.account_id) or account_provider(account=message.account)
            providers[message.account_id] = provider
            if action == ModerationAction.Action.DELETE:
                provider.delete_comment(message.external_id)
            else:
                provider.hide_comment(message.external_id, hidden=action == ModerationAction.Action.HIDE)
        except Unsupported:
            error = _("This network does not allow it.")
        except ProviderError as failure:
            error = failure.message
        done.append(
            _moderation_record(message=message, action=action, reason=reason, actor=actor, error=error, request=request)
        )
    return done


@transaction.atomic
def _moderation_record(
    *, message: Message, action: str, reason: str, actor: User, error: str, request=None
) -> ModerationAction:
    if not error:
        if action == ModerationAction.Action.DELETE:
            message.is_deleted = True
        else:
            message.is_hidden = action == ModerationAction.Action.HIDE
        message.save(update_fields=["is_hidden", "is_deleted"])
        texts_changed(message.organization_id)
        if action == ModerationAction.Action.DELETE:
            threads_refresh(organization_id=message.organization_id, thread_ids=[message.thread_id])
    record = ModerationAction.objects.create(
        organization_id=message.organization_id,
        message=message,
        action=action,
        reason=reason[:255],
        actor=actor,
        ok=not error,
        error=error,
    )
    audit_record(
        organization=message.thread.account.organization,
        action=AUDIT_ACTIONS[action],
        actor=actor,
        target=f"{message.thread.network} {message.external_id}",
        details={"reason": reason, "author": message.author_name, "text": message.text[:200], "error": error},
        request=request,
    )
    return record


def members_who_answer(workspace: Workspace) -> list[User]:
    """Members who may be assigned threads of this workspace (those who may answer)."""
    from accounts.roles import Capability, role_can

    memberships = Membership.objects.filter(organization=workspace.organization_id).select_related("user")
    return [m.user for m in memberships if role_can(m.role, Capability.OPERATE)]
