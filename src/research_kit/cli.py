"""`research-kit` command line: a thin layer over the public API.

Exit status: 0 when every input was analysed; 1 when some inputs failed (each reported on one
line, the others still analysed); 2 for a usage error or, with `--strict`, the first failure;
130 for Ctrl-C (one line, nothing published after it: `interrupts`).
`analyze` runs on any engine (`--jobs N` processes, `--engine dask`) with the same output.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
import warnings
from collections.abc import Iterator, Sequence
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .errors import ResearchKitError
from .interrupts import check, handling, interrupts_deferred

if TYPE_CHECKING:
    from .clean import CleaningRules

# Each command imports what it uses when it runs: `research-kit reports` with nothing changed and
# `research-kit --help` must not pay for the analysis stack (textstat, NLTK, SciPy, pandas).
# So the option choices are spelt here; a test keeps them equal to the modules' own.
ENGINES = ("local", "dask")
"""`--engine` choices: `engines.ENGINES`."""
DUPLICATE_MODES = ("keep", "mark", "drop")
"""`--duplicates` choices: `duplicates.MODES`."""

PROG = "research-kit"


class _Failures:
    """Reports failed inputs as they happen and remembers whether there were any."""

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.count = 0

    def report(self, error: ResearchKitError) -> None:
        from .progress import say

        if self.strict:
            raise error
        self.count += 1
        say(f"{PROG}: error: {error}")


def _good_records(items: Iterator[Any], failures: _Failures) -> Iterator[dict[str, Any]]:
    for item in items:
        if isinstance(item, ResearchKitError):
            failures.report(item)
        else:
            yield item


def _rules(args: argparse.Namespace) -> CleaningRules:
    from .clean import load_overrides, load_rules

    if args.cleaning:
        return load_overrides(args.cleaning, args.rules)
    return load_rules(args.rules)


def _print_json(records: Iterator[dict[str, Any]]) -> int:
    """Print a JSON array as records arrive; it is closed even when the run stops early
    (`--strict`, an interrupt), so stdout is always valid JSON."""
    from .tables import record_json

    out = sys.stdout
    out.write("[")
    count = 0
    try:
        for count, record in enumerate(records, 1):
            text = ("\n" if count == 1 else ",\n") + record_json(record, indent=2)
            with interrupts_deferred():  # a record is printed whole or not at all
                out.write(text)
                out.flush()
    finally:
        out.write("\n]\n" if count else "]\n")
    return count


def _print_summary(records: Iterator[dict[str, Any]]) -> int:
    count = 0
    for record in records:
        count += 1
        words = len(record["body"].split())
        title = (record["title"] or "(no title)")[:70]
        print(
            f"{record['id']}\t{words} words\t{len(record['paragraphs'])} paragraphs\t"
            f"{len(record['removed'])} removed\t{title}"
        )
    return count


def cmd_analyze(args: argparse.Namespace) -> int:
    from .duplicates import mark_duplicates
    from .engines import analyze_corpus
    from .entities import load_aliases, relabel
    from .lexicon import load_lexicon
    from .progress import progress
    from .quotes import load_rules as load_quote_rules
    from .tables import check_output, write_records

    if args.out:
        check_output(args.out, args.paths)  # before anything is read or written
    failures = _Failures(args.strict)
    lexicon = load_lexicon(args.lexicon)
    aliases = load_aliases(args.aliases) if args.aliases else None
    items = analyze_corpus(
        args.paths, rules=_rules(args), lexicon=lexicon,
        text_column=args.text_column, engine=args.engine, jobs=args.jobs,
        scheduler=args.scheduler,
        quote_rules=load_quote_rules(args.speech_verbs, args.attribution),
    )
    # No bar while records are printed to the same terminal: the two would garble each other.
    quiet = args.quiet or (not args.out and sys.stdout.isatty())
    with closing(items):  # --strict may stop early: shut workers down here, not at exit
        records = _good_records(progress(items, desc="analyze", quiet=quiet), failures)
        if aliases is not None:
            records = relabel(records, lexicon, aliases)
        records = mark_duplicates(records, args.duplicates)
        if args.out:
            count = write_records(records, args.out, inputs=args.paths)
            if not args.quiet:
                print(f"wrote {count} article(s) to {args.out}", file=sys.stderr)
        elif args.json:
            count = _print_json(records)
        else:
            count = _print_summary(records)
    if count == 0 and not failures.count:
        raise ResearchKitError("no articles found", " ".join(map(str, args.paths)))
    return 1 if failures.count else 0


def cmd_kwic(args: argparse.Namespace) -> int:
    """Concordance of a lexicon concept or regex over the cleaned bodies, as TSV on stdout."""
    from .kwic import kwic
    from .lexicon import load_lexicon
    from .pipeline import iter_records

    failures = _Failures(args.strict)
    lexicon = load_lexicon(args.lexicon)
    records = _good_records(
        iter_records(args.paths, rules=_rules(args), lexicon=lexicon,
                     text_column=args.text_column),
        failures,
    )
    try:
        table = kwic({r["id"]: r["body"] for r in records}, args.pattern, window=args.window,
                     lexicon=lexicon)
    except re.error as exc:
        raise ResearchKitError(f"invalid pattern {args.pattern!r}: {exc}") from None
    columns = ["doc_id", "start", "end", "left", "match", "right"]
    # Contexts have their whitespace squashed, so tabs and newlines cannot occur in a field.
    print("\t".join(columns))
    for row in table[columns].itertuples(index=False):
        print("\t".join(str(value) for value in row))
    return 1 if failures.count else 0


def cmd_manifest(args: argparse.Namespace) -> int:
    from .load import manifest_lines

    folder = Path(args.folder)
    if not folder.is_dir():
        raise ResearchKitError("not a folder", str(folder))
    sys.stdout.write(manifest_lines(folder))
    return 0


def _run_and_tell(runs: list[Any], args: argparse.Namespace, root: Path) -> int:
    """Execute report runs (skipping unchanged ones) and say on stderr what became of each."""
    from .reports import run_reports

    out_dir = Path(args.out) if args.out else root / "reports"
    announce = (lambda message: None) if args.quiet else (
        lambda message: print(message, file=sys.stderr, flush=True)
    )
    results = run_reports(runs, out_dir, jobs=args.jobs, force=args.force, announce=announce)
    for result in results:
        if result.status == "failed":
            print(f"{PROG}: error: {result.error}", file=sys.stderr)
        elif not args.quiet:
            files = f" ({len(result.files)} files)" if result.files else ""
            print(f"{result.status}: {result.run.output}{files}", file=sys.stderr)
    return 1 if any(result.status == "failed" for result in results) else 0


def cmd_sample(args: argparse.Namespace) -> int:
    """Draw a validation sample and write its coding sheet and, separately, its key."""
    from .lexicon import load_lexicon
    from .pipeline import iter_records
    from .progress import say
    from .tables import check_output
    from .validation import draw_sample, key_path, load_codebook, write_key, write_sheet
    from .validation.sheets import check_sheet_path

    check_sheet_path(args.out, args.paths)
    key = Path(args.key) if args.key else key_path(args.out)
    check_output(key, [*args.paths, args.out], suffixes=(".json",))
    failures = _Failures(args.strict)
    lexicon = load_lexicon(args.lexicon)
    codebook = load_codebook(args.codebook, sides=[side.name for side in lexicon.sides])
    records = _good_records(
        iter_records(args.paths, rules=_rules(args), lexicon=lexicon,
                     text_column=args.text_column),
        failures,
    )
    sample = draw_sample(records, args.unit, args.n, args.seed, codebook, by=args.by)
    write_sheet(sample, args.out, unblind=args.unblind)
    write_key(sample, key)
    if len(sample.units) < args.n:
        say(f"{PROG}: note: only {sample.population} {args.unit} in the corpus; all are sampled")
    print(f"wrote {len(sample.units)} of {sample.population} {args.unit} to {args.out}; "
          f"key with the automatic codes: {key}", file=sys.stderr)
    return 1 if failures.count else 0


def cmd_agreement(args: argparse.Namespace) -> int:
    """Agreement between coders' sheets and, with the key, of the automatic codes."""
    import pandas as pd

    from .validation import validate

    if args.report and not args.out:
        raise ResearchKitError("--report needs --out FOLDER")
    result = validate(args.sheets, args.key, bootstrap=args.bootstrap, seed=args.seed)
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(result.reliability.drop(columns=["note"]).to_string(index=False))
        if not result.automatic.empty:
            print()
            print(result.automatic.to_string(index=False))
    if args.out:
        files = result.write(args.out)
        print(f"wrote {len(files)} files to {args.out}", file=sys.stderr)
    if args.report:
        from .validation.report import render_report

        run = render_report(args.sheets, args.key, Path(args.out), bootstrap=args.bootstrap,
                            seed=args.seed)
        if run.status == "failed":
            raise ResearchKitError(f"validation report failed: {run.error}")
        print(f"wrote {', '.join(sorted(run.files))} to {args.out}", file=sys.stderr)
    return 0

