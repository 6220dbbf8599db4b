"""The themes pages: managers create and edit themes with their rules and label posts by hand (from
the post page and the posts table); read-only members see the themes without the forms."""

import pytest
from django.urls import reverse
from django_scopes import scope

from analytics.models import PostTheme, Theme, ThemeRule
from analytics.tests.test_views import PERIOD, Facts, account_url, make_facts


@pytest.fixture
def facts(tenancy) -> Facts:
    return make_facts(tenancy)


def themes_url(tenancy) -> str:
    return reverse("analytics_themes", kwargs={"org": tenancy.org_a.slug})


def post_themes_url(tenancy, post) -> str:
    return reverse("analytics_post_themes", kwargs={"org": tenancy.org_a.slug, "post_id": post.pk})


def labels_of(post) -> set[tuple[str, str]]:
    with scope(organization=post.organization_id):
        return set(
            PostTheme.objects.filter(organization_id=post.organization_id, post=post).values_list(
                "theme__name", "source"
            )
        )


def make_theme(tenancy, name: str, workspace=None) -> Theme:
    with scope(organization=tenancy.org_a):
        return Theme.objects.create(organization=tenancy.org_a, name=name, workspace=workspace)


def test_it_creates_a_theme_with_its_rule(tenancy, login):
    response = login(tenancy.alice).post(
        themes_url(tenancy),
        {"name": "Sport", "color": "#047857", "workspace": tenancy.a1.pk, "hashtags": "#Sport, vélo", "words": "Match"},
    )
    assert response.status_code == 302
    with scope(organization=tenancy.org_a):
        theme = Theme.objects.get(organization=tenancy.org_a, name="Sport")
        rule = ThemeRule.objects.get(organization=tenancy.org_a, theme=theme)
    assert (theme.color, theme.workspace_id) == ("#047857", tenancy.a1.pk)
    assert (rule.hashtags, rule.words) == (["sport", "velo"], ["match"])


def test_it_refuses_a_duplicate_name(tenancy, login):
    make_theme(tenancy, "Sport")
    response = login(tenancy.alice).post(themes_url(tenancy), {"name": "sport"})
    assert response.status_code == 400
    assert "A theme with this name exists already." in response.content.decode()


def test_it_edits_a_theme(tenancy, login):
    theme = make_theme(tenancy, "Sport")
    url = reverse("analytics_theme_edit", kwargs={"org": tenancy.org_a.slug, "theme_id": theme.pk})
    client = login(tenancy.alice)
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "Sports", "color": "#b91c1c", "hashtags": "foot"}).status_code == 302
    theme.refresh_from_db()
    assert (theme.name, theme.color) == ("Sports", "#b91c1c")


def test_it_shows_themes_without_forms_to_read_only_members(tenancy, login):
    make_theme(tenancy, "Sport")
    html = login(tenancy.bob).get(themes_url(tenancy)).content.decode()
    assert "Sport" in html
    assert "New theme" not in html and "Edit" not in html


def test_it_labels_a_post_by_hand_and_removes_the_label(tenancy, login, facts):
    theme = make_theme(tenancy, "Fêtes", workspace=tenancy.a1)
    client = login(tenancy.alice)
    post_url = reverse("analytics_post", kwargs={"org": tenancy.org_a.slug, "post_id": facts.original.pk})
    assert "Add a theme" in client.get(post_url).content.decode()
    response = client.post(post_themes_url(tenancy, facts.original), {"theme": theme.pk})
    assert response.status_code == 302 and response["Location"] == post_url
    assert labels_of(facts.original) == {("Fêtes", "manual")}
    assert "by hand" in client.get(post_url).content.decode()
    client.post(post_themes_url(tenancy, facts.original), {"remove": theme.pk})
    assert labels_of(facts.original) == set()


def test_it_labels_from_the_posts_table_and_comes_back(tenancy, login, facts):
    theme = make_theme(tenancy, "Travaux")
    client = login(tenancy.alice)
    page = account_url(tenancy, facts.account) + "?period=custom&start=2026-11-01&end=2026-11-07"
    assert f'action="{post_themes_url(tenancy, facts.other)}"' in client.get(page).content.decode()
    response = client.post(post_themes_url(tenancy, facts.other), {"theme": theme.pk, "next": page})
    assert response["Location"] == page
    assert labels_of(facts.other) == {("Travaux", "manual")}


