"""People's data in listening: the public posts of theirs we collected (accounts/privacy.py).
Retention removes hits collected before the organisation's period."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.privacy import Person, PersonDataSource, register_person_data
from listening.models import Hit


def _hits(organization, person: Person):
    identifier = person.identifier.strip()
    authored = Q(author_id=identifier) | Q(author_handle__iexact=person.handle) | Q(author_name__iexact=identifier)
    hits = Hit.objects.filter(authored, organization=organization)
    return hits.filter(network=person.network) if person.network else hits


def find(organization, person: Person) -> list[dict]:
    return list(
        _hits(organization, person)
        .order_by("published_at", "pk")
        .values(
            "network", "published_at", "author_id", "author_handle", "author_name", "text", "permalink", "media_url"
        )
    )


def erase(organization, person: Person) -> int:
    deleted, _detail = _hits(organization, person).delete()
    return deleted


def expire(organization, cutoff) -> int:
    deleted, _detail = Hit.objects.filter(organization=organization, collected_at__lt=cutoff).delete()
    return deleted


register_person_data(
    PersonDataSource(
        key="listening.hits", label=_("Listening: public posts collected"), find=find, erase=erase, expire=expire
    )
)
