"""``xintai redact`` streams stdin to stdout (UTF-8, line by line, line endings kept)."""

from __future__ import annotations

import argparse
import io
import sys

from pipelines.commands import redact as redact_command


class _Stream:
    def __init__(self, data: bytes = b"") -> None:
        self.buffer = io.BytesIO(data)


def _run(monkeypatch, data: bytes, *argv: str) -> str:
    parser = argparse.ArgumentParser()
    redact_command.register(parser.add_subparsers())
    args = parser.parse_args(["redact", *argv])
    stdout = _Stream()
    monkeypatch.setattr(sys, "stdin", _Stream(data))
    monkeypatch.setattr(sys, "stdout", stdout)
    assert args.func(args) == 0
    return stdout.buffer.getvalue().decode("utf-8")


def test_redact_streams_lines(monkeypatch):
    text = "市民张三反映，电话13812345678\r\n张家界很美\n最后一行没有换行"
    out = _run(monkeypatch, text.encode("utf-8") + b"\xff")
    assert out == "市民〔姓名〕反映，电话〔电话〕\r\n张家界很美\n最后一行没有换行\ufffd"


def test_redact_known_names(monkeypatch, tmp_path):
    names = tmp_path / "names.txt"
    names.write_text("欧阳春\n", encoding="utf-8")
    out = _run(
        monkeypatch,
        "刘一手来过，欧阳春也来过\n".encode(),
        "--name",
        "刘一手",
        "--names-file",
        str(names),
    )
    assert out == "〔姓名〕来过，〔姓名〕也来过\n"
