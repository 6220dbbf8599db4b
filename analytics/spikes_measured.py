"""The spike detector's measured false-alarm rates, stated on the alerts page and in the API.

Produced by ``bench/spikes.py`` (analytics/spikes_evaluation.py; rule and method in
docs/performance.md). Update these numbers when the detector or the sensitivities change: the
test ``test_it_states_the_measured_false_alarm_rates`` replays the simulator and fails if they
drift.
"""

# sensitivity -> false alarms per series per 30 days, on the 22 real daily series (upper bound:
# unexplained alerts all count) and on the simulator's series (known injected events), and the
# share (%) of the simulator's injected events found. Measured 2026-11-30 (bench/spikes.py).
FALSE_ALARMS: dict[str, dict[str, float]] = {
    "low": {"real_per_series_month": 0.166, "simulator_per_series_month": 0.058, "simulator_recall_percent": 98.9},
    "medium": {"real_per_series_month": 0.384, "simulator_per_series_month": 0.205, "simulator_recall_percent": 98.3},
    "high": {"real_per_series_month": 0.615, "simulator_per_series_month": 0.551, "simulator_recall_percent": 97.2},
}