def test_it_never_redirects_elsewhere(tenancy, login, facts):
    theme = make_theme(tenancy, "Travaux")
    response = login(tenancy.alice).post(
        post_themes_url(tenancy, facts.other), {"theme": theme.pk, "next": "https://evil.example/"}
    )
    assert response["Location"].startswith("/o/")


def test_it_refuses_another_workspaces_theme(tenancy, login, facts):
    theme = make_theme(tenancy, "A2 only", workspace=tenancy.a2)
    response = login(tenancy.alice).post(post_themes_url(tenancy, facts.original), {"theme": theme.pk})
    assert response.status_code == 400
    assert labels_of(facts.original) == set()


@pytest.mark.parametrize("value", ["abc", "987654"])
def test_it_answers_404_for_a_bad_theme_id(tenancy, login, facts, value):
    response = login(tenancy.alice).post(post_themes_url(tenancy, facts.original), {"theme": value})
    assert response.status_code == 404


def test_it_hides_the_label_forms_from_read_only_members(tenancy, login, facts):
    make_theme(tenancy, "Travaux")
    client = login(tenancy.bob)
    assert 'class="label-form"' not in client.get(account_url(tenancy, facts.account), PERIOD).content.decode()
    post_url = reverse("analytics_post", kwargs={"org": tenancy.org_a.slug, "post_id": facts.original.pk})
    assert "Add a theme" not in client.get(post_url).content.decode()


def test_it_links_the_workspace_and_organisation_pages_to_the_statistics(tenancy, login):
    client = login(tenancy.alice)
    workspace = client.get(reverse("workspace_home", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk}))
    dashboard = reverse("analytics_dashboard", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk})
    assert f'href="{dashboard}"' in workspace.content.decode()
    home = client.get(reverse("organization_home", kwargs={"org": tenancy.org_a.slug})).content.decode()
    assert f'href="{reverse("analytics_agency_overview", kwargs={"org": tenancy.org_a.slug})}"' in home
    assert f'href="{themes_url(tenancy)}"' in home


def _csv(client, url, params) -> list[list[str]]:
    response = client.get(url, {**params, "format": "csv"})
    assert response.status_code == 200
    return [line.split(",") for line in b"".join(response.streaming_content).decode("utf-8-sig").splitlines()]


def test_it_narrows_every_post_statistic_of_the_account_page_by_theme(tenancy, login, facts):
    """Hand-computed on ``make_facts``: the theme labels "Travaux" only (a text post, 5 likes, no
    views, Tuesday 3 November 18:00 in Paris); "Fête de la ville" (photo, 15 engagements,
    #Boulogne, Monday 09:00) drops out of every statistic of the posts."""
    theme = make_theme(tenancy, "Chantiers")
    with scope(organization=tenancy.org_a):
        PostTheme.objects.create(organization=tenancy.org_a, post=facts.other, theme=theme)
    client = login(tenancy.alice)
    url = account_url(tenancy, facts.account)
    themed = {**PERIOD, "theme": theme.pk}
    html = client.get(url, themed).content.decode()
    # The theme is chosen once, in the period form, and kept by the posts table's filters.
    assert f'<option value="{theme.pk}" selected>Chantiers</option>' in html
    assert f'<input type="hidden" name="theme" value="{theme.pk}">' in html
    assert "no theme applies to them" in html
    top = html[html.index('id="top-posts"') : html.index('id="best-time"')]
    assert "Travaux" in top and "Fête de la ville" not in top
    assert "Best slot: Tue at 18h" in html
    assert "#boulogne" not in html
    assert _csv(client, url, {**themed, "download": "content-types"})[1][:3] == ["Text", "1", "5"]
    assert _csv(client, url, {**themed, "download": "hashtags"})[1:] == []
    assert _csv(client, url, {**themed, "download": "themes"})[1][:3] == ["Chantiers", "1", "5"]
    assert [row[3] for row in _csv(client, url, {**themed, "download": "top-posts"})[1:]] == ["Travaux"]
    # The account's own numbers stay whole: the audience chart is the same with or without it.
    assert _csv(client, url, {**themed, "download": "audience"}) == _csv(
        client, url, {**PERIOD, "download": "audience"}
    )
    # Without the theme, every post counts again.
    html = client.get(url, PERIOD).content.decode()
    assert "Best slot: Mon at 09h" in html and "no theme applies to them" not in html
    assert [row[0] for row in _csv(client, url, {**PERIOD, "download": "content-types"})[1:]] == ["Photo", "Text"]
