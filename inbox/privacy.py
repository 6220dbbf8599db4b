"""People's data in the inbox: the comments, mentions and messages they wrote (accounts/privacy.py).

A thread the person started goes whole (its replies and internal notes are about them); their
messages in other people's threads go one by one. Retention removes conversations whose last
activity is older than the organisation's period.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.privacy import Person, PersonDataSource, register_person_data
from analytics.factcache import texts_changed
from inbox.models import Direction, Message, Thread


def _authored(person: Person) -> Q:
    return (
        Q(author_id=person.identifier.strip())
        | Q(author_name__iexact=person.identifier.strip())
        | Q(author_name__iexact=person.handle)
    )


def _threads(organization, person: Person):
    threads = Thread.objects.filter(_authored(person), organization=organization)
    return threads.filter(network=person.network) if person.network else threads


def _messages(organization, person: Person):
    messages = Message.objects.filter(_authored(person), organization=organization, direction=Direction.IN)
    return messages.filter(account__network=person.network) if person.network else messages


def find(organization, person: Person) -> list[dict]:
    rows = (
        _messages(organization, person)
        .select_related("thread", "account")
        .order_by("sent_at", "pk")
        .values("account__network", "thread__kind", "sent_at", "author_id", "author_name", "text", "thread__permalink")
    )
    return [
        {
            "network": row["account__network"],
            "kind": row["thread__kind"],
            "sent_at": row["sent_at"],
            "author_id": row["author_id"],
            "author": row["author_name"],
            "text": row["text"],
            "link": row["thread__permalink"],
        }
        for row in rows
    ]


MESSAGE = Message._meta.label  # what the counts count: messages (a thread's row is their envelope)


def erase(organization, person: Person) -> int:
    threads_total, in_threads = _threads(organization, person).delete()
    messages_total, alone = _messages(organization, person).delete()
    if threads_total or messages_total:
        texts_changed(organization.pk)  # analytics' sentiment read them (analytics/factcache.py)
    return in_threads.get(MESSAGE, 0) + alone.get(MESSAGE, 0)


def expire(organization, cutoff) -> int:
    total, deleted = Thread.objects.filter(organization=organization, last_message_at__lt=cutoff).delete()
    if total:
        texts_changed(organization.pk)
    return deleted.get(MESSAGE, 0)


register_person_data(
    PersonDataSource(
        key="inbox.messages", label=_("Inbox: comments, mentions and messages"), find=find, erase=erase, expire=expire
    )
)
