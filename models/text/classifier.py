"""Category classifier for citizen messages (12345 / 信访 first-level classes).

TF-IDF over words (from :mod:`models.text.segment`) and character 1–3-grams, a linear SVM,
wrapped in ``CalibratedClassifierCV`` so that ``predict_proba`` gives calibrated probabilities
(summing to 1) that the pipeline can threshold or average. Trainable on any labelled CSV with
columns ``text,label``; nothing is tied to a particular generator's wording — character n-grams
make it robust to unseen words and to segmentation errors, and every text is normalised first
(full-width, traditional characters, pinyin annotations).

The default taxonomy (``data/taxonomy.yaml``) documents the classes; a model may be trained on
other labels, which are then reported in its model card.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import scipy.sparse as sp
import yaml
from pydantic import BaseModel
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, classification_report, f1_score
from sklearn.svm import LinearSVC

from models.text.normalise import normalise_many, strip_placeholders
from models.text.segment import tokenize_many

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).parent / "data"
TAXONOMY = DATA_DIR / "taxonomy.yaml"
ARTEFACT = "model.joblib"
MODEL_CARD = "model_card.md"


class TaxonomyClass(BaseModel):
    name: str
    description: str
    keywords: list[str]


class Taxonomy(BaseModel):
    version: str
    classes: list[TaxonomyClass]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.classes]


def load_taxonomy(path: Path = TAXONOMY) -> Taxonomy:
    """The category taxonomy, validated."""
    with open(path, encoding="utf-8") as fh:
        return Taxonomy.model_validate(yaml.safe_load(fh))


def _identity(x):
    return x


@dataclass
class CategoryModel:
    """Fitted vectorisers + calibrated linear classifier; ``classes_`` orders probabilities."""

    word_vectorizer: TfidfVectorizer
    char_vectorizer: TfidfVectorizer
    classifier: CalibratedClassifierCV
    classes_: np.ndarray
    trained_on: dict = field(default_factory=dict)
    metrics: dict = field(default_factory=dict)

    def _features(
        self, texts: Iterable[object], *, normalised: bool = False, tokens=None
    ) -> sp.csr_matrix:
        docs = list(texts) if normalised else normalise_many(texts)
        if tokens is None:
            tokens = tokenize_many(strip_placeholders(docs), normalised=True)
        return sp.hstack(
            [self.word_vectorizer.transform(tokens), self.char_vectorizer.transform(docs)],
            format="csr",
        )

    def predict_proba(self, texts: Iterable[object]) -> np.ndarray:
        """(n, k) calibrated probabilities, columns in ``classes_`` order; rows sum to 1."""
        p = self.classifier.predict_proba(self._features(texts))
        return p / p.sum(axis=1, keepdims=True)

    def predict_proba_normalised(
        self, docs: Sequence[str], tokens: Sequence[Sequence[str]] | None = None
    ) -> np.ndarray:
        """As :meth:`predict_proba` for already normalised texts, optionally with their tokens
        (``tokenize_many(strip_placeholders(docs), normalised=True)``) to avoid segmenting twice."""
        p = self.classifier.predict_proba(self._features(docs, normalised=True, tokens=tokens))
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, texts: Iterable[object]) -> np.ndarray:
        return self.classes_[self.predict_proba(texts).argmax(axis=1)]

    def save(self, directory: Path, *, data_note: str = "", limits: str = "") -> Path:
        """Write ``model.joblib`` and ``model_card.md`` into ``directory``."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        joblib.dump(self, directory / ARTEFACT, compress=3)
        (directory / MODEL_CARD).write_text(
            model_card(self, data_note=data_note, limits=limits), encoding="utf-8"
        )
        return directory

    @staticmethod
    def load(directory: Path) -> CategoryModel:
        path = Path(directory) / ARTEFACT
        if not path.exists():
            raise FileNotFoundError(f"no category model at {path}; train one with train()")
        model = joblib.load(path)
        if not isinstance(model, CategoryModel):
            raise TypeError(f"{path} does not hold a CategoryModel")
        return model


def train(
    texts: Sequence[object],
    labels: Sequence[str],
    *,
    C: float = 0.5,
    max_word_features: int = 40_000,
    max_char_features: int = 120_000,
    random_state: int = 0,
) -> CategoryModel:
    """Fit a calibrated TF-IDF + linear SVM model on ``texts`` with ``labels``.

    Deterministic: same texts and labels give the same model (fixed ``random_state``,
    unshuffled stratified calibration folds, no clock in the artefact). One SVM is fitted on
    all the data and its sigmoid calibration on cross-validated decision values
    (``ensemble=False``), which keeps the artefact one coefficient matrix wide; features are
    capped (``max_*_features``) and the vectorisers' pruned-term lists dropped, so a model
    trained on tens of thousands of messages stays a few MB.
    """
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
    y = np.asarray([str(v) for v in labels])
    classes, counts = np.unique(y, return_counts=True)
    if len(classes) < 2:
        raise ValueError(f"need at least 2 classes to train, got {list(classes)}")
    if counts.min() < 2:
        rare = [str(c) for c, n in zip(classes, counts, strict=True) if n < 2]
        raise ValueError(f"classes with fewer than 2 examples cannot be calibrated: {rare}")
    docs = normalise_many(texts)
    tokens = tokenize_many(strip_placeholders(docs), normalised=True)
    word_vec = TfidfVectorizer(
        analyzer=_identity,
        min_df=2 if len(docs) >= 200 else 1,
        sublinear_tf=True,
        max_features=max_word_features,
        dtype=np.float32,
    )
    char_vec = TfidfVectorizer(
        analyzer="char",
        ngram_range=(1, 3),
        min_df=2 if len(docs) >= 200 else 1,
        sublinear_tf=True,
        max_features=max_char_features,
        dtype=np.float32,
    )
    X = sp.hstack([word_vec.fit_transform(tokens), char_vec.fit_transform(docs)], format="csr")
    for vec in (word_vec, char_vec):
        vec.stop_words_ = None  # pruned terms: only needed for introspection, large to pickle
    cv = int(min(5, counts.min()))
    clf = CalibratedClassifierCV(
        LinearSVC(C=C, class_weight="balanced", random_state=random_state),
        method="sigmoid",
        cv=cv,
        ensemble=False,
    )
    clf.fit(X, y)
    return CategoryModel(
        word_vectorizer=word_vec,
        char_vectorizer=char_vec,
        classifier=clf,
        classes_=clf.classes_,
        trained_on={
            "n_train": len(docs),
            "class_counts": {str(c): int(n) for c, n in zip(classes, counts, strict=True)},
            "data_sha256": _fingerprint(docs, y),
            "n_features": int(X.shape[1]),
            "C": C,
            "calibration_cv": cv,
        },
    )


