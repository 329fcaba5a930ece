"""Benchmarks of `quotes`; each script writes its own section of BENCHMARKS.md."""
