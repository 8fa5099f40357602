"""The load and fault test (loadtest/run.py) in its bounded form: 20 users for 30 seconds of
plain load, then 40 seconds with PostgreSQL restarted, a gunicorn worker and the task worker
killed, and an SLA check interrupted. `make loadtest` runs the full form (50 users).

It needs PostgreSQL's server programs (it starts a cluster of its own, never the shared
one); without them it skips, which CI=true turns into a failure.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.load


def test_the_bounded_load_and_fault_test_passes(tmp_path):
    sys.path.insert(0, str(ROOT / "loadtest"))
    try:
        from run import postgres_bin
    finally:
        sys.path.pop(0)
    if postgres_bin() is None:
        pytest.skip("PostgreSQL's server programs are not installed")
    result_file = tmp_path / "load.json"
    completed = subprocess.run(
        [sys.executable, str(ROOT / "loadtest" / "run.py"), "--users", "20", "--spawn-rate",
         "20", "--duration", "30", "--fault-duration", "40", "--json", str(result_file)],
        capture_output=True, text=True, timeout=900)
    print(completed.stdout)
    result = json.loads(result_file.read_text())
    assert result["problems"] == [], completed.stdout + completed.stderr
    load = result["load"]["stats"]
    assert load["Aggregated"]["requests"] > 100 and load["Aggregated"]["failures"] == 0
    checks = result["checks"]
    assert checks["recovered_by_itself"]
    assert checks["every_confirmed_write_is_there"]
    assert sum(checks["writes_confirmed"].values()) > 0  # tickets and replies were made
    assert checks["emails_sent"] > 0 and checks["emails_sent_twice"] == 0
    assert checks["sla_breaches_recorded_twice"] == 0
    assert len(result["fault_log"]) == 4
