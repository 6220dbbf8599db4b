"""Re-encrypt every stored token with the first key of TOKEN_ENCRYPTION_KEYS.

Rotation: put the new key first (keep the old ones after it), restart, run this command, then
remove the old keys. See README "Rotating token keys".
"""

from django.core.management.base import BaseCommand, CommandError

from networks.vault import VaultError, tokens_rotate


class Command(BaseCommand):
    help = "Re-encrypt every stored network token with the first key of TOKEN_ENCRYPTION_KEYS."

    def handle(self, *args, **options) -> None:
        try:
            count = tokens_rotate()
        except VaultError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"{count} tokens re-encrypted with the first key."))
