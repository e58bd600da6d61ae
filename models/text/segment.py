"""Chinese word segmentation for citizen messages, hotline notes and narratives.

jieba's dictionary and algorithm (DAG + max-probability path, HMM for unknown words), run by
``rjieba`` (jieba-rs bound to Python, ~18× faster than the Python package) with:

* the domain dictionary ``data/domain_dict.txt`` (信访, 纠纷, 心理健康 vocabulary) in jieba's
  ``word [freq] [tag]`` format;
* local place names added at run time (``Segmenter(extra_words=[...])``; the pipeline passes
  township and village names from ``admin_units``);
* stop words (``data/stopwords.txt``) and punctuation removed by :meth:`Segmenter.tokenize`.

rjieba has no ``load_userdict``; its ``Jieba`` class does have ``add_word(word, freq, tag)``
with jieba's semantics (a missing frequency means "just enough to keep the word whole"). A user
dictionary is therefore loaded line by line through ``add_word``, on a private ``Jieba()``
instance so that other users of the module-level default are unaffected. The same entries, in
the same order and with the same frequencies, are added to a private ``jieba.Tokenizer`` by
:func:`reference_tokenizer`, which the tests use to check that both agree.

A frequency in the file is a floor: ``max(freq, suggest_freq(word))``, so that a domain entry
never weakens a word the base dictionary already knows well (``抑郁``, ``失眠``).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from itertools import filterfalse
from pathlib import Path

import rjieba

from models.text.normalise import normalise_many

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).parent / "data"
DOMAIN_DICT = DATA_DIR / "domain_dict.txt"
STOPWORDS = DATA_DIR / "stopwords.txt"

# Frequency given to run-time extra words (place names) without one: enough to keep a 2–4
# character name whole against the split into common characters, not so much that it swallows
# neighbouring words.
EXTRA_WORD_FREQ = 1000
# Below this many documents tokenize_many stays in-process (process start-up costs ~0.3 s).
PARALLEL_MIN_DOCS = 50_000
# Distinct tokens whose filter verdict is remembered before the memory is reset.
MAX_SEEN_TOKENS = 2_000_000

# A token is kept only if it contains a letter, a digit, a Han character or an emoji/symbol;
# pure punctuation and whitespace go.
_CONTENT = re.compile(r"[\w\u2600-\u27bf\U0001f000-\U0001faff]")
_NUMBER = re.compile(r"^[\d.,%]+$")


class _Verdicts(dict):
    """token → whether the filter drops it, decided by ``rule`` when first looked up."""

    def __init__(self, rule) -> None:
        super().__init__()
        self.rule = rule

    def __missing__(self, token: str) -> bool:
        verdict = self[token] = self.rule(token)
        return verdict


@dataclass(frozen=True)
class DictEntry:
    """One user-dictionary line: word, optional frequency floor, optional part-of-speech tag."""

    word: str
    freq: int | None = None
    tag: str | None = None


def parse_dict_lines(lines: Iterable[str], source: str = "<lines>") -> list[DictEntry]:
    """Parse jieba user-dictionary lines (``word [freq] [tag]``); ``#`` starts a comment."""
    entries: list[DictEntry] = []
    for lineno, raw in enumerate(lines, start=1):
        line = raw.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        word, freq, tag = parts[0], None, None
        rest = parts[1:]
        if rest and rest[0].isdigit():
            freq = int(rest.pop(0))
        if rest:
            tag = rest.pop(0)
        if rest:
            raise ValueError(
                f"{source}:{lineno}: expected 'word [freq] [tag]', got {line!r}; "
                "words may not contain spaces"
            )
        entries.append(DictEntry(word, freq, tag))
    return entries


@lru_cache(maxsize=8)
def load_dict(path: Path = DOMAIN_DICT) -> tuple[DictEntry, ...]:
    """The entries of a jieba-format user dictionary file."""
    with open(path, encoding="utf-8") as fh:
        return tuple(parse_dict_lines(fh, source=str(path)))


@lru_cache(maxsize=8)
def load_stopwords(path: Path = STOPWORDS) -> frozenset[str]:
    """Stop words, one per line, ``#`` comments allowed."""
    with open(path, encoding="utf-8") as fh:
        return frozenset(w for w in (line.strip() for line in fh) if w and not w.startswith("#"))


def _entries(extra_words: Sequence[str], user_dict: Path | None) -> list[DictEntry]:
    entries = list(load_dict(user_dict)) if user_dict is not None else []
    entries.extend(DictEntry(w.strip(), EXTRA_WORD_FREQ, "ns") for w in extra_words if w.strip())
    return entries


