"""Deduplicate N synthetic person records (default 1,000,000) and report time, memory, F1.

Records are generated here with known duplicates: N * (1 - dup) distinct people with Indian
and US names (the name lexicon plus made-up names for a long tail), birth dates, phones
and cities, and N * dup extra records of the same people with typing errors, day/month
swaps, missing dates or phones, surname-first order and initials. The run uses the
PERSON_LARGE spec on DuckDB (memory limit 6 GB), clusters at the spec's threshold and
scores pairs within clusters against the truth.

    .venv/bin/python benchmarks/er_scale.py --rows 1000000
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from collections import Counter
from typing import Any

SYLLABLES = "ra ja ku ma sha vi de pa ni go la ha ti su na ka bi ro me an ar in esh it al ul"
SYLLABLES_LIST = SYLLABLES.split()


def made_up(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES_LIST) for _ in range(rng.randint(2, 3))).capitalize()


def typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + rng.choice("aeiourstnlk") + word[i + 1 :]


def generate(rows: int, dup: float, seed: int) -> list[dict[str, Any]]:
    from narcolink.analysis.resolution import lexicon

    rng = random.Random(seed)
    given_names = sorted(lexicon.GIVEN_NAMES)
    surnames = sorted(lexicon.SURNAMES)
    cities = [made_up(rng) for _ in range(2000)]
    people = int(rows * (1 - dup))
    out: list[dict[str, Any]] = []
    for pid in range(people):
        given = rng.choice(given_names).capitalize() if rng.random() < 0.8 else made_up(rng)
        surname = rng.choice(surnames).capitalize() if rng.random() < 0.6 else made_up(rng)
        dob = f"{rng.randint(1940, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        phone = f"+91{rng.choice('6789')}{rng.randrange(10**9):09d}" if rng.random() < 0.7 else None
        out.append({"id": f"p{pid}-0", "source": "bench", "name": f"{given} {surname}",
                    "birthDate": dob, "phone": phone, "city": rng.choice(cities)})  # fmt: skip
    for n in range(rows - people):
        base = out[rng.randrange(people)]
        given, surname = base["name"].split(" ", 1)
        r = rng.random()
        if r < 0.2:
            given = typo(rng, given)
        elif r < 0.3:
            surname = typo(rng, surname)
        name = f"{given} {surname}"
        r = rng.random()
        if r < 0.1:
            name = f"{surname}, {given}"
        elif r < 0.15:
            name = f"{given[0]}. {surname}"
        dob = base["birthDate"]
        r = rng.random()
        if r < 0.1:
            dob = None
        elif r < 0.2:
            y, m, d = dob.split("-")
            dob = f"{y}-{d}-{m}" if int(d) <= 12 else f"{y}-{m}-{int(d) % 28 + 1:02d}"
        phone = base["phone"] if rng.random() < 0.6 else None
        out.append({"id": f"{base['id'].split('-')[0]}-{n + 1}", "source": "bench", "name": name,
                    "birthDate": dob, "phone": phone, "city": base["city"]})  # fmt: skip
    return out


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--dup", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--memory", default="6GB", help="DuckDB memory limit")
    args = parser.parse_args()

    from narcolink.analysis.resolution import clusters, pipeline, spec
    from narcolink.engines import open_engine

    records = generate(args.rows, args.dup, args.seed)
    truth_of = {r["id"]: r["id"].split("-")[0] for r in records}
    print(f"{len(records):,} records, {len(set(truth_of.values())):,} people; generated")
    started = time.perf_counter()
    table = pipeline.build_features("person", records)
    del records
    t_features = time.perf_counter()
    person = spec.PERSON_LARGE
    with open_engine("duckdb", memory_limit=args.memory) as engine:
        resolver = pipeline.Resolver(person, engine)
        resolver.load([table])
        ids = list(table.columns["unique_id"])
        del table
        t_load = time.perf_counter()
        resolver.train()
        t_train = time.perf_counter()
        frame = resolver.predict_table(person.review_low)
        pairs = engine.con.execute(
            f"SELECT unique_id_l, unique_id_r, match_probability FROM {frame.physical_name}"
        ).fetchall()
        t_predict = time.perf_counter()
    assignment = clusters.cluster(ids, pairs, person.threshold)
    t_cluster = time.perf_counter()
    total = t_cluster - started
    print(f"features {t_features - started:.1f} s, load {t_load - t_features:.1f} s, "
          f"train {t_train - t_load:.1f} s, predict {t_predict - t_train:.1f} s "
          f"({len(pairs):,} pairs >= {person.review_low}), "
          f"cluster {t_cluster - t_predict:.1f} s")  # fmt: skip
    print(f"total {total:.1f} s ({total / 60:.1f} min), peak memory {peak_rss_gb():.2f} GB")
    by_cluster: dict[str, list[str]] = {}
    for entity, cluster_id in assignment.items():
        by_cluster.setdefault(cluster_id, []).append(entity)
    predicted = sum(len(m) * (len(m) - 1) // 2 for m in by_cluster.values())
    correct = 0
    for members in by_cluster.values():
        counts = Counter(truth_of[m] for m in members)
        correct += sum(c * (c - 1) // 2 for c in counts.values())
    people = Counter(truth_of.values())
    true_pairs = sum(c * (c - 1) // 2 for c in people.values())
    precision = correct / predicted if predicted else 0.0
    recall = correct / true_pairs if true_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if correct else 0.0
    print(f"pairwise within clusters: F1 {f1:.4f}, precision {precision:.4f}, recall {recall:.4f}")


if __name__ == "__main__":
    main()
