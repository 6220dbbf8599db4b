"""The inbox's implementation of the sync engine's ``InboxStore`` (networks/sync/conversations.py),
registered at start-up by ``inbox/apps.py``. Each call runs in the account's organisation scope."""

from collections.abc import Sequence

from django_scopes import scope

from inbox.services import ingest, webhooks
from networks.models import SocialAccount
from networks.providers.base import Comment, Conversation, Post


class DatabaseInboxStore:
    def save_comments(self, account: SocialAccount, post_external_id: str, comments: Sequence[Comment]) -> int:
        with scope(organization=account.organization_id):
            return ingest.comments_save(account=account, post_external_id=post_external_id, comments=comments)

    def save_mentions(self, account: SocialAccount, posts: Sequence[Post]) -> int:
        with scope(organization=account.organization_id):
            saved = ingest.mentions_save(account=account, posts=posts)
            if posts:
                # Answers given on the network (X: the account's replies, synced as its posts).
                oldest = min(p.published_at for p in posts)
                saved += ingest.own_replies_link(account=account, since=oldest)
            return saved

    def save_conversations(self, account: SocialAccount, conversations: Sequence[Conversation]) -> int:
        with scope(organization=account.organization_id):
            return ingest.conversations_save(account=account, conversations=conversations)

    def webhook_change(self, account: SocialAccount, obj: str, field: str, value: dict) -> str:
        with scope(organization=account.organization_id):
            return webhooks.webhook_change_apply(account=account, obj=obj, field=field, value=value)
