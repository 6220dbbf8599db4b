"""``manage.py run_simulator``: the network simulator, with the same options as ``python -m networks.simulator``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from networks.simulator.__main__ import build_parser, serve


class Command(BaseCommand):
    help = "Serve the simulated X, Facebook Pages and Instagram APIs (see networks/simulator/README.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        # Same options as the standalone entry point, so the demo's Procfile can use either.
        for action in build_parser()._actions:
            if action.dest == "help":
                continue
            kwargs: dict[str, Any] = {"dest": action.dest, "default": action.default, "help": action.help}
            if action.const is True:
                kwargs["action"] = "store_true"
            else:
                kwargs["type"] = action.type
            parser.add_argument(*action.option_strings, **kwargs)

    def handle(self, *args: Any, **options: Any) -> None:
        # Forward every option of the standalone parser, so a new one needs no change here.
        argv: list[str] = []
        for action in build_parser()._actions:
            if action.dest == "help":
                continue
            value, flag = options[action.dest], action.option_strings[-1]
            if action.const is True:
                argv += [flag] if value else []
            elif value is not None:
                argv.append(f"{flag}={value}")
        serve(argv)
