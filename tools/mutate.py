"""`make mutate`: run mutmut over the mutated modules (or some of them) and report the score and the survivors.

    python tools/mutate.py run [--survivors] [PATH ...]   # mutate, then report on PATH (files or folders)
    python tools/mutate.py run --sample N [PATH ...]      # N mutants drawn at random: an estimate
    python tools/mutate.py report [--sample] [PATH ...]   # report on what the last runs found

Without PATH, `run` tests only the mutants no run has checked yet, over every module of [tool.mutmut]
only_mutate; with PATH it re-tests every mutant of those modules (the tests may have changed since);
with --survivors only the mutants that survived last time, with --resume only those not checked yet
(after an interrupted run). With --sample N it tests N mutants drawn at random (a fixed seed, so a
re-run after new tests draws the same ones) and reports the score over that sample with its 95% interval:
every mutant takes hours on two cores, a sample of a few hundred about half an hour. A surviving mutant
that does not matter is explained by one line in docs/mutation-survivors.txt; the report prints the others
with their diff.
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import json
import os
import random
import subprocess
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTANTS = ROOT / "mutants"
EXPLAINED = ROOT / "docs" / "mutation-survivors.txt"
SAMPLE = MUTANTS / "sample.txt"  # the names the last --sample run drew
TARGET = 80.0

# mutmut's exit codes per mutant (mutmut.stats.status_by_exit_code), folded into what the score needs.
KILLED = {1, 3}
SURVIVED = {0}
NO_TESTS = {5, 33}
TIMEOUT = {-24, 24, 152, 255, 36}
NOT_CHECKED = {None}


def only_mutate() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns: list[str] = config["tool"]["mutmut"]["only_mutate"]
    return patterns


def mutated_files() -> list[Path]:
    patterns = only_mutate()
    files = sorted(ROOT.glob("annotator/**/*.py"))
    rel = [f.relative_to(ROOT) for f in files]
    return [f for f in rel if any(fnmatch.fnmatch(str(f), p) for p in patterns) and f.name != "__init__.py"]


def select(paths: list[str]) -> list[Path]:
    """The mutated modules under the given files or folders; all of them without any."""
    files = mutated_files()
    if not paths:
        return files
    chosen: list[Path] = []
    for raw in paths:
        want = Path(raw.rstrip("/"))
        hits = [f for f in files if f == want or want in f.parents]
        if not hits:
            sys.exit(f"mutate: {raw} holds no mutated module (see [tool.mutmut] only_mutate in pyproject.toml)")
        chosen.extend(h for h in hits if h not in chosen)
    return chosen


def module_name(path: Path) -> str:
    return ".".join(path.with_suffix("").parts)


def exit_codes(path: Path) -> dict[str, int | None]:
    meta = MUTANTS / (str(path) + ".meta")
    if not meta.exists():
        return {}
    codes: dict[str, int | None] = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    return codes


@dataclass
class Explanations:
    """docs/mutation-survivors.txt: `<mutant> <digest of its diff> <reason>` a line, # for comments."""

    reasons: dict[str, tuple[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Explanations:
        found = cls()
        if not EXPLAINED.exists():
            return found
        for number, line in enumerate(EXPLAINED.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split(maxsplit=2)
            if len(parts) < 3:
                sys.exit(f"{EXPLAINED}:{number}: expected `<mutant> <digest> <reason>`")
            found.reasons[parts[0]] = (parts[1], parts[2])
        return found


def diff_of(name: str, path: Path) -> list[str]:
    """The changed lines of one mutant, from mutmut's own index of the mutated file."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    lines = get_diff_for_mutant(name, path=path).splitlines()
    return [line for line in lines[2:] if line[:1] in "+-"]


def source_of(mutant: str) -> Path:
    from mutmut.utils.format_utils import get_module_from_key, mangled_name_from_mutant_name

    return Path(*get_module_from_key(mangled_name_from_mutant_name(mutant)).split(".")).with_suffix(".py")


def digest(diff: list[str]) -> str:
    # The mutant's number moves when its function changes; the digest ties an explanation to the mutation itself.
    return hashlib.sha1("\n".join(diff).encode()).hexdigest()[:8]


def report(paths: list[Path], sample: set[str] | None = None) -> int:
    """Per-module figures, then every unexplained survivor with its diff; 1 when under the target.
    With `sample`, only those mutants count, and the score is given with its 95% interval."""
    explained = Explanations.load()
    totals: Counter[str] = Counter()
    unexplained: list[tuple[str, Path, list[str]]] = []
    stale: list[str] = []
    heads = {"mutants": 7, "checked": 7, "killed": 6, "surv.": 5, "no test": 7, "expl.": 5, "score": 6}
    print(f"{'module':44} " + " ".join(f"{head:>{width}}" for head, width in heads.items()))
    for path in paths:
        codes = exit_codes(path)
        counts: Counter[str] = Counter()
        for name, code in codes.items():
            if sample is not None and name not in sample:
                continue
            kind = classify(code)
            counts[kind] += 1
            if kind in {"survived", "no tests"}:
                diff = diff_of(name, path)
                known = explained.reasons.get(name)
                if known and known[0] == digest(diff):
                    counts["explained"] += 1
                else:
                    if known:
                        stale.append(name)
                    unexplained.append((name, path, diff))
        totals.update(counts)
        print(row(module_name(path), counts))
    print(row("all", totals))
    if sample is not None:
        low, high = wilson(totals["killed"], checked_count(totals) - totals["explained"])
        print(
            f"\nscore over a random sample of {checked_count(totals)} checked mutants: {score(totals):.1f}%"
            f" (95% interval {low:.1f}% to {high:.1f}%)"
        )
    for name, _path, diff in unexplained:
        print(f"\n{name}  (mutmut show {name})")
        print("\n".join("    " + line for line in diff))
    if stale:
        print(f"\n{len(stale)} explanations no longer match their mutant (the code changed): review them")
    if totals["not checked"]:
        print(f"\n{totals['not checked']} mutants not checked yet: run `make mutate` to finish")
    print(f"\n{len(unexplained)} unexplained survivors; explain one by a line in {EXPLAINED.relative_to(ROOT)}:")
    print("    <mutant> <digest> <reason>, or: .venv/bin/python tools/mutate.py explain REASON MUTANT...")
    return 0 if score(totals) >= TARGET else 1


def classify(code: int | None) -> str:
    if code in KILLED or code in TIMEOUT:
        return "killed"  # a timeout is a mutant that made a test loop: caught
    if code in SURVIVED:
        return "survived"
    if code in NO_TESTS:
        return "no tests"
    if code in NOT_CHECKED:
        return "not checked"
    return "other"  # suspicious or crashed: neither caught nor clean


def checked_count(counts: Counter[str]) -> int:
    return sum(counts[k] for k in ("killed", "survived", "no tests", "other"))


def score(counts: Counter[str]) -> float:
    """Killed among the checked mutants that could be killed: an explained survivor (a change that cannot
    matter, an equivalent mutant) is left out of the count, as the usual definition of the score does."""
    checked = checked_count(counts) - counts["explained"]
    return 100.0 * counts["killed"] / checked if checked > 0 else 0.0


def wilson(killed: int, checked: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson interval of a score measured on a sample, in percent (sound near 100%, unlike p ± 2σ)."""
    if not checked:
        return 0.0, 100.0
    p = killed / checked
    centre = (p + z * z / (2 * checked)) / (1 + z * z / checked)
    half = z * ((p * (1 - p) + z * z / (4 * checked)) / checked) ** 0.5 / (1 + z * z / checked)
    return 100.0 * (centre - half), 100.0 * (centre + half)


def draw_sample(paths: list[Path], size: int, seed: int = 14) -> list[str]:
    """`size` mutants drawn at random from the given modules, the same ones for the same code and seed."""
    every = sorted(n for p in paths for n in exit_codes(p))
    if not every:
        sys.exit("mutate: mutmut generated no mutants for these modules")
    chosen = random.Random(seed).sample(every, min(size, len(every)))
    SAMPLE.write_text("\n".join(sorted(chosen)) + "\n", encoding="utf-8")
    return chosen


def row(name: str, c: Counter[str]) -> str:
    checked = checked_count(c)
    figure = f"{score(c):5.1f}%" if checked else "     -"
    return (
        f"{name:44} {checked + c['not checked']:7} {checked:7} {c['killed']:6} {c['survived']:5} {c['no tests']:7}"
        f" {c['explained']:5} {figure}"
    )


def run(
    paths: list[Path],
    *,
    everything: bool,
    survivors: bool,
    resume: bool,
    children: int,
    sample: int = 0,
    seed: int = 14,
) -> None:
    names: list[str] = []
    if sample:
        if not any(exit_codes(p) for p in paths):
            # mutmut writes every module's mutants on its first run; the smallest module makes that run short.
            smallest = min(mutated_files(), key=lambda f: (ROOT / f).stat().st_size)
            run([smallest], everything=False, survivors=False, resume=False, children=children)
        names = draw_sample(paths, sample, seed)
    elif survivors or resume:
        wanted = {"survived", "no tests"} if survivors else {"not checked"}
        names = [n for p in paths for n, c in exit_codes(p).items() if classify(c) in wanted]
        if not names:
            print("mutate: nothing to test")
            return
    elif not everything:
        names = [module_name(p) + ".*" for p in paths]
    command = [str(Path(sys.executable).parent / "mutmut"), "run", "--max-children", str(children), *names]
    subprocess.run(command, cwd=ROOT, check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    run_parser = sub.add_parser("run", help="mutate and report")
    run_parser.add_argument("paths", nargs="*")
    run_parser.add_argument("--survivors", action="store_true", help="re-test only last run's survivors")
    run_parser.add_argument("--resume", action="store_true", help="test only mutants no run has checked yet")
    run_parser.add_argument("--children", type=int, default=2, help="mutants tested at once (default 2)")
    run_parser.add_argument("--sample", type=int, default=0, metavar="N", help="test N mutants drawn at random")
    run_parser.add_argument("--seed", type=int, default=14, help="which random sample (default 14)")
    report_parser = sub.add_parser("report", help="report on the last runs")
    report_parser.add_argument("paths", nargs="*")
    report_parser.add_argument("--sample", action="store_true", help="only the mutants the last --sample drew")
    digest_parser = sub.add_parser("digest", help="the digest of a mutant, for docs/mutation-survivors.txt")
    digest_parser.add_argument("mutant")
    explain_parser = sub.add_parser("explain", help="add surviving mutants that do not matter, with one reason")
    explain_parser.add_argument("reason")
    explain_parser.add_argument("mutants", nargs="+")
    args = parser.parse_args(argv)
    os.chdir(ROOT)  # mutmut reads mutants/ and pyproject.toml relative to the working directory

    if args.command == "digest":
        print(args.mutant, digest(diff_of(args.mutant, source_of(args.mutant))))
        return 0
    if args.command == "explain":
        with EXPLAINED.open("a", encoding="utf-8") as handle:
            for name in args.mutants:
                handle.write(f"{name} {digest(diff_of(name, source_of(name)))} {args.reason}\n")
        return 0
    paths = select(args.paths)
    if args.command == "run":
        run(
            paths,
            everything=not args.paths,
            survivors=args.survivors,
            resume=args.resume,
            children=args.children,
            sample=args.sample,
            seed=args.seed,
        )
    drawn = args.sample if args.command == "report" else bool(args.sample)
    sample = set(SAMPLE.read_text(encoding="utf-8").split()) if drawn and SAMPLE.exists() else None
    return report(paths, sample)


if __name__ == "__main__":
    sys.exit(main())
