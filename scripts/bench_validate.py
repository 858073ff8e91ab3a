"""Times `kg validate`'s SHACL check against the unoptimised path (pyshacl re-parsing each SPARQL constraint per focus node) in the same run, and checks both give the same report."""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.validate import read_union, shipped, validate_graph  # noqa: E402

SEED = ROOT / "seeds" / "000_06e6f271c7f4b0d7.txt"


def baseline(paths: list[str]) -> tuple[bool, str]:
    """The path `kg validate` took before: a plain rdflib Graph, the ontology handed to pyshacl (which copies
    the data graph to mix it in), every constraint query parsed by rdflib once per focus node."""
    import pyshacl
    from rdflib import Graph

    union = Graph()
    for triple in read_union(paths):
        union.add(triple)
    shapes = Graph().parse(data=shipped("shapes.ttl"), format="turtle")
    ontology = Graph().parse(data=shipped("claimgraph.ttl"), format="turtle")
    conforms, _, report = pyshacl.validate(union, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                           advanced=True)
    return bool(conforms), report


def optimised(paths: list[str]) -> tuple[bool, str]:
    return validate_graph(read_union(paths))


def timed(function, paths, repeat: int) -> tuple[float, float, tuple[bool, str]]:
    """(median wall seconds, median CPU seconds, result) over ``repeat`` runs."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function(paths)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="*", help="RDF files to validate (default: the seed article extracted)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        paths = args.files
        if not paths:
            out = Path(scratch) / "seed.ttl"
            subprocess.run([sys.executable, "-m", "kg", "extract", str(SEED), "-o", str(out)], cwd=ROOT, check=True)
            paths = [str(out)]
        import pyshacl  # noqa: F401 - imported once, outside both timings

        optimised(paths)  # warm-up: rdflib's and pyshacl's lazy imports and caches
        base_wall, base_cpu, base_result = timed(baseline, paths, args.repeat)
        new_wall, new_cpu, new_result = timed(optimised, paths, args.repeat)
    same = base_result == new_result
    print(f"baseline:  {base_wall:.2f} s wall, {base_cpu:.2f} s CPU (conforms={base_result[0]})")
    print(f"optimised: {new_wall:.2f} s wall, {new_cpu:.2f} s CPU (conforms={new_result[0]})")
    print(f"speed-up: {base_wall / new_wall:.1f}x wall, {base_cpu / new_cpu:.1f}x CPU; same report: {same}")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kg", "validate", *paths], cwd=ROOT, capture_output=True)
    print(f"whole `kg validate` process (imports included): {time.perf_counter() - start:.2f} s wall")
    if not same:
        sys.exit("the optimised path gave a different report")


if __name__ == "__main__":
    main()
