"""Benchmarks of issue 11: ``python -m bench.run --size S|M`` (see bench/run.py)."""
