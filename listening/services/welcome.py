"""The "to welcome" queue: post the suggested reply from the app where the network allows it, or
mark done after posting it by hand; and the author the team fills in for Instagram hashtag media."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from listening.models import Hit, ListeningNetwork, WelcomeItem
from listening.services.collect import x_account
from networks.providers.errors import ProviderError
from networks.services.tokens import account_provider


class WelcomeError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def welcome_reply(*, item: WelcomeItem, text: str, actor: User) -> WelcomeItem:
    """Post ``text`` in reply to the item's post with the workspace's X account, then mark it done.
    A refusal by X (the author did not mention the account) turns the item into a manual one."""
    text = text.strip()
    if not text:
        raise WelcomeError(_("Write the reply first."))
    if item.status != WelcomeItem.Status.PENDING:
        raise WelcomeError(_("This post has already been handled."))
    hit = item.hit
    if hit.network != ListeningNetwork.X or item.how != WelcomeItem.How.REPLY:
        raise WelcomeError(
            _("This network does not let the app answer this post: copy the reply and post it on the network.")
        )
    account = x_account(item.watch.workspace)
    if account is None:
        raise WelcomeError(_("Connect an X account to this workspace to reply from the app."))
    try:
        # The network call happens outside any transaction: a slow X never holds a lock.
        reply_id = account_provider(account=account).reply_post(hit.external_id, text)
    except ProviderError as error:
        if error.permanent:
            WelcomeItem.objects.filter(organization_id=item.organization_id, pk=item.pk).update(
                how=WelcomeItem.How.MANUAL
            )
        raise WelcomeError(
            _("X refused the reply (%(error)s): copy it and post it on X.") % {"error": error.message}
        ) from None
    with transaction.atomic():
        updated = WelcomeItem.objects.filter(
            organization_id=item.organization_id, pk=item.pk, status=WelcomeItem.Status.PENDING
        ).update(
            status=WelcomeItem.Status.DONE,
            sent_text=text,
            reply_external_id=reply_id,
            replied_from=account,
            done_at=timezone.now(),
            done_by=actor,
        )
    if not updated:  # handled by someone else while X answered: keep the record of what we sent
        WelcomeItem.objects.filter(organization_id=item.organization_id, pk=item.pk).update(
            sent_text=text, reply_external_id=reply_id, replied_from=account
        )
    item.refresh_from_db()
    return item


@transaction.atomic
def welcome_mark(*, item: WelcomeItem, status: str, actor: User) -> WelcomeItem:
    """Done (posted by hand on the network) or dismissed; or back to the queue."""
    if status not in WelcomeItem.Status.values:
        raise WelcomeError(_("Unknown status."))
    done = status != WelcomeItem.Status.PENDING
    WelcomeItem.objects.filter(organization_id=item.organization_id, pk=item.pk).update(
        status=status, done_at=timezone.now() if done else None, done_by=actor if done else None
    )
    item.refresh_from_db()
    return item


@transaction.atomic
def hit_author_fill(*, hit: Hit, handle: str, actor: User) -> Hit:
    """The team names the author of a post the network gave without one (Instagram hashtag media).
    An author given by the network is never overwritten."""
    if hit.author_source == Hit.AuthorSource.NETWORK:
        raise WelcomeError(_("The network already gives this post's author."))
    handle = handle.strip().lstrip("@")[:120]
    hit.author_handle = handle
    hit.author_source = Hit.AuthorSource.MANUAL if handle else ""
    hit.save(update_fields=["author_handle", "author_source"])
    # Suggested replies mentioning {author} can now name them.
    from listening.services.alerts import suggested_reply

    for item in WelcomeItem.objects.filter(
        organization_id=hit.organization_id, hit=hit, status=WelcomeItem.Status.PENDING
    ).select_related("watch__organization"):
        item.suggested_reply = suggested_reply(watch=item.watch, hit=hit)
        item.save(update_fields=["suggested_reply"])
    return hit
