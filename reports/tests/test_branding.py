"""Branding: the logo is checked (PNG or JPEG, size, dimensions) before anything is saved, and a
workspace's branding overrides the organisation's field by field."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from PIL import Image

from reports.models import Branding
from reports.selectors import branding_for


def png(size=(60, 30), color=(200, 30, 30), fmt="PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


def post(client, url, **files_and_fields):
    data = {"name": "", "primary_color": "", "accent_color": "", **files_and_fields}
    return client.post(url, data)


@pytest.fixture
def urls(tenancy):
    return {
        "org": reverse("reports_branding_organization", kwargs={"org": tenancy.org_a.slug}),
        "ws": reverse("reports_branding_workspace", kwargs={"org": tenancy.org_a.slug, "workspace_id": tenancy.a1.pk}),
    }


@pytest.mark.parametrize(
    "upload",
    [
        ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
        ("logo.gif", b"GIF89a" + b"\0" * 40),
        ("logo.png", b"not an image at all"),
    ],
)
def test_it_refuses_what_is_not_a_png_or_jpeg(tenancy, login, urls, upload):
    response = post(login(tenancy.alice), urls["org"], logo=SimpleUploadedFile(*upload), name="Agency")
    assert response.status_code == 400
    assert "PNG or JPEG" in response.content.decode()
    with scopes_disabled():
        assert not Branding.objects.exists()


def test_it_refuses_a_logo_too_large(tenancy, login, urls, settings):
    settings.REPORTS_LOGO_MAX_BYTES = 2000
    big = png(size=(400, 400), color=(1, 2, 3))
    noisy = Image.frombytes("RGB", (300, 300), bytes(range(256)) * 1055)
    out = io.BytesIO()
    noisy.save(out, "PNG")
    for data in (big, out.getvalue()):
        if len(data) <= 2000:
            continue
        response = post(login(tenancy.alice), urls["org"], logo=SimpleUploadedFile("logo.png", data))
        assert response.status_code == 400 and "too large" in response.content.decode()
    with scopes_disabled():
        assert not Branding.objects.exists()


def test_it_merges_workspace_over_organisation(tenancy, login, urls):
    alice = login(tenancy.alice)
    assert (
        post(
            alice, urls["org"], name="Agence", primary_color="#112233", logo=SimpleUploadedFile("l.png", png())
        ).status_code
        == 302
    )
    assert post(alice, urls["ws"], name="Client A1", accent_color="#445566").status_code == 302
    with scope(organization=tenancy.org_a):
        a1 = branding_for(tenancy.org_a, tenancy.a1)
        a2 = branding_for(tenancy.org_a, tenancy.a2)
    assert (a1.name, a1.primary_color, a1.accent_color) == ("Client A1", "#112233", "#445566")
    assert a1.logo.startswith("data:image/png;base64,")  # the organisation's logo
    assert (a2.name, a2.accent_color) == ("Agence", "#047857")
    jpeg = SimpleUploadedFile("l.jpg", png(fmt="JPEG"))
    assert post(alice, urls["ws"], name="Client A1", logo=jpeg).status_code == 302
    with scope(organization=tenancy.org_a):
        assert branding_for(tenancy.org_a, tenancy.a1).logo.startswith("data:image/jpeg;base64,")
    page = alice.get(urls["ws"])
    assert page.status_code == 200 and "Client A1" in page.content.decode()
    # Colours reach the page as a stylesheet (the policy allows no inline style).
    assert reverse("reports_brand_css", kwargs={"primary": "112233", "accent": "047857"}) in page.content.decode()
    css_url = reverse("reports_brand_css", kwargs={"primary": "112233", "accent": "445566"})
    css = alice.get(css_url)
    assert css["Content-Type"].startswith("text/css")
    assert "--brand: #112233; --accent: #445566;" in css.content.decode()
    assert alice.get("/reports/brand/112233-zzzzzz.css").status_code == 404


def test_it_rejects_a_bad_colour(tenancy, login, urls):
    response = post(login(tenancy.alice), urls["org"], primary_color="red; background:url(x)")
    assert response.status_code == 400
