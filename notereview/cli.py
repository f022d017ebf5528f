"""The `notereview` command line: each command parses options and calls a plain function."""
from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=False,
    help="Check whether physical and occupational therapy notes support CPT 97112 (neuromuscular re-education).",
)


class OutputFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    html = "html"
    json = "json"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    never = "never"


class Payer(str, Enum):
    cms = "cms"
    ama = "ama"


def fail(message: str, code: int = 2) -> None:
    """Print one line to stderr and exit: no traceback for a user's mistake."""
    typer.echo(f"notereview: {message}", err=True)
    raise typer.Exit(code)


@app.command("review")
def review_command(
    path: Optional[str] = typer.Argument(None, help="The note file; '-' or nothing reads standard input."),
    format: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f", help="Output format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file instead of standard output."),
    fail_on: FailOn = typer.Option(FailOn.never, "--fail-on", help="Exit 1 when a gap of this severity or worse is found."),
    payer: Payer = typer.Option(Payer.cms, "--payer", help="Unit counting: cms (8-minute rule) or ama (per code)."),
    max_chars: int = typer.Option(200_000, "--max-chars", help="Refuse notes longer than this many characters."),
) -> None:
    """Review one note and print feedback a therapist can act on."""
    from .inputs import InputError, read_note

    if path in (None, "-") and sys.stdin.isatty():
        typer.echo("Paste the note, then press Ctrl-D (Ctrl-Z Enter on Windows):", err=True)
    try:
        note = read_note(path, max_chars=max_chars)
    except InputError as error:
        fail(str(error))
    code = run_review(note.text, source=note.name, fmt=format.value, output=output, fail_on=fail_on.value,
                      payer=payer.value, warnings=note.warnings)
    raise typer.Exit(code)


def run_review(text: str, *, source: str, fmt: str = "text", output: Path | None = None,
               fail_on: str = "never", payer: str = "cms", warnings: tuple[str, ...] = ()) -> int:
    """Review a note's text and write the rendering; return the exit code `--fail-on` asks for."""
    from .classifier import ModelError
    from .render import render
    from .results import SEVERITY_ORDER
    from .engine import review

    for warning in warnings:
        typer.echo(f"notereview: warning: {warning}", err=True)
    try:
        result = review(text, id=source, payer=payer)
    except ModelError as error:
        fail(str(error))
    rendered = render(result, fmt, source=source)
    if output:
        output.write_text(rendered, encoding="utf-8")
    else:
        sys.stdout.write(rendered)
    worst = result.worst_severity()
    if fail_on != "never" and worst is not None and SEVERITY_ORDER[worst] >= SEVERITY_ORDER[fail_on]:
        return 1
    return 0


