"""``xintai redact``: stdin → stdout with personal data replaced by typed placeholders.

    echo "市民张三反映，电话13812345678" | xintai redact
    市民〔姓名〕反映，电话〔电话〕

Streams line by line in UTF-8 (invalid bytes are replaced, never fatal), flushing each line so
it can sit in a pipe. ``--name`` (repeatable) or ``--names-file`` add names known from the
record's structured fields. Rules and measured quality: models/privacy/redact.py.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``redact`` subcommand."""
    parser = subparsers.add_parser(
        "redact",
        help="redact PII (names, ID/phone/card numbers, addresses…) from text on stdin",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--name",
        action="append",
        default=[],
        metavar="NAME",
        help="a known personal name to redact wherever it occurs (repeatable)",
    )
    parser.add_argument(
        "--names-file", type=Path, metavar="FILE", help="UTF-8 file with one known name per line"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from models.privacy.redact import redact

    names = list(args.name or [])
    if args.names_file:
        try:
            names += args.names_file.read_text(encoding="utf-8").split()
        except OSError as exc:
            print(
                f"xintai redact: cannot read --names-file {args.names_file}: {exc}", file=sys.stderr
            )
            return 2
    stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace", newline="")
    stdout = io.TextIOWrapper(
        sys.stdout.buffer, encoding="utf-8", newline="", line_buffering=False, write_through=True
    )
    known = tuple(names) or None
    for line in stdin:
        body = line.rstrip("\r\n")
        stdout.write(redact(body, known) + line[len(body) :])
        stdout.flush()
    stdout.detach()  # leave sys.stdout usable (and closed by the interpreter, not by us)
    return 0
