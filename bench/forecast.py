"""Forecast benchmark: our engine against Prophet and the seasonal naive on real daily series.

    PYTHONPATH=. .venv/bin/python bench/forecast.py [--data DIR] [--quick] [--no-prophet]

DIR holds ``all_daily_series.csv`` (columns ``group,series_id,ds,y,imputed``, one row per series
per day; default ../shared/benchdata/forecast next to the checkout). Protocol (issue 8):
rolling origin, horizon 28, five non-overlapping origins over each series' last 140 days; the
training window is everything before the origin. MASE is scaled by the in-sample seasonal-naive
(7) error of each training window and averaged over the origins; the headline is the geometric
mean over series of (model's MASE / seasonal naive's MASE). ``coverage80`` is the share of the
held-out days inside our 80 % interval. ``s_per_series`` is the mean wall time of one engine call
(its own validation, choice, fit, forecast and 80/95 % intervals) for one series at one origin,
after one warm-up call (statsforecast's compiled code and imports loaded); Prophet is run as a
user would: ``Prophet()`` with its defaults (intervals included), ``fit``, ``predict`` on the
history and the 28 days, timed after one warm-up fit. ``fleet_1000x3y_s`` is the wall time of
the engine (horizon 28) over 1,000 synthetic three-year series on a pool of 2 processes
(``--quick``: 100 series, the time scaled by 10 and said so on stderr).

Prints one JSON line
``{"benchmark":"forecast","series":…,"mase_rel_snaive":…,"prophet_mase_rel_snaive":…,
"coverage80":…,"s_per_series":…,"prophet_s_per_series":…,"fleet_1000x3y_s":…}``
and a per-series table on stderr. Without the data it prints ``{"benchmark":"forecast",
"skipped":…}`` and exits 0. Without Prophet installed (requirements-bench.txt) its two figures
are null.
"""

import argparse
import csv
import datetime as dt
import json
import logging
import math
import os
import sys
import time
from collections import defaultdict
from multiprocessing import get_context
from pathlib import Path

# One BLAS thread per process, set before numpy loads (the engine also limits itself per call).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np

from analytics.forecasting import engine

HORIZON = 28
ORIGINS = 5
FLEET_SERIES = 1000
FLEET_DAYS = 3 * 365
FLEET_PROCESSES = 2
DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "benchdata" / "forecast"


