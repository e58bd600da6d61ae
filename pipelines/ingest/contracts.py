"""Landing contracts: what each department's export looks like and what it becomes.

One YAML file per dataset (``contracts/<dataset>.yaml``) maps the Chinese headers that the
departments' systems export (with their common variants) to English column names and types,
and says what the privacy firewall does with each column. Validated at load with pydantic so
that a typo in a contract fails loudly instead of silently passing rows.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

CONTRACTS_DIR = Path(__file__).parent / "contracts"

ColumnType = Literal[
    "string",
    "text",
    "int",
    "float",
    "date",
    "datetime",
    "month",
    "bool",
    "code",
    "admin_code12",
    "township_name",
    "icd10",
    "id_number",
    "id_number_list",
    "phone",
]
PiiAction = Literal["pseudonymise", "drop", "redact", "age_band"]

# DuckDB type of each column type after ingestion (pseudonyms and codes are text).
SQL_TYPES: dict[str, str] = {
    "string": "VARCHAR",
    "text": "VARCHAR",
    "int": "BIGINT",
    "float": "DOUBLE",
    "date": "DATE",
    "datetime": "TIMESTAMP",
    "month": "DATE",
    "bool": "BOOLEAN",
    "code": "VARCHAR",
    "admin_code12": "VARCHAR",
    "township_name": "VARCHAR",
    "icd10": "VARCHAR",
    "id_number": "VARCHAR",
    "id_number_list": "VARCHAR[]",
    "phone": "VARCHAR",
}


class ColumnSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    headers: list[str] = Field(min_length=1)
    type: ColumnType
    required: bool = False
    codes: dict[str, str] | None = None
    min: float | None = None
    max: float | None = None
    not_future: bool = False
    partition: bool = False
    pii: PiiAction | None = None
    references: Literal["township", "village", "school"] | None = None
    prefixes: list[str] | None = None
    age_at: str | None = None

    @model_validator(mode="after")
    def _codes_for_code_type(self) -> ColumnSpec:
        if self.type == "code" and not self.codes:
            raise ValueError("a column of type 'code' needs a 'codes' mapping")
        return self


class Contract(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    dataset: str
    source: str
    grain: str
    files: list[str]
    primary_key: list[str]
    columns: dict[str, ColumnSpec]
    format: Literal["table", "geojson"] = "table"

    @model_validator(mode="after")
    def _keys_are_columns(self) -> Contract:
        missing = [k for k in self.primary_key if k not in self.columns]
        if missing:
            raise ValueError(f"primary key columns {missing} are not in columns")
        return self

    @property
    def table(self) -> str:
        return f"raw_{self.dataset}"

    @property
    def partition_column(self) -> str | None:
        return next((n for n, c in self.columns.items() if c.partition), None)

    @property
    def is_monthly(self) -> bool:
        return self.partition_column is not None

    def output_columns(self) -> dict[str, str]:
        """Stored column name → DuckDB type, after the firewall (dropped columns gone,
        dates of birth and exact ages replaced by an age band)."""
        out: dict[str, str] = {}
        for name, spec in self.columns.items():
            if spec.pii == "drop":
                continue
            if spec.pii == "age_band":
                out["age_band"] = "VARCHAR"
                continue
            out[name] = SQL_TYPES[spec.type]
        return out

    def header_lookup(self) -> dict[str, str]:
        """Every accepted header spelling (normalised) → column name."""
        return {
            normalise_header(h): name for name, spec in self.columns.items() for h in spec.headers
        }


def normalise_header(header: object) -> str:
    """Headers as exported vary in width, case, spaces and stray BOMs; compare them folded."""
    import unicodedata

    text = unicodedata.normalize("NFKC", str(header)).replace("\ufeff", "")
    return "".join(text.split()).lower()


@cache
def load_contracts(directory: Path = CONTRACTS_DIR) -> dict[str, Contract]:
    """All contracts by dataset name; raises naming the file on the first invalid one."""
    contracts: dict[str, Contract] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            contract = Contract.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except Exception as exc:  # pydantic or YAML error: say which file
            raise ValueError(f"invalid contract {path.name}: {exc}") from exc
        if contract.dataset != path.stem:
            raise ValueError(f"contract {path.name} declares dataset {contract.dataset!r}")
        contracts[contract.dataset] = contract
    return contracts
