"""Every contract loads and maps to a stored schema without direct identifiers."""

from pipelines.ingest.contracts import load_contracts

DATASETS = {
    "admin_units",
    "population",
    "township_geo",
    "service_capacity",
    "smd_registry",
    "smd_followup",
    "outpatient_visits",
    "hotline_calls",
    "maternal_screening",
    "schools",
    "student_screening",
    "petitions",
    "incidents",
}
DIRECT_IDENTIFIERS = {"name", "petitioner_name", "petitioner_phone", "address", "birth_date", "age"}


def test_all_thirteen_datasets_have_contracts():
    assert set(load_contracts()) == DATASETS


def test_stored_columns_never_include_direct_identifiers():
    for contract in load_contracts().values():
        stored = set(contract.output_columns())
        assert not stored & DIRECT_IDENTIFIERS, contract.dataset
        for name, spec in contract.columns.items():
            if spec.type in ("id_number", "id_number_list", "phone") and name in stored:
                assert spec.pii == "pseudonymise", (
                    f"{contract.dataset}.{name} stored without pseudonymising"
                )
            if spec.type == "text":
                assert spec.pii == "redact", (
                    f"{contract.dataset}.{name} free text stored unredacted"
                )
