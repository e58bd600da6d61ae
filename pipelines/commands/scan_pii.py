"""``xintai scan-pii``: scan every column of every table of a DuckDB file for PII.

    xintai scan-pii [--db FILE] [--names-file FILE]

Default database: ``$XINTAI_HOME/warehouse/published.duckdb``. Prints one line per hit
(``table.column: type, n rows, e.g. masked example``) and exits 1, or prints ``no PII found``
and exits 0. Exit 2 when the database cannot be opened. What counts as PII:
models/privacy/scan.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``scan-pii`` subcommand."""
    parser = subparsers.add_parser(
        "scan-pii",
        help="scan a DuckDB database for personal data and person keys (exit 1 if any)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--db",
        type=Path,
        metavar="FILE",
        help="DuckDB file (default: the published database under $XINTAI_HOME)",
    )
    parser.add_argument(
        "--names-file",
        type=Path,
        metavar="FILE",
        help="UTF-8 file of known personal names (one per line) to look for too",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import duckdb

    from models.privacy.scan import scan_database
    from pipelines.settings import home

    db = args.db or home().published_db
    names: list[str] = []
    if args.names_file:
        try:
            names = args.names_file.read_text(encoding="utf-8").split()
        except OSError as exc:
            print(
                f"xintai scan-pii: cannot read --names-file {args.names_file}: {exc}",
                file=sys.stderr,
            )
            return 2
    try:
        hits = scan_database(db, names)
    except FileNotFoundError:
        print(
            f"xintai scan-pii: no database at {db} (run `xintai run` first or pass --db)",
            file=sys.stderr,
        )
        return 2
    except duckdb.Error as exc:
        print(f"xintai scan-pii: cannot open {db}: {exc}", file=sys.stderr)
        return 2
    if not hits:
        print("no PII found")
        return 0
    for hit in hits:
        print(hit)
    return 1
