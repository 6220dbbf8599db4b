"""The exhibition export: the selected media's files (the original where the author sent one)
and credits.csv, through the safe CSV writer."""

import csv
import io
import zipfile

from django.core.files.base import ContentFile
from django.urls import reverse
from django_scopes import scope

from campaigns.tests.factories import granted, jpeg_bytes, make_campaign


def test_it_zips_the_selected_files_with_their_credits(tenancy, login):
    campaign = make_campaign(tenancy.a1)
    first = granted(campaign, author="marie.b", for_exhibition=True, caption="Le pont au lever du soleil")
    second = granted(campaign, for_exhibition=True, caption='=HYPERLINK("http://evil")')
    granted(campaign, author="not.selected")
    original = jpeg_bytes(color=(1, 2, 3), size=(300, 200))
    with scope(organization=campaign.organization):
        first.original.save("orig.jpg", ContentFile(original), save=True)
    response = login(tenancy.alice).get(
        reverse("campaign_export", kwargs={"org": tenancy.org_a.slug, "campaign_id": campaign.pk})
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = sorted(archive.namelist())
    assert names == sorted(
        ["credits.csv", f"media/001-marie.b-{first.external_id}.jpg", f"media/002-unknown-{second.external_id}.jpg"]
    ) or names == sorted(
        ["credits.csv", f"media/002-marie.b-{first.external_id}.jpg", f"media/001-unknown-{second.external_id}.jpg"]
    )
    by_author = {name.split("-")[1]: name for name in names if name.startswith("media/")}
    assert archive.read(by_author["marie.b"]) == original  # the original, not the collected copy
    rows = list(csv.reader(io.StringIO(archive.read("credits.csv").decode("utf-8-sig"))))
    assert rows[0][:5] == ["File", "Credit line", "Author", "Caption", "Permalink"]
    credits = {row[2]: row for row in rows[1:]}
    assert credits["marie.b"][1] == "📷 @marie.b — #InstaBoulogne"
    assert credits["marie.b"][4] == first.permalink and credits["marie.b"][6] == "True"
    assert credits[""][3].startswith("'=")  # a caption never runs as a formula


def test_it_explains_an_empty_selection(tenancy, login):
    campaign = make_campaign(tenancy.a1)
    client = login(tenancy.alice)
    url = reverse("campaign_export", kwargs={"org": tenancy.org_a.slug, "campaign_id": campaign.pk})
    response = client.get(url, follow=True)
    assert b"Select media for the exhibition first" in response.content
