"""Language, question and intent detection measured on the team's hand-labelled messages.

    PYTHONPATH=. .venv/bin/python bench/text_detection.py [--errors]

Two sets written by the team in French and English (analytics/text/evaluation/): ``messages``
(148 messages; the rules were corrected once after a first run on it, so its figures are
optimistic) and ``holdout`` (41 messages written afterwards, never used to change a rule).
One JSON line per set with precision and recall; ``--errors`` lists the misclassified messages.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from django.conf import settings

    if not settings.configured:
        settings.configure()  # the analyser reads one optional setting; no database is needed
    from analytics.text.evaluation import HOLDOUT, MESSAGES, evaluate

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--quick", action="store_true", help="accepted for `make bench BENCH_ARGS=--quick`")
    args = parser.parse_args()
    for name, path in (("messages", MESSAGES), ("holdout", HOLDOUT)):
        result = evaluate(path)
        errors = result.pop("errors")
        print(json.dumps({"benchmark": "text_detection", "set": name, **result}), flush=True)
        if args.errors:
            for error in errors:
                print(json.dumps(error, ensure_ascii=False), file=sys.stderr)


if __name__ == "__main__":
    main()