def cmd_reports(args: argparse.Namespace) -> int:
    from .reports import load_config, project_root

    root = project_root()
    config = Path(args.config) if args.config else root / "notebooks" / "reports.yml"
    return _run_and_tell(load_config(config), args, root)


def _parameter_value(text: str) -> Any:
    """A `-p` value as papermill reads one: a Python literal (3, True, None, ['a']) or a string."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def cmd_report(args: argparse.Namespace) -> int:
    from .reports import command_run, project_root

    parameters = {name: _parameter_value(value) for name, value in args.parameter or []}
    run = command_run(args.notebook, args.output, parameters)
    return _run_and_tell([run], args, project_root())


def _whole_number(minimum: int) -> Any:
    """An argparse type: a whole number of at least `minimum`, else a usage error."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise argparse.ArgumentTypeError(
                f"expected a whole number of at least {minimum}, not {text!r}"
            )
        return value

    return parse


_positive = _whole_number(1)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG, description="Clean news articles, measure their framing, regenerate reports."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    corpus_options = argparse.ArgumentParser(add_help=False)
    corpus_options.add_argument("--strict", action="store_true", help="stop at the first bad input")
    corpus_options.add_argument(
        "--rules", metavar="FILE", help="cleaning rules replacing the built-in ones"
    )
    corpus_options.add_argument(
        "--cleaning", metavar="FILE", help="corpus overrides of the cleaning rules"
    )
    corpus_options.add_argument(
        "--lexicon", metavar="FILE", help="framing lexicon (default: the shipped Karabakh one)"
    )
    corpus_options.add_argument(
        "--text-column", metavar="NAME", help="text column of .jsonl/.csv/.parquet input"
    )

    analyze = commands.add_parser(
        "analyze", parents=[corpus_options],
        help="analyse articles and print or write one record per article",
    )
    analyze.add_argument("paths", nargs="+", metavar="PATH", help="files or folders of articles")
    analyze.add_argument(
        "--aliases", metavar="FILE",
        help="speaker aliases (YAML: speakers: {entity: [names]}) correcting speaker_id merges",
    )
    analyze.add_argument(
        "--attribution", metavar="FILE",
        help="attribution word lists and settings replacing data/attribution.yml",
    )
    analyze.add_argument(
        "--speech-verbs", metavar="FILE", help="speech verbs replacing data/speech_verbs.yml"
    )
    target = analyze.add_mutually_exclusive_group()
    target.add_argument("--json", action="store_true", help="print a JSON array of records")
    target.add_argument(
        "--out", metavar="FILE", help="write records to FILE (.jsonl, .csv or .parquet)"
    )
    analyze.add_argument(
        "-j", "--jobs", type=_positive, default=1, metavar="N",
        help="worker processes (or workers of the default Dask cluster); default 1",
    )
    analyze.add_argument(
        "--duplicates", choices=DUPLICATE_MODES, default="keep",
        help="near-duplicate articles: keep (default, not looked for), mark (duplicate_group "
        "and duplicate_share) or drop the later copies",
    )
    analyze.add_argument(
        "--engine", choices=ENGINES, default="local",
        help="where articles are analysed: local processes (default) or a Dask cluster",
    )
    analyze.add_argument(
        "--scheduler", metavar="ADDRESS",
        help="Dask scheduler address (default with --engine dask: a new LocalCluster)",
    )
    analyze.add_argument("-q", "--quiet", action="store_true",
                         help="print nothing but results (no progress bar)")
    analyze.set_defaults(func=cmd_analyze)

    kwic_parser = commands.add_parser(
        "kwic", parents=[corpus_options],
        help="keyword in context: a lexicon concept or a regex, as TSV",
    )
    kwic_parser.add_argument("pattern", metavar="PATTERN",
                             help="a lexicon term (e.g. 'de facto') or a regular expression")
    kwic_parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    kwic_parser.add_argument("-w", "--window", type=_whole_number(0), default=6,
                             help="words of context on each side (default 6)")
    kwic_parser.set_defaults(func=cmd_kwic)

    report_options = argparse.ArgumentParser(add_help=False)
    report_options.add_argument("--out", metavar="FOLDER",
                                help="output folder (default: reports/ of the project)")
    report_options.add_argument("--force", action="store_true",
                                help="rerun even if nothing changed")
    report_options.add_argument("-q", "--quiet", action="store_true", help="print only errors")

    reports = commands.add_parser(
        "reports", parents=[report_options],
        help="regenerate the reports declared in notebooks/reports.yml",
    )
    reports.add_argument("--config", metavar="FILE", help="reports config (YAML)")
    reports.add_argument("-j", "--jobs", type=_positive, default=1, metavar="N",
                         help="runs to execute at once")
    reports.set_defaults(func=cmd_reports)

    sample = commands.add_parser(
        "sample", parents=[corpus_options],
        help="draw a random sample of quotes, terms or articles as a coding sheet for coders",
    )
    sample.add_argument("paths", nargs="+", metavar="PATH", help="files or folders of articles")
    sample.add_argument("--unit", choices=("quotes", "terms", "articles"), required=True,
                        help="what one row of the sheet is")
    sample.add_argument("-n", "--n", type=_positive, required=True, help="units to sample")
    sample.add_argument("--seed", type=int, required=True,
                        help="random seed (the same seed gives the same sample)")
    sample.add_argument("--by", metavar="COLUMN",
                        help="stratify by an article metadata column, e.g. outlet")
    sample.add_argument("--out", metavar="SHEET", required=True,
                        help="the coding sheet to write (.xlsx or .csv)")
    sample.add_argument("--key", metavar="FILE",
                        help="where to write the automatic codes (default: SHEET.key.json)")
    sample.add_argument("--codebook", metavar="FILE",
                        help="coded variables (default: the shipped codebook.yml)")
    sample.add_argument("--unblind", action="store_true",
                        help="show the automatic codes in the sheet (training, adjudication)")
    sample.set_defaults(func=cmd_sample)

    agreement = commands.add_parser(
        "agreement", help="Krippendorff's alpha between coders' sheets, and the automatic "
        "codes' accuracy against the coders' majority",
    )
    agreement.add_argument("sheets", nargs="+", metavar="SHEET",
                           help="one coded sheet per coder (.xlsx or .csv)")
    agreement.add_argument("--key", metavar="FILE",
                           help="the sample's key (needed for CSV sheets and the automatic codes)")
    agreement.add_argument("--out", metavar="FOLDER", help="write the tables (CSV) here")
    agreement.add_argument("--report", action="store_true",
                           help="also render the validation report (ipynb, HTML, PDF) into --out")
    agreement.add_argument("--bootstrap", type=_whole_number(0), default=1000,
                           help="bootstrap resamples for the intervals (default 1000)")
    agreement.add_argument("--seed", type=int, default=0,
                           help="bootstrap seed (default 0)")
    agreement.set_defaults(func=cmd_agreement)

    report = commands.add_parser(
        "report", parents=[report_options],
        help="run one report notebook with parameters (executed notebook, HTML, PDF, manifest)",
    )
    report.add_argument("notebook", metavar="NOTEBOOK", help="a report notebook (.ipynb)")
    report.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"),
                        help="a notebook parameter, as papermill -p takes it (repeatable)")
    report.add_argument("--output", required=True, metavar="NAME",
                        help="output name: NAME.ipynb, NAME.html, NAME.pdf and NAME/")
    report.set_defaults(func=cmd_report, jobs=1)

    manifest = commands.add_parser(
        "manifest", help="print a SHA256SUMS manifest for a folder (redirect it to a file)"
    )
    manifest.add_argument("folder", metavar="FOLDER")
    manifest.set_defaults(func=cmd_manifest)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; user errors become one line on stderr and a non-zero exit, not a traceback."""
    try:
        with handling():
            args = build_parser().parse_args(argv)
            status = args.func(args)
            check()  # an interrupt swallowed on its way up (a finalizer) is still one
            return status
    except ResearchKitError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        # The run is over: what its unwinding leaves behind, warned about as the exception is
        # dropped (a kernel start's coroutine never awaited), is not news to the user.
        warnings.simplefilter("ignore")
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: not an error of ours.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
