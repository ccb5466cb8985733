"""The benchmarks keep working: each runs at a tiny size and ends with its figures line.
(Timings are measured by running them in full, recorded in docs/benchmarks.md.)"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_reporting_import_runs_and_both_ways_store_the_same():
    run = subprocess.run([sys.executable, "benchmarks/reporting_import.py", "--firms", "300", "--runs", "1",
                          "--baseline-runs", "1"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    last = run.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"seconds=[0-9.]+ baseline_seconds=[0-9.]+ ratio=[0-9.]+", last), last
    assert "stored rows, revenue: (300," in run.stdout


def test_assessment_benchmark_runs_and_both_ways_agree(full_demo_file):
    # The session's demo, copied by the script, rather than a second build of it.
    run = subprocess.run([sys.executable, "benchmarks/assessment.py", "--runs", "1", "--baseline-runs", "1", "--demo", str(full_demo_file)], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "statuses that differ: []" in run.stdout
    last = run.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"assess_seconds=[0-9.]+ board_ms=[0-9.]+", last), last


def test_enterprise_evaluation_benchmark_runs_and_both_ways_agree():
    run = subprocess.run([sys.executable, "benchmarks/enterprise_evaluation.py", "--firms", "2000", "--runs", "1"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "firms whose class or total differ: 0" in run.stdout
    last = run.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"seconds=[0-9.]+ baseline_seconds=[0-9.]+ ratio=[0-9.]+", last), last


def test_evaluation_run_benchmark_runs_and_both_ways_agree():
    run = subprocess.run([sys.executable, "benchmarks/evaluation_run.py", "--firms", "800", "--runs", "1"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "firms whose class differs: 0" in run.stdout and "800 firms" in run.stdout
    last = run.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"seconds=[0-9.]+ baseline_seconds=[0-9.]+ ratio=[0-9.]+", last), last
