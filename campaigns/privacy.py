"""People's data in campaigns: their photos and videos, and the originals they uploaded
(accounts/privacy.py). Erasure deletes the files too. No retention: a campaign's media are kept
under the rights their authors granted, until the campaign or the person's request removes them."""

from django.utils.translation import gettext_lazy as _

from accounts.privacy import Person, PersonDataSource, register_person_data
from campaigns.models import CampaignMedia


def _media(organization, person: Person):
    media = CampaignMedia.objects.filter(organization=organization, author_handle__iexact=person.handle)
    return media.filter(network=person.network) if person.network else media


def find(organization, person: Person) -> list[dict]:
    return list(
        _media(organization, person)
        .order_by("published_at", "pk")
        .values("network", "campaign__name", "published_at", "author_handle", "caption", "permalink", "rights")
    )


def erase(organization, person: Person) -> int:
    media = list(_media(organization, person))
    for item in media:
        # Deleting a row leaves its files on disk: remove them first.
        for stored in (item.file, item.original):
            if stored:
                stored.delete(save=False)
    deleted, _detail = CampaignMedia.objects.filter(pk__in=[m.pk for m in media]).delete()
    return deleted


register_person_data(
    PersonDataSource(key="campaigns.media", label=_("Campaigns: photos and videos"), find=find, erase=erase)
)
