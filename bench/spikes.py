"""Spike alerts: false alarms of the detector on real daily series and on the simulator.

    PYTHONPATH=. .venv/bin/python bench/spikes.py [--data FILE] [--quick]

FILE has the layout of ../shared/benchdata/forecast/all_daily_series.csv. Method and the rule
for what counts as a false alarm: analytics/spikes_evaluation.py (and docs/performance.md).
One JSON line per sensitivity: ``{"benchmark":"spikes","sensitivity":…,"real":{…},"simulator":{…}}``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATA = ROOT.parent / "shared" / "benchdata" / "forecast" / "all_daily_series.csv"


def main() -> None:
    from analytics.spikes_evaluation import real_series_rates, simulator_rates

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("SPIKES_BENCH_DATA", DEFAULT_DATA)))
    parser.add_argument("--quick", action="store_true", help="the last 365 days of each real series only")
    args = parser.parse_args()
    real = (
        {r.sensitivity: r.as_dict() for r in real_series_rates(args.data, last_days=365 if args.quick else 730)}
        if args.data.exists()
        else {}
    )
    simulated = {r.sensitivity: r.as_dict() for r in simulator_rates(days=180 if args.quick else 365)}
    for sensitivity, result in simulated.items():
        line = {"benchmark": "spikes", "sensitivity": sensitivity, "simulator": result}
        line["real"] = real.get(sensitivity, {"skipped": f"no data at {args.data}"})
        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
