"""Benchmarks: the `bench_*` commands and the synthetic data they run on. Nothing in the domain apps imports
this package; a benchmark may import anything (it sits at the top of the layers, beside demo)."""
