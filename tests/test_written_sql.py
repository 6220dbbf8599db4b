"""overgraph.written_sql: the written-out reads return what the ORM's querysets return."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from analytics.factstore import DatabaseFactStore
from analytics.models import Post
from analytics.tests.factories import NOW, make_account, make_post
from networks.models import SocialAccount
from overgraph import written_sql
from overgraph.written_sql import in_list, select_sql

pytestmark = pytest.mark.django_db


def test_it_reads_a_row_in_one_statement_like_the_orm(tenancy):
    account = make_account(tenancy.a1)
    sql = select_sql(SocialAccount, "organization", "pk")
    with scope(organization=account.organization_id), CaptureQueriesContext(connection) as queries:
        found = written_sql.first(SocialAccount, sql, [account.organization_id, account.pk])
    assert len(queries) == 1
    with scope(organization=account.organization_id):
        expected = SocialAccount.objects.get(pk=account.pk)
    assert {f.attname: getattr(found, f.attname) for f in SocialAccount._meta.concrete_fields} == {
        f.attname: getattr(expected, f.attname) for f in SocialAccount._meta.concrete_fields
    }
    with scope(organization=account.organization_id):
        assert written_sql.first(SocialAccount, sql, [account.organization_id + 1000, account.pk]) is None


def test_it_filters_orders_limits_and_expands_lists(tenancy):
    account = make_account(tenancy.a1)
    start = NOW - dt.timedelta(days=1)
    posts = [make_post(f"p{i}", published_at=start + dt.timedelta(hours=i), likes=i) for i in range(5)]
    DatabaseFactStore().save_posts(account, posts, NOW)
    sql = select_sql(
        Post,
        "organization",
        "account",
        "published_at >=",
        "external_id in",
        fields=("external_id", "published_at"),
        order_by=("-published_at",),
        limit=2,
        lock="FOR NO KEY UPDATE",
    )
    text, values = in_list(sql, ["p0", "p1", "p3", "p4"])
    params = [account.organization_id, account.pk, posts[1].published_at, *values]
    with scope(organization=account.organization_id), transaction.atomic():
        rows = [(p.external_id, p.published_at) for p in Post.objects.raw(text, params)]
    # Dates come back as aware datetimes on both databases (the fields' converters applied).
    assert rows == [("p4", posts[4].published_at), ("p3", posts[3].published_at)]
    assert ("FOR NO KEY UPDATE" in sql) == (connection.vendor == "postgresql")


def test_it_refuses_an_unknown_operator():
    with pytest.raises(ValueError, match="unsupported"):
        select_sql(Post, "external_id like")
