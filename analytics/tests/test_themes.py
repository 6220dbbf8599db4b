"""Theme rules and manual labels."""

import pytest
from django_scopes import scope

from analytics.models import PostTheme
from analytics.services import themes
from analytics.tests.query_fixtures import at, make_post

pytestmark = pytest.mark.django_db


def test_it_matches_words_and_hashtags_without_case_or_accents(tenancy, accounts):
    moving = make_post(accounts.a, "m", at(3), text="Bienvenue aux nouveaux habitants : DÉMÉNAGEMENT réussi")
    tagged = make_post(accounts.a, "t", at(3), hashtags=["Démenagement"])
    make_post(accounts.a, "other", at(3), text="Déménageurs en grève")  # a different word
    make_post(accounts.a, "rt", at(3), kind="repost", text="demenagement")  # reposts are not ours
    with scope(organization=tenancy.org_a):
        theme = themes.theme_create(
            organization=tenancy.org_a, name="Moving", words=["déménagement"], hashtags=["#demenagement"]
        )
        assert themes.themes_apply(organization=tenancy.org_a) == 2
        assert themes.themes_apply(organization=tenancy.org_a) == 0  # idempotent
        labelled = set(PostTheme.objects.filter(theme=theme).values_list("post_id", flat=True))
    assert labelled == {moving.pk, tagged.pk}


def test_it_keeps_manual_labels(tenancy, accounts):
    post = make_post(accounts.a, "m", at(3), text="sport")
    with scope(organization=tenancy.org_a):
        theme = themes.theme_create(organization=tenancy.org_a, name="Sport", words=["sport"])
        themes.post_theme_set(post=post, theme=theme)
        themes.themes_apply(organization=tenancy.org_a)
        assert list(PostTheme.objects.values_list("source", flat=True)) == [PostTheme.Source.MANUAL]


def test_it_applies_a_workspace_theme_to_its_workspace_only(tenancy, accounts):
    make_post(accounts.a, "a", at(3), text="sport")
    make_post(accounts.a2, "b", at(3), text="sport")
    with scope(organization=tenancy.org_a):
        themes.theme_create(organization=tenancy.org_a, name="Sport", words=["sport"], workspace=tenancy.a2)
        assert themes.themes_apply(organization=tenancy.org_a) == 1


def test_it_labels_recent_posts_after_each_sync(tenancy, accounts, celery_eager):
    from analytics.tasks import themes_apply_recent

    make_post(accounts.a, "a", at(3), text="sport")
    with scope(organization=tenancy.org_a):
        themes.theme_create(organization=tenancy.org_a, name="Sport", words=["sport"])
    assert themes_apply_recent.delay().get() == 1
