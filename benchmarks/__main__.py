"""``python -m benchmarks``: run the benchmarks and write ``benchmarks/RESULTS.md``."""

from benchmarks.run import main

main()
