"""Time size classification and class history for every year and several bounds schemes,
and print the figures (no assertions: speed is measured here, not tested).

    python benchmarks/sizeclass.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import time

from analysis import data
from analysis.analyses import sizeclass

SCHEMES = {
    "standard (7 classes, open top)": None,
    "mid-size 40 000–100 000": sizeclass.MID_SIZE_BOUNDS,
    "20 000–40 000": (20_000, 40_000),
    "fine (12 edges)": (0, 1_000, 2_000, 5_000, 10_000, 15_000, 20_000, 30_000, 40_000,
                        60_000, 100_000, 200_000),
    "empty 1–2 million": (1_000_000, 2_000_000),
}


def timed(fn, repeat: int) -> tuple[float, float]:
    """Median and best wall time in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times)


def naive_history(bounds, cities_only: bool) -> dict:
    """The naive way, for comparison: a Python loop over every (municipality, year) row,
    looking each population up and testing it against the bounds one by one."""
    municipalities = data.municipalities().set_index("code")
    history: dict = {}
    for row in data.population().itertuples():
        if cities_only and not municipalities.at[row.code, "is_city"]:
            continue
        history[(row.code, row.year)] = bounds[0] <= row.population < bounds[-1]
    return history


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    start = time.perf_counter()
    data.load()
    print(f"cold data load (validation included): {(time.perf_counter() - start) * 1000:.0f} ms")
    years = data.population_years()
    print(f"{len(years)} population years, {len(data.municipalities())} municipalities, "
          f"repeat {args.repeat}\n")

    header = f"{'scheme':<32} {'task':<36} {'median ms':>10} {'best ms':>9}"
    print(header)
    print("-" * len(header))
    for label, bounds in SCHEMES.items():
        for cities_only in (False, True):
            scope = "cities" if cities_only else "all"
            tasks = {
                f"classify × {len(years)} years ({scope})":
                    lambda b=bounds, c=cities_only: [sizeclass.classify(y, b, c) for y in years],
                f"class_history ({scope})":
                    lambda b=bounds, c=cities_only: sizeclass.class_history(b, c),
                f"class_changes ({scope})":
                    lambda b=bounds, c=cities_only: sizeclass.class_changes(b, c),
            }
            for task, fn in tasks.items():
                median, best = timed(fn, args.repeat)
                print(f"{label:<32} {task:<36} {median:>10.1f} {best:>9.1f}")
    naive, _ = timed(lambda: naive_history(sizeclass.MID_SIZE_BOUNDS, True), args.repeat)
    vectorised, _ = timed(lambda: sizeclass.class_history(sizeclass.MID_SIZE_BOUNDS, True),
                          args.repeat)
    print(f"\nclass history 40 000–100 000, cities, all years: naive row loop {naive:.1f} ms, "
          f"class_history {vectorised:.1f} ms ({naive / vectorised:.1f}× faster)\n")
    median, best = timed(lambda: sizeclass.claim_check(), args.repeat)
    print(f"{'growth-cities claim':<32} {'claim_check (4 definitions)':<36} {median:>10.1f} {best:>9.1f}")
    summary = sizeclass.class_summary(None)
    print("\nstandard scheme, latest year:")
    for row in summary.itertuples():
        print(f"  {row.class_label_en:>16}  {row.municipalities:>4} municipalities  "
              f"{row.population:>10,} residents")


if __name__ == "__main__":
    main()
