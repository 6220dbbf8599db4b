from django.urls import reverse


def test_it_shows_the_organisation_home_to_a_member(tenancy, login):
    response = login(tenancy.alice).get(reverse("organization_home", kwargs={"org": tenancy.org_a.slug}))
    assert response.status_code == 200
    assert b"A1" in response.content and b"A2" in response.content


def test_it_checks_ownership(tenancy, login):
    response = login(tenancy.charlie).get(reverse("organization_home", kwargs={"org": tenancy.org_a.slug}))
    assert response.status_code == 404


def test_it_hides_other_clients(tenancy, login):
    client = login(tenancy.dana)
    assert client.get(reverse("workspace_home", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk})).status_code == 200
    assert client.get(reverse("workspace_home", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a2.pk})).status_code == 404
