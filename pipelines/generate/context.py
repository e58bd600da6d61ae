"""Everything one county's dataset generators share: geography, people, events, sinks.

``CountyContext`` is built once per county by county.py and handed to each dataset module,
which draws from its own named random stream (``ctx.rng("petitions", …)``) so that datasets
stay independent. Text labels and dirty-row counts are collected here for the truth folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from pipelines.generate.events import Event
from pipelines.generate.geography import County
from pipelines.generate.idnumbers import dirty
from pipelines.generate.people import People
from pipelines.generate.periods import Periods
from pipelines.generate.pii import PiiContext
from pipelines.generate.rng import py_stream, stream


@dataclass
class CountyContext:
    seed: int
    county: County
    periods: Periods
    rates: dict
    people: People
    pyramids: np.ndarray
    landing: Path
    events: list[Event] = field(default_factory=list)
    schools: list[dict] = field(default_factory=list)
    text_rows: list[dict] = field(default_factory=list)
    dirty_rows: dict[str, dict[str, int]] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    smd: object | None = None   # the SMD register frame, shared with outpatient and incidents

    @property
    def code6(self) -> str:
        return self.county.code6

    @cached_property
    def township_pop(self) -> np.ndarray:
        return np.array([t.population for t in self.county.townships], float)

    @cached_property
    def township_codes(self) -> np.ndarray:
        return np.array([t.code for t in self.county.townships])

    @cached_property
    def township_names(self) -> np.ndarray:
        return np.array([t.name for t in self.county.townships])

    @cached_property
    def urban(self) -> np.ndarray:
        return np.array([t.urban for t in self.county.townships])

    @cached_property
    def pii(self) -> PiiContext:
        return PiiContext(self.code6, self.county.phone_area, self.county.plate_prefix,
                          tuple(v.name for v in self.county.villages if v.kind == "村"))

    def rng(self, *keys: str | int) -> np.random.Generator:
        return stream(self.seed, "county", self.county.index, *keys)

    def py(self, *keys: str | int):
        return py_stream(self.seed, "county", self.county.index, *keys)

    def township_factor(self, domain: str, sd: float = 0.22, urban_effect: float = 0.0
                        ) -> np.ndarray:
        """A stable per-township level for one domain (lognormal around 1)."""
        r = self.rng("township_factor", domain)
        f = np.exp(r.normal(0, sd, len(self.county.townships)) + urban_effect * self.urban)
        return f / np.average(f, weights=self.township_pop)

    def path(self, dataset_source: str, name: str) -> Path:
        return self.landing / dataset_source / name

    def add_rows(self, dataset: str, n: int, path: Path) -> None:
        self.rows[dataset] = self.rows.get(dataset, 0) + n
        self.files.append(path)

    def dirty_ids(self, r: np.random.Generator, ids: np.ndarray, rel: str,
                  inner_spaces: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """IDs written with the documented dirt; returns (written, invalid row mask)."""
        d = self.rates["dirt"]
        out, invalid, counts = dirty(r, ids, d["id_dirty_share"], d["id_invalid_share"],
                                     inner_spaces)
        self._count(rel, "dirty_valid_id", counts.dirty_valid)
        self._count(rel, "invalid_id", counts.invalid)
        return out, invalid

    def bad_scores(self, r: np.random.Generator, n: int) -> np.ndarray:
        return r.random(n) < self.rates["dirt"]["score_invalid_share"]

    def record_bad(self, rel: str, kind: str, mask: np.ndarray) -> None:
        self._count(rel, kind, int(np.asarray(mask).sum()))

    def finish_file(self, rel: str, bad_rows: np.ndarray) -> None:
        """Records the number of rows that must be quarantined in file ``rel``."""
        self._count(rel, "bad_rows", int(np.asarray(bad_rows).sum()))

    def _count(self, rel: str, kind: str, n: int) -> None:
        entry = self.dirty_rows.setdefault(rel, {})
        entry[kind] = entry.get(kind, 0) + n