class Segmenter:
    """rjieba with the domain dictionary, run-time extra words and stop words.

    Build one per process and reuse it: construction loads the base dictionary (~0.15 s).
    Input text should be normalised (:func:`models.text.normalise.normalise`); the batch API
    does that unless told the texts already are.
    """

    def __init__(
        self,
        extra_words: Sequence[str] = (),
        *,
        hmm: bool = True,
        user_dict: Path | None = DOMAIN_DICT,
        stopwords: Path | None = STOPWORDS,
    ) -> None:
        self.extra_words = tuple(extra_words)
        self.hmm = hmm
        self.user_dict = user_dict
        self.stopwords_path = stopwords
        self.stopwords = load_stopwords(stopwords) if stopwords is not None else frozenset()
        self._jieba = rjieba.Jieba()
        self.entries = _entries(self.extra_words, user_dict)
        keep = set()
        for e in self.entries:
            freq = max(e.freq or 0, self._jieba.suggest_freq(e.word))
            self._jieba.add_word(e.word, freq, e.tag)
            keep.add(e.word)
        # Numbers are dropped as tokens unless the dictionary names them (12345, 110).
        self._keep_numbers = frozenset(w for w in keep if _NUMBER.match(w))
        # The filter's verdict (True: drop) for every distinct token seen so far.
        self._verdicts = _Verdicts(lambda t: not self._keeps(t))

    def add_words(self, words: Iterable[str], freq: int | None = None) -> None:
        """Add words to this instance (frequency floor ``freq``, else just enough to keep each
        whole). Not carried into worker processes: pass extra words to the constructor for that.
        """
        for w in words:
            w = w.strip()
            if w:
                self._jieba.add_word(w, max(freq or 0, self._jieba.suggest_freq(w)), None)

    def __reduce__(self):
        # rjieba objects cannot be pickled; rebuild from the configuration in the worker.
        return (
            _rebuild,
            (self.extra_words, self.hmm, self.user_dict, self.stopwords_path),
        )

    def cut(self, text: str) -> list[str]:
        """All tokens of one (normalised) text, punctuation and whitespace included."""
        return self._jieba.cut(text, self.hmm)

    def cut_many(self, texts: Iterable[str]) -> list[list[str]]:
        """Raw tokens per text (for emotion scoring, which needs negations and punctuation)."""
        cut, hmm = self._jieba.cut, self.hmm
        return [cut(t, hmm) for t in texts]

    def _keeps(self, t: str) -> bool:
        """The filter's rule for one token (the reference the fast path must agree with)."""
        return (
            t not in self.stopwords
            and _CONTENT.search(t) is not None
            and (not _NUMBER.match(t) or t in self._keep_numbers)
            and not t.isspace()
        )

    def filter_tokens(self, tokens: Iterable[str]) -> list[str]:
        """Drop stop words, punctuation, whitespace and bare numbers."""
        self._bound_memory()
        return list(filterfalse(self._verdicts.__getitem__, tokens))

    def tokenize(self, text: str) -> list[str]:
        """Content tokens of one normalised text."""
        return self.filter_tokens(self._jieba.cut(text, self.hmm))

    def _tokenize_chunk(self, texts: Sequence[str]) -> list[list[str]]:
        """Content tokens per text. The filter runs on each text's tokens as they come out of
        rjieba (still in the CPU cache) and costs one dict lookup per token, in C
        (``filterfalse`` over the verdicts' ``__getitem__``); :meth:`_keeps` runs once per
        distinct token, when the verdicts first miss it."""
        self._bound_memory()
        cut, hmm, dropped = self._jieba.cut, self.hmm, self._verdicts.__getitem__
        return [list(filterfalse(dropped, cut(text, hmm))) for text in texts]

    def _bound_memory(self) -> None:
        if len(self._verdicts) > MAX_SEEN_TOKENS:  # endless streams of new tokens
            self._verdicts.clear()

    def tokenize_many(
        self,
        texts: Iterable[object],
        *,
        normalised: bool = False,
        workers: int | None = None,
        chunk_size: int = 20_000,
    ) -> list[list[str]]:
        """Content tokens per text, in input order.

        ``workers=None`` uses every CPU when there are at least ``PARALLEL_MIN_DOCS`` texts and
        at least 4 CPUs, and stays in-process otherwise; ``workers=1`` never starts processes.
        """
        docs = list(texts) if normalised else normalise_many(texts)
        docs = [d if isinstance(d, str) else "" for d in docs]
        if workers is None:
            cpus = os.cpu_count() or 1
            # On a 2-CPU box the pickling cost eats the gain (measured), so stay in-process.
            workers = cpus if len(docs) >= PARALLEL_MIN_DOCS and cpus >= 4 else 1
        if workers <= 1 or len(docs) <= chunk_size:
            return self._tokenize_chunk(docs)
        chunks = [docs[i : i + chunk_size] for i in range(0, len(docs), chunk_size)]
        log.debug("tokenising %d texts in %d chunks on %d workers", len(docs), len(chunks), workers)
        with ProcessPoolExecutor(
            max_workers=workers, initializer=_init_worker, initargs=(self,)
        ) as pool:
            out: list[list[str]] = []
            for part in pool.map(_tokenize_in_worker, chunks):
                out.extend(part)
        return out


def _rebuild(extra_words, hmm, user_dict, stopwords) -> Segmenter:
    return Segmenter(extra_words, hmm=hmm, user_dict=user_dict, stopwords=stopwords)


_WORKER: Segmenter | None = None


def _init_worker(segmenter: Segmenter) -> None:
    global _WORKER
    _WORKER = segmenter


def _tokenize_in_worker(chunk: Sequence[str]) -> list[list[str]]:
    assert _WORKER is not None, "worker not initialised"
    return _WORKER._tokenize_chunk(chunk)


@lru_cache(maxsize=4)
def default_segmenter(extra_words: tuple[str, ...] = ()) -> Segmenter:
    """A shared Segmenter per set of extra words (built once per process)."""
    return Segmenter(extra_words)


def tokenize_many(
    texts: Iterable[object], extra_words: Sequence[str] = (), **kwargs
) -> list[list[str]]:
    """Content tokens per text with the default dictionaries (see Segmenter.tokenize_many)."""
    return default_segmenter(tuple(extra_words)).tokenize_many(texts, **kwargs)


def reference_tokenizer(extra_words: Sequence[str] = (), *, user_dict: Path | None = DOMAIN_DICT):
    """A private Python ``jieba.Tokenizer`` with exactly the Segmenter's dictionary entries.

    Reference implementation for tests and benchmarks (slow; not used by the pipeline).
    """
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    for e in _entries(extra_words, user_dict):
        freq = max(e.freq or 0, tok.suggest_freq(e.word, False))
        tok.add_word(e.word, freq, e.tag)
    return tok