def _fingerprint(docs: Sequence[str], labels: np.ndarray) -> str:
    h = hashlib.sha256()
    for d, lab in zip(docs, labels, strict=True):
        h.update(d.encode("utf-8") + b"\x1f" + str(lab).encode("utf-8") + b"\x1e")
    return h.hexdigest()


def evaluate(model: CategoryModel, texts: Sequence[object], labels: Sequence[str]) -> dict:
    """Macro-F1, accuracy and per-class report on a labelled test set."""
    y = np.asarray([str(v) for v in labels])
    pred = model.predict(texts)
    return {
        "macro_f1": float(f1_score(y, pred, average="macro", zero_division=0)),
        "accuracy": float(accuracy_score(y, pred)),
        "n_test": int(len(y)),
        "report": classification_report(y, pred, zero_division=0, output_dict=True),
    }


def read_labelled_csv(path: Path, text_col: str = "text", label_col: str = "label") -> pd.DataFrame:
    """A ``text,label`` CSV in UTF-8 (with or without BOM) or GB18030, rows with empty text or
    label dropped."""
    path = Path(path)
    try:
        df = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    except UnicodeDecodeError:
        df = pd.read_csv(path, encoding="gb18030", dtype=str, keep_default_na=False)
    df.columns = [str(c).strip().lower() for c in df.columns]
    missing = {text_col, label_col} - set(df.columns)
    if missing:
        raise ValueError(
            f"{path}: missing column(s) {sorted(missing)}; found {list(df.columns)}. "
            f"The file needs a header with '{text_col}' and '{label_col}'."
        )
    df = df[[text_col, label_col]].rename(columns={text_col: "text", label_col: "label"})
    df["label"] = df["label"].str.strip()
    keep = (df["text"].str.strip() != "") & (df["label"] != "")
    if (~keep).any():
        log.warning("%s: dropped %d rows with empty text or label", path, int((~keep).sum()))
    return df[keep].reset_index(drop=True)


def model_card(model: CategoryModel, *, data_note: str = "", limits: str = "") -> str:
    """Markdown model card: data, method, metrics, limits."""
    t = model.trained_on
    lines = [
        "# Category model card",
        "",
        "## Method",
        "Normalisation (NFKC, OpenCC t2s, pinyin annotations removed) → TF-IDF over rjieba "
        "tokens (domain dictionary, stop words removed) + TF-IDF over character 1–3-grams → "
        "LinearSVC (class_weight=balanced) in CalibratedClassifierCV (sigmoid, "
        f"cv={t.get('calibration_cv')}). C={t.get('C')}.",
        "",
        "## Data",
        data_note or "Trained with models.text.classifier.train on a labelled text,label set.",
        "",
        f"- training documents: {t.get('n_train')}",
        f"- features: {t.get('n_features')} (word + character n-gram TF-IDF)",
        f"- training data fingerprint (SHA-256 of normalised texts and labels): "
        f"{t.get('data_sha256')}",
        "- class counts: "
        + ", ".join(f"{k} {v}" for k, v in (t.get("class_counts") or {}).items()),
        "",
        "## Metrics",
    ]
    if model.metrics:
        for name, m in model.metrics.items():
            lines.append(
                f"- {name}: macro-F1 {m['macro_f1']:.3f}, accuracy {m['accuracy']:.3f}, "
                f"n={m['n_test']}"
            )
            rep = m.get("report") or {}
            per = [
                f"{k} {v['f1-score']:.2f}"
                for k, v in rep.items()
                if isinstance(v, dict) and k not in ("macro avg", "weighted avg")
            ]
            if per:
                lines.append("  - per-class F1: " + ", ".join(per))
    else:
        lines.append("No held-out metrics recorded.")
    lines += [
        "",
        "## Limits",
        limits
        or "A bag-of-words model: it sees topics, not stance; messages touching several areas "
        "get the most salient one. Probabilities are calibrated on the training distribution "
        "and drift when the mix of messages changes; retrain when the taxonomy or the "
        "departments' wording changes. Not for decisions about individuals.",
        "",
    ]
    return "\n".join(lines)
