"""Benchmarks: mfa's LP against the same LP in linopy and in raw highspy (issue 8)."""
