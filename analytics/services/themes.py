"""Themes: create and edit them, label posts by hand, and apply the rules (hashtags and words,
compared without case or accents).

Rules run after each sync from ``analytics.tasks.themes_apply_all`` (Celery beat): networks never
imports analytics, and the fact store's write path stays set-based."""

import re
import unicodedata
from collections.abc import Iterable

from django.db import transaction

from accounts.models import Organization, Workspace
from analytics.factcache import facts_changed
from analytics.models import Post, PostKind, PostTheme, Theme, ThemeRule


def fold(text: str) -> str:
    """Lower case without accents: "Déménagement" and "demenagement" match."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _clean(values: Iterable[str]) -> list[str]:
    return sorted({fold(v).lstrip("#").strip() for v in values if v and v.strip().lstrip("#")})


@transaction.atomic
def theme_create(
    *,
    organization: Organization,
    name: str,
    color: str = "#4c6ef5",
    workspace: Workspace | None = None,
    hashtags: Iterable[str] = (),
    words: Iterable[str] = (),
) -> Theme:
    theme = Theme.objects.create(organization=organization, workspace=workspace, name=name, color=color)
    if hashtags or words:
        ThemeRule.objects.create(organization=organization, theme=theme, hashtags=_clean(hashtags), words=_clean(words))
    facts_changed(organization.pk)
    return theme


@transaction.atomic
def theme_update(
    *, theme: Theme, hashtags: Iterable[str] | None = None, words: Iterable[str] | None = None, **fields
) -> Theme:
    for name in ("name", "color", "workspace"):
        if name in fields:
            setattr(theme, name, fields[name])
    theme.save()
    if hashtags is not None or words is not None:
        rule = ThemeRule.objects.filter(organization_id=theme.organization_id, theme=theme).first()
        rule = rule or ThemeRule(organization_id=theme.organization_id, theme=theme)
        if hashtags is not None:
            rule.hashtags = _clean(hashtags)
        if words is not None:
            rule.words = _clean(words)
        rule.save()
    facts_changed(theme.organization_id)  # the themes chart shows its name and colour
    return theme


@transaction.atomic
def theme_delete(*, theme: Theme) -> None:
    theme.delete()
    facts_changed(theme.organization_id)


@transaction.atomic
def post_theme_set(*, post: Post, theme: Theme) -> PostTheme:
    """Label a post by hand (a rule's label on it becomes manual: rules never remove it)."""
    label, _created = PostTheme.objects.update_or_create(
        organization_id=post.organization_id, post=post, theme=theme, defaults={"source": PostTheme.Source.MANUAL}
    )
    facts_changed(post.organization_id)
    return label


@transaction.atomic
def post_theme_remove(*, post: Post, theme: Theme) -> None:
    PostTheme.objects.filter(organization_id=post.organization_id, post=post, theme=theme).delete()
    facts_changed(post.organization_id)


def _matches(rule: ThemeRule, hashtags: set[str], words: set[str]) -> bool:
    return bool(hashtags & set(rule.hashtags)) or bool(words & set(rule.words))


WORD = re.compile(r"\w+")


@transaction.atomic
def themes_apply(
    *,
    organization: Organization,
    post_ids: Iterable[int] | None = None,
    seen_since=None,
    batch_size: int = 2000,
) -> int:
    """Label the organisation's own posts matching a rule (all, or ``post_ids``); returns the number
    of labels added. Idempotent: existing labels (manual or rule) are left as they are.

    Matching folds case and accents, which SQL cannot do the same way on SQLite and PostgreSQL; the
    posts' text is streamed in batches and the labels written with one bulk insert per batch."""
    rules = list(ThemeRule.objects.filter(organization=organization).select_related("theme"))
    if not rules:
        return 0
    posts = Post.objects.filter(organization=organization).exclude(kind=PostKind.REPOST)
    if post_ids is not None:
        posts = posts.filter(pk__in=list(post_ids))
    if seen_since is not None:
        posts = posts.filter(first_seen_at__gte=seen_since)
    added = 0
    batch: list[PostTheme] = []
    for post_id, workspace_id, text, tags in posts.values_list(
        "pk", "account__workspace_id", "text", "hashtags"
    ).iterator(chunk_size=batch_size):
        hashtags = {fold(t) for t in tags or []}
        words = set(WORD.findall(fold(text or "")))
        for rule in rules:
            if rule.theme.workspace_id not in (None, workspace_id):
                continue
            if _matches(rule, hashtags, words):
                batch.append(
                    PostTheme(
                        organization=organization, post_id=post_id, theme_id=rule.theme_id, source=PostTheme.Source.RULE
                    )
                )
        if len(batch) >= batch_size:
            added += _insert_new(organization, batch)
            batch = []
    if batch:
        added += _insert_new(organization, batch)
    if added:
        facts_changed(organization.pk)
    return added


def _insert_new(organization: Organization, labels: list[PostTheme]) -> int:
    """Insert the labels not there yet; ignore_conflicts covers a concurrent run's inserts."""
    existing = set(
        PostTheme.objects.filter(
            organization=organization, post_id__in={label.post_id for label in labels}
        ).values_list("post_id", "theme_id")
    )
    new = [label for label in labels if (label.post_id, label.theme_id) not in existing]
    PostTheme.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)
