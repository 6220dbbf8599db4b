"""People's data held by an organisation: the registry behind access and erasure requests and
retention (issue 11, "Privacy"; GDPR articles 15, 17 and 5(1)(e)).

Other apps store what people write to or about an organisation (comments, messages, listening
hits, campaign photos). Each declares, in its own ``<app>/privacy.py``, a ``PersonDataSource``:
how to find a person's rows, erase them, and apply the organisation's retention period. This
module sits in ``accounts`` so every app can register without ``accounts`` importing them
(dependencies point one way); ``autodiscover()`` imports the ``privacy`` modules at start-up.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Person:
    """Who a request is about, as the networks name them: an id, a @handle or a display name
    (matched exactly, case-insensitively, so a request never sweeps up namesakes by prefix),
    optionally on one network."""

    identifier: str
    network: str = ""

    @property
    def handle(self) -> str:
        return self.identifier.strip().lstrip("@")


@dataclass(frozen=True)
class PersonDataSource:
    key: str  # "inbox.messages"
    label: str  # shown to the admin (lazy translation)
    # find(organization, person) -> rows (dicts of plain values) describing what is held
    find: Callable[..., list[dict]]
    # erase(organization, person) -> how many rows were deleted
    erase: Callable[..., int]
    # expire(organization, cutoff) -> rows older than ``cutoff`` deleted (None: no retention)
    expire: Callable[..., int] | None = None


_sources: dict[str, PersonDataSource] = {}


def register_person_data(source: PersonDataSource) -> None:
    _sources[source.key] = source


def person_data_sources() -> list[PersonDataSource]:
    return sorted(_sources.values(), key=lambda s: s.key)


def autodiscover() -> None:
    autodiscover_modules("privacy")