@app.command("batch")
def batch_command(
    inputs: list[str] = typer.Argument(..., help="Folders of .txt notes, .jsonl or .csv files, or '-' for JSON Lines on stdin."),
    output: list[Path] = typer.Option([], "--output", "-o",
                                      help="Output file; the extension picks the format (.jsonl, .csv, .html). Repeatable."),
    payer: Payer = typer.Option(Payer.cms, "--payer", help="Unit counting: cms (8-minute rule) or ama (per code)."),
    workers: int = typer.Option(0, "--workers", "-w", help="Processes to use (default: the machine's cores)."),
    id_column: str = typer.Option("id", "--id-column", help="CSV column holding the note id."),
    text_column: str = typer.Option("text", "--text-column", help="CSV column holding the note text."),
    group_by: Optional[str] = typer.Option(None, "--group-by", help="Kept field to break the HTML summary down by."),
    resume: bool = typer.Option(False, "--resume", help="Skip the ids already in the .jsonl output and append."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no summary line."),
    max_chars: int = typer.Option(200_000, "--max-chars", help="Refuse notes longer than this many characters."),
    engine: str = typer.Option("local", "--engine", help="'local' (process pool) or 'spark' (pip install notereview[spark])."),
    spark_format: str = typer.Option("parquet", "--spark-format", help="With --engine spark: parquet or jsonl output."),
    spark_master: Optional[str] = typer.Option(None, "--spark-master", help="With --engine spark: e.g. local[2]."),
) -> None:
    """Review many notes: one JSON line per input (or an error line), plus CSV and an HTML summary."""
    if engine == "spark":
        run_spark_command(inputs, output, payer=payer.value, id_column=id_column, text_column=text_column,
                          spark_format=spark_format, spark_master=spark_master, max_chars=max_chars, quiet=quiet)
        return
    if engine != "local":
        fail(f"unknown --engine {engine!r}: use local or spark")
    from .batch import run_batch
    from .classifier import ModelError, shipped_model
    from .inputs import InputError

    try:
        shipped_model()  # a broken model is one clear error, not one per row
        counts, manifest = run_batch(
            inputs, output, payer=payer.value, workers=workers or None, id_column=id_column,
            text_column=text_column, group_by=group_by, resume=resume, quiet=quiet, max_chars=max_chars,
            warn=lambda m: typer.echo(f"notereview: warning: {m}", err=True),
        )
    except (InputError, ModelError) as error:
        fail(str(error))
    if not quiet:
        typer.echo(
            f"notereview: {counts.rows} notes written ({counts.errors} could not be reviewed"
            + (f", {counts.skipped} already done" if counts.skipped else "")
            + (f"; {counts.errors_before} earlier rows are errors" if counts.errors_before else "")
            + f") in {manifest['seconds']:.1f} s; {counts.claims_97112} claim 97112, "
            f"{counts.strengthening} read as strengthening, {counts.needs_review} need review",
            err=True,
        )
    raise typer.Exit(1 if counts.errors or counts.errors_before else 0)


def run_spark_command(inputs: list[str], output: list[Path], *, payer: str, id_column: str, text_column: str,
                      spark_format: str, spark_master: str | None, max_chars: int, quiet: bool) -> None:
    """`batch --engine spark`: one output folder of Parquet or JSON Lines."""
    if len(output) != 1:
        fail("--engine spark writes one output folder: give exactly one --output DIR")
    if spark_format not in ("parquet", "jsonl"):
        fail(f"unknown --spark-format {spark_format!r}: use parquet or jsonl")
    try:
        from .spark import run_spark_batch
    except ImportError:
        fail("--engine spark needs pyspark: pip install 'notereview[spark]'")
    rows = run_spark_batch(inputs, str(output[0]), fmt=spark_format, text_col=text_column, id_col=id_column,
                           payer=payer, master=spark_master, max_chars=max_chars)
    if not quiet:
        typer.echo(f"notereview: {rows} rows written to {output[0]} ({spark_format})", err=True)


@app.command("serve")
def serve_command(
    host: str = typer.Option("127.0.0.1", help="Address to listen on. Keep the default unless you know why not."),
    port: int = typer.Option(8000, help="Port to listen on."),
    max_bytes: int = typer.Option(2_000_000, "--max-bytes", help="Refuse requests larger than this (413)."),
) -> None:
    """A local web page: paste a note, press Review, see the feedback on the note itself."""
    import uvicorn

    from .server import create_app, is_loopback

    if not is_loopback(host):
        typer.echo(f"notereview: warning: listening on {host}: other machines can reach this page and send notes "
                   "to it; notes are health records, so do this only on a trusted network.", err=True)
    typer.echo(f"notereview: open http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    # access_log off: a request line carries no note text, but nothing about a note needs logging
    uvicorn.run(create_app(max_bytes=max_bytes), host=host, port=port, access_log=False, log_level="warning")


@app.command("train")
def train_command(
    corpus: Path = typer.Option(Path("corpora/classifier/hand"), help="Folder of labelled JSONL notes."),
    output: Optional[Path] = typer.Option(None, help="Model file to write (default: the packaged model)."),
    seed: int = typer.Option(0, help="Random seed for cross-validation and the model."),
) -> None:
    """Rebuild the 97112 classifier from the labelled corpus (reproducible with a fixed seed)."""
    from .training import train

    card = train(corpus_dir=corpus, output=output, seed=seed, progress=lambda m: typer.echo(m, err=True))
    metrics = card["metrics"]
    typer.echo(
        f"trained on {card['corpus']['notes']} notes; 5-fold CV macro-F1 {metrics['cv']['macro_f1']:.3f}, "
        f"ECE {metrics['cv']['ece']:.3f}; wrote {card['path']}"
    )


@app.command("train-mention-check")
def train_mention_check_command(
    dev: Path = typer.Option(Path("corpora/extraction/dev"), help="Folder of annotated development notes."),
    output: Optional[Path] = typer.Option(None, help="File to write (default: the packaged mention check)."),
) -> None:
    """Rebuild the mention check (which technique and intervention matches count in context) from the development part."""
    from .mention_training import train_mention_check

    card = train_mention_check(dev, output=output, progress=lambda m: typer.echo(m, err=True))
    for mention_type, figures in card["types"].items():
        chosen = next(s for s in figures["cv_by_file"] if s["threshold"] == figures["threshold"])
        unchecked = figures["cv_by_file"][0]
        typer.echo(f"{mention_type}: {figures['matches']} matches; F1 by file-grouped CV {unchecked['f1']:.3f} "
                   f"unchecked -> {chosen['f1']:.3f} at threshold {figures['threshold']}")
    typer.echo(f"trained on {card['corpus']['files']} files; wrote {card['path']}")


evaluate_app = typer.Typer(help="Measure the classifier or the extraction on held-out text.")
app.add_typer(evaluate_app, name="evaluate")


@evaluate_app.command("classifier")
def evaluate_classifier_command(
    corpus: Path = typer.Option(Path("corpora/classifier/hand"), help="Folder of labelled JSONL notes."),
    seed: int = typer.Option(0, help="Random seed."),
    heldout: Optional[Path] = typer.Option(Path("corpora/heldout/classifier"),
                                           help="Notes by other writers to test on after training on the corpus."),
    json_output: Optional[Path] = typer.Option(None, "--json", help="Also write the figures as JSON."),
) -> None:
    """Stratified 5-fold and leave-one-style-out figures: accuracy, macro-F1, Brier, ECE, confusion."""
    import json

    from .training import evaluate_classifier, evaluate_heldout, format_report

    report = evaluate_classifier(corpus_dir=corpus, seed=seed, progress=lambda m: typer.echo(m, err=True))
    if heldout and heldout.exists():
        typer.echo("held-out notes ...", err=True)
        report["heldout"] = evaluate_heldout(corpus, heldout, seed=seed)
    typer.echo(format_report(report))
    if json_output:
        json_output.write_text(json.dumps(report, indent=2) + "\n")


@evaluate_app.command("extraction")
def evaluate_extraction_command(
    corpus: Path = typer.Option(Path("corpora/extraction"), help="Folder with dev/ and test/ annotated notes."),
    split: str = typer.Option("test", help="'test' (the frozen part) or 'dev'."),
    misses: bool = typer.Option(False, "--misses", help="List missed gold techniques and deficits (dev only)."),
    json_output: Optional[Path] = typer.Option(None, "--json", help="Also write the figures as JSON."),
) -> None:
    """Precision, recall and F1 per mention type, flag accuracy, and exact rates for minutes and units."""
    import json

    from .evaluation import evaluate_extraction, format_extraction_report

    if misses and split == "test":
        fail("--misses lists the notes themselves; it is for the dev part only (the test part stays unread)")
    report = evaluate_extraction(corpus, split)
    typer.echo(format_extraction_report(report, show_misses=misses))
    if json_output:
        json_output.write_text(json.dumps({k: v for k, v in report.items() if k != "misses"}, indent=2) + "\n")


def main() -> None:
    """Console entry point."""
    app()


if __name__ == "__main__":
    main()
