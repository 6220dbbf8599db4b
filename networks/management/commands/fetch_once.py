"""One-shot fetch through an account's provider: profile, 7 days of daily metrics, 5 latest posts.

    manage.py fetch_once <account_id>

Prints the typed data (dataclasses) as the provider returns it — a way to see what a network
really gives before the sync engine stores it. Stores nothing (a refreshed X token excepted).
"""

import datetime as dt
from dataclasses import asdict
from pprint import pformat

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scope, scopes_disabled

from networks.models import SocialAccount
from networks.providers.errors import ProviderError
from networks.services.tokens import account_provider


class Command(BaseCommand):
    help = "Fetch an account's profile, last 7 days of daily metrics and 5 latest posts, and print them."

    def add_arguments(self, parser) -> None:
        parser.add_argument("account_id", type=int)

    def handle(self, *args, account_id: int, **options) -> None:
        # Explicit escape hatch: an operator's command names the account by id across tenants.
        with scopes_disabled():
            account = SocialAccount.objects.select_related("organization").filter(pk=account_id).first()
        if account is None:
            raise CommandError(f"no account {account_id}")
        with scope(organization=account.organization):
            try:
                provider = account_provider(account=account)
                profile = provider.profile()
                today = dt.datetime.now(dt.UTC).date()
                days = provider.daily_metrics(today - dt.timedelta(days=7), today - dt.timedelta(days=1))
                posts = provider.posts().items[:5]
            except ProviderError as error:
                raise CommandError(f"{type(error).__name__}: {error.message}") from error
        self.stdout.write(f"{account} ({account.network} {account.external_id})")
        self.stdout.write("Profile:\n" + pformat(asdict(profile), sort_dicts=False))
        self.stdout.write(f"Daily metrics ({len(days)} days):")
        for row in days:
            self.stdout.write(pformat(asdict(row), sort_dicts=False))
        self.stdout.write(f"Latest posts ({len(posts)}):")
        for post in posts:
            self.stdout.write(pformat(asdict(post), sort_dicts=False, width=120))