def load(data: Path) -> dict[str, tuple[list[str], np.ndarray]]:
    """Each series on a daily grid from its first to its last day (a missing day is NaN)."""
    rows: dict[str, dict[dt.date, float]] = defaultdict(dict)
    with (data / "all_daily_series.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            value = row["y"].strip()
            rows[row["series_id"]][dt.date.fromisoformat(row["ds"][:10])] = float(value) if value else math.nan
    series = {}
    for key, values in rows.items():
        first, last = min(values), max(values)
        days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
        series[key] = ([day.isoformat() for day in days], np.array([values.get(day, math.nan) for day in days]))
    return series


def mase(actual: np.ndarray, predicted: np.ndarray, scale: float) -> float:
    known = np.isfinite(actual)
    return float(np.mean(np.abs(actual[known] - predicted[known]))) / scale


def run_prophet(days: list[str], train: np.ndarray) -> np.ndarray:
    import pandas as pd
    from prophet import Prophet

    frame = pd.DataFrame({"ds": pd.to_datetime(days), "y": train})
    model = Prophet()
    model.fit(frame)
    future = model.make_future_dataframe(periods=HORIZON)
    return model.predict(future)["yhat"].to_numpy()[-HORIZON:]


def evaluate(series, use_prophet: bool) -> dict:
    results = {}
    engine_times, prophet_times = [], []
    skipped: list[str] = []
    inside = total = 0
    for key, (days, y) in sorted(series.items()):
        ours, naive, theirs, models = [], [], [], []
        for origin in range(ORIGINS, 0, -1):
            cut = len(y) - origin * HORIZON
            train, test = y[:cut], y[cut : cut + HORIZON]
            scale = engine.mase_scale(engine.prepare(train))
            # The same origins are skipped for every model: too little history for the engine
            # (it would say "not enough history"), a flat training window (MASE undefined), or
            # no known day to score.
            if len(engine.prepare(train)) < engine.MIN_HISTORY_DAYS or not scale > 0 or not np.isfinite(test).any():
                skipped.append(f"{key} origin -{origin * HORIZON}")
                continue
            started = time.perf_counter()
            result = engine.forecast(train, HORIZON)
            engine_times.append(time.perf_counter() - started)
            ours.append(mase(test, result.mean, scale))
            naive.append(mase(test, engine.seasonal_naive(engine.prepare(train), HORIZON), scale))
            known = np.isfinite(test)
            inside += int(np.sum((test >= result.lower[80]) & (test <= result.upper[80]) & known))
            total += int(known.sum())
            models.append(result.model)
            if use_prophet:
                started = time.perf_counter()
                predicted = run_prophet(days[:cut], train)
                prophet_times.append(time.perf_counter() - started)
                theirs.append(mase(test, predicted, scale))
        if not ours:
            continue
        results[key] = {
            "engine": float(np.mean(ours)),
            "snaive": float(np.mean(naive)),
            "prophet": float(np.mean(theirs)) if theirs else None,
            "models": models,
        }
    return {
        "series": results,
        "coverage80": inside / total,
        "s_per_series": float(np.mean(engine_times)),
        "prophet_s_per_series": float(np.mean(prophet_times)) if prophet_times else None,
        "skipped": skipped,
    }


def geometric_mean_ratio(results: dict, name: str) -> float | None:
    ratios = [r[name] / r["snaive"] for r in results.values() if r[name] is not None and r["snaive"] > 0]
    if not ratios:
        return None
    return float(math.exp(np.mean(np.log(ratios))))


def synthetic_series(seed: int) -> np.ndarray:
    """A three-year daily count like an account's: level, growth, weekly and annual cycles,
    level shifts, outliers (deterministic per seed)."""
    rng = np.random.default_rng(seed)
    t = np.arange(FLEET_DAYS)
    level = rng.uniform(2, 9)
    growth = rng.normal(0, 0.4) * t / 365
    weekly = rng.uniform(0, 0.4) * np.sin(2 * np.pi * (t + rng.integers(7)) / 7)
    annual = rng.uniform(0, 0.3) * np.sin(2 * np.pi * (t + rng.integers(365)) / 365.25)
    shifts = np.cumsum(np.where(rng.random(FLEET_DAYS) < 0.005, rng.normal(0, 0.3, FLEET_DAYS), 0))
    noise = rng.normal(0, rng.uniform(0.05, 0.4), FLEET_DAYS)
    spikes = np.where(rng.random(FLEET_DAYS) < 0.01, rng.uniform(0.5, 2, FLEET_DAYS), 0)
    return np.round(np.expm1(level + growth + weekly + annual + shifts + noise + spikes))


def _fleet_one(seed: int) -> float:
    """The engine on one synthetic series; returns the CPU time it took (this process)."""
    started = time.process_time()
    engine.forecast(synthetic_series(seed), HORIZON)
    return time.process_time() - started


def _warm(_: int) -> None:
    engine.forecast(synthetic_series(0), HORIZON)


def fleet(count: int) -> tuple[float, float]:
    """Wall time and total CPU time of the engine over ``count`` series on FLEET_PROCESSES."""
    with get_context("fork").Pool(FLEET_PROCESSES) as pool:
        pool.map(_warm, range(FLEET_PROCESSES))
        started = time.perf_counter()
        cpu = pool.map(_fleet_one, range(1, count + 1), chunksize=10)
        return time.perf_counter() - started, float(sum(cpu))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--quick", action="store_true", help="100 fleet series instead of 1,000")
    parser.add_argument("--no-prophet", action="store_true")
    args = parser.parse_args()
    if not (args.data / "all_daily_series.csv").exists():
        print(json.dumps({"benchmark": "forecast", "skipped": f"no all_daily_series.csv in {args.data}"}))
        return
    use_prophet = not args.no_prophet
    if use_prophet:
        try:
            import prophet  # noqa: F401
        except ImportError:
            print("prophet is not installed (requirements-bench.txt): its figures are null", file=sys.stderr)
            use_prophet = False
        else:
            for name in ("cmdstanpy", "prophet", "prophet.plot"):
                logging.getLogger(name).disabled = True

    series = load(args.data)
    # Warm-up: imports, statsforecast's compiled routines, Prophet's Stan model.
    engine.forecast(synthetic_series(0), HORIZON)
    if use_prophet:
        longest_days, longest = max(series.values(), key=lambda pair: len(pair[1]))
        run_prophet(longest_days[: -ORIGINS * HORIZON], longest[: -ORIGINS * HORIZON])

    measured = evaluate(series, use_prophet)
    count = 100 if args.quick else FLEET_SERIES
    fleet_wall, fleet_cpu = fleet(count)
    fleet_s = fleet_wall * (FLEET_SERIES / count)
    # On a shared machine the wall time includes waiting for the cores: the CPU time says what the
    # engine itself costs (CPU seconds / 2 is the wall time on two idle cores).
    load_average = os.getloadavg()[0]
    print(
        f"fleet: {fleet_cpu * FLEET_SERIES / count:.1f} CPU s for {FLEET_SERIES} series "
        f"(wall on {FLEET_PROCESSES} idle cores ≈ {fleet_cpu * FLEET_SERIES / count / FLEET_PROCESSES:.1f} s); "
        f"load average {load_average:.1f} at the end",
        file=sys.stderr,
    )

    print(f"{'series':32} {'engine':>7} {'prophet':>7} {'snaive':>7}  model per origin", file=sys.stderr)
    for key, r in measured["series"].items():
        prophet_rel = f"{r['prophet'] / r['snaive']:7.3f}" if r["prophet"] is not None else "      -"
        print(
            f"{key:32} {r['engine'] / r['snaive']:7.3f} {prophet_rel} {1:7.3f}  {','.join(r['models'])}",
            file=sys.stderr,
        )
    if measured["skipped"]:
        print(f"origins skipped for every model: {', '.join(measured['skipped'])}", file=sys.stderr)
    if args.quick:
        print(f"fleet: {count} series, time scaled to {FLEET_SERIES}", file=sys.stderr)

    prophet_rel = geometric_mean_ratio(measured["series"], "prophet")
    print(
        json.dumps(
            {
                "benchmark": "forecast",
                "series": len(measured["series"]),
                "mase_rel_snaive": round(geometric_mean_ratio(measured["series"], "engine"), 4),
                "prophet_mase_rel_snaive": round(prophet_rel, 4) if prophet_rel is not None else None,
                "coverage80": round(measured["coverage80"], 4),
                "s_per_series": round(measured["s_per_series"], 4),
                "prophet_s_per_series": (
                    round(measured["prophet_s_per_series"], 4) if measured["prophet_s_per_series"] else None
                ),
                "fleet_1000x3y_s": round(fleet_s, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
