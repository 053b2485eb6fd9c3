"""Benchmarks of the boardshift pipeline against a hand-written DuckDB floor (see README.md)."""
