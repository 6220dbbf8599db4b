"""Reply windows: whether a thread can still be answered from the app, until when, and how.

* Messenger and Instagram Direct: a standard message within 24 h of the person's last message;
  up to 7 days with the ``HUMAN_AGENT`` tag (a person answering, not a bot); then closed.
  https://developers.facebook.com/docs/messenger-platform/policy/policy-overview#24hours
* Comments on the account's own Facebook posts and Instagram media: no window.
* X: an app may reply only to a post whose author mentioned or quoted the account; direct
  messages have no window. https://docs.x.com/x-api/posts/manage-tweets/introduction
* A Facebook mention (someone else's post) or an Instagram photo tag cannot be answered through
  the APIs.

A closed window falls back to "open on the network" (the thread's permalink).
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from inbox.models import Thread, ThreadKind

STANDARD = dt.timedelta(hours=24)
HUMAN_AGENT = dt.timedelta(days=7)
NETWORK_INBOXES = {
    "facebook": "https://www.facebook.com/latest/inbox/all",
    "instagram": "https://www.instagram.com/direct/inbox/",
    "x": "https://x.com/messages",
}


@dataclass(frozen=True)
class ReplyWindow:
    can_reply: bool
    closes_at: dt.datetime | None = None  # None: no deadline
    human_agent: bool = False  # only with Meta's HUMAN_AGENT tag
    reason: str = ""

    def remaining(self, now: dt.datetime) -> dt.timedelta | None:
        return None if self.closes_at is None else max(dt.timedelta(0), self.closes_at - now)


def reply_window(thread: Thread, now: dt.datetime, *, handle: str = "") -> ReplyWindow:
    if thread.kind == ThreadKind.MESSAGE:
        if thread.network == "x":
            return ReplyWindow(True)
        if thread.last_inbound_at is None:
            return ReplyWindow(False, reason=str(_("The person has not written yet.")))
        if now <= thread.last_inbound_at + STANDARD:
            return ReplyWindow(True, thread.last_inbound_at + STANDARD)
        if now <= thread.last_inbound_at + HUMAN_AGENT:
            return ReplyWindow(True, thread.last_inbound_at + HUMAN_AGENT, human_agent=True)
        return ReplyWindow(False, reason=str(_("More than 7 days since the person's last message.")))
    if thread.network == "x":
        mentioned = bool(handle) and f"@{handle.lower().lstrip('@')}" in (thread.subject or "").lower()
        if thread.kind == ThreadKind.COMMENT or mentioned:
            return ReplyWindow(True)
        return ReplyWindow(False, reason=str(_("X allows replies only to posts that mention the account.")))
    if thread.kind == ThreadKind.COMMENT:
        return ReplyWindow(True)
    return ReplyWindow(False, reason=str(_("This network does not allow answering a mention from an app.")))


def network_link(thread: Thread) -> str:
    if thread.kind == ThreadKind.MESSAGE:
        return NETWORK_INBOXES.get(thread.network, "")
    return thread.permalink
