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
        argv = [
            f"--host={options['host']}",
            f"--port={options['port']}",
            f"--now={options['now']}",
            f"--seed={options['seed']}",
        ]
        argv += ["--running-clock"] if options["running_clock"] else []
        argv += ["--verbose"] if options["verbose"] else []
        serve(argv)
