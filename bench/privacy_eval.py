"""Precision and recall of the privacy guard per kind on the hand-labelled sentences in tests/data/.

Run from the repository root:

    .venv/bin/python bench/privacy_eval.py                  # every split, the whole first set, the time per 4,000 chars
    .venv/bin/python bench/privacy_eval.py --split holdout  # only those never looked at while tuning
    .venv/bin/python bench/privacy_eval.py --split tuning --errors   # also list every miss and false alarm

The splits: tuning, holdout and late (privacy_labelled.jsonl, written by the guard's authors), disclosure-dev
(privacy_disclosure_dev.jsonl, written and tuned on for issue 18), disclosure-dev2 (privacy_disclosure_dev2.jsonl, a
second development set written blind for issue 18, scored once before it was tuned on) and disclosure
(privacy_disclosure_heldout.jsonl, written for issue 18 by someone who never saw the lexicon or the patterns, and
never tuned on). ``--errors`` lists the held-out split's sentences only when it is asked for by name: reading them
would be tuning on them.

Identifiers (identity_code, phone, email) are scored on exact spans: a finding counts only with the labelled
start and end. Health spans are scored on overlap (a word of a multi-word term is enough), because where a
term begins and ends is a matter of taste (kaksisuuntainen mielialahäiriö); the exact-span figure is printed too.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from domain.privacy_detectors import Kind, check_text

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "privacy_labelled.jsonl"
DISCLOSURE_DEV = DATA.with_name("privacy_disclosure_dev.jsonl")
DISCLOSURE_DEV2 = DATA.with_name("privacy_disclosure_dev2.jsonl")
DISCLOSURE_HELDOUT = DATA.with_name("privacy_disclosure_heldout.jsonl")
# Each split and the file that holds it.
SPLITS = {
    "tuning": DATA,
    "holdout": DATA,
    "late": DATA,
    "disclosure-dev": DISCLOSURE_DEV,
    "disclosure-dev2": DISCLOSURE_DEV2,
    "disclosure": DISCLOSURE_HELDOUT,
}
NOTE_CHARS = 4000
IDENTIFIERS = (Kind.IDENTITY_CODE, Kind.PHONE, Kind.EMAIL)
Span = tuple[int, int]


@dataclass
class Score:
    labelled: int = 0  # n: labelled spans of this kind
    found: int = 0  # findings of this kind
    hits: int = 0  # findings that match a label
    recalled: int = 0  # labels that a finding matches
    exact: int = 0  # findings with exactly the labelled span
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.hits / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.recalled / self.labelled if self.labelled else 1.0

    def add(self, other: Score) -> None:
        for name in ("labelled", "found", "hits", "recalled", "exact"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def load(path: Path = DATA, *, split: str | None = None) -> list[dict[str, object]]:
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in records if "text" in r and (split is None or r["split"] == split)]


def _match(kind: Kind, found: Span, label: Span) -> bool:
    if kind is Kind.HEALTH:
        return found[0] < label[1] and label[0] < found[1]
    return found == label


def score(records: list[dict[str, object]]) -> dict[Kind, Score]:
    scores = {kind: Score() for kind in Kind}
    for record in records:
        text = str(record["text"])
        labels = record["spans"]
        assert isinstance(labels, list)
        findings = check_text(text)
        for kind, s in scores.items():
            want = [(int(x["start"]), int(x["end"])) for x in labels if x["kind"] == kind.value]
            got = [(f.start, f.end) for f in findings if f.kind is kind]
            s.labelled += len(want)
            s.found += len(got)
            s.exact += sum(1 for g in got if g in want)
            for g in got:
                if any(_match(kind, g, w) for w in want):
                    s.hits += 1
                else:
                    s.false_alarms.append(f"#{record['id']}: {text[g[0] : g[1]]!r} in {text!r}")
            for w in want:
                if any(_match(kind, g, w) for g in got):
                    s.recalled += 1
                else:
                    s.misses.append(f"#{record['id']}: {text[w[0] : w[1]]!r} in {text!r}")
    return scores


def totals(scores: dict[Kind, Score], kinds: tuple[Kind, ...]) -> Score:
    total = Score()
    for kind in kinds:
        total.add(scores[kind])
    return total


def report(scores: dict[Kind, Score], *, sentences: int) -> str:
    lines = [f"{sentences} sentences", f"{'kind':<15}{'n':>5}{'found':>7}{'precision':>11}{'recall':>8}{'exact':>7}"]

    def row(name: str, s: Score) -> str:
        return f"{name:<15}{s.labelled:>5}{s.found:>7}{s.precision:>11.3f}{s.recall:>8.3f}{s.exact:>7}"

    lines += [row(kind.value, s) for kind, s in scores.items()]
    lines.append(row("identifiers", totals(scores, IDENTIFIERS)))
    lines.append(row("all", totals(scores, tuple(Kind))))
    return "\n".join(lines)


def load_split(split: str) -> list[dict[str, object]]:
    """The sentences of one split, from whichever file holds it."""
    return load(SPLITS[split], split=split)


def note(records: list[dict[str, object]], chars: int = NOTE_CHARS) -> str:
    """A note of ``chars`` characters made of different labelled sentences, for timing."""
    texts, size = [], 0
    while size < chars:
        for record in records:
            texts.append(str(record["text"]))
            size += len(texts[-1]) + 1
            if size >= chars:
                break
    return " ".join(texts)[:chars]


def time_per_note(text: str, *, rounds: int = 50) -> float:
    """The median time in milliseconds of checking ``text`` (after one warm-up check)."""
    check_text(text)
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        check_text(text)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _errors(scores: dict[Kind, Score]) -> None:
    for kind, s in scores.items():
        for line in s.misses:
            print(f"MISS  {kind.value}: {line}")
        for line in s.false_alarms:
            print(f"FALSE {kind.value}: {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=tuple(SPLITS), help="Only this part of the set.")
    parser.add_argument("--errors", action="store_true", help="List every miss and false alarm.")
    args = parser.parse_args()
    if args.split:
        scores = score(records := load_split(args.split))
        print(report(scores, sentences=len(records)))
        if args.errors:
            _errors(scores)
        return
    for split, path in SPLITS.items():
        if not path.exists():
            print(f"\n== {split}: {path.name} is missing")
            continue
        records = load_split(split)
        print(f"\n== {split} ({path.name})")
        print(report(score(records), sentences=len(records)))
    records = load()
    scores = score(records)
    print(f"\n== all of {DATA.name}")
    print(report(scores, sentences=len(records)))
    if args.errors:  # the first set only: the held-out split's sentences are listed only when asked for by name
        _errors(scores)
    text = note(records + load_split("disclosure-dev"))
    print(f"\nchecking a note of {len(text)} characters: {time_per_note(text):.2f} ms (median of 50)")


if __name__ == "__main__":
    main()
