"""The dbt warehouse as Dagster assets (dagster-dbt, the documented way).

dbt sources keep dagster-dbt's default keys ``[source, table]``, which are exactly the ingest
assets' keys (and the Python text/risk assets' keys), so Dagster shows one graph. The project
is split in two multi-assets: ``warehouse`` (staging + intermediate, restricted store) and
``marts`` (published store), so that Python assets can run between them in one run. dbt tests
become asset checks. The manifest is prepared (``dbt parse``) when missing or stale.
"""


import os
import sys
from pathlib import Path

from dagster import AssetExecutionContext
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

from pipelines.dbt_in_process import PIPELINE_FLAGS, InProcessDbtCliResource
from pipelines.resources import XintaiHome
from pipelines.resources.home import published_build_db

DBT_PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"

# dbt installed beside this interpreter (the project's venv), whatever PATH says, with its
# garbage collector set for dbt (pipelines/dbt_cli.py): `dbt parse` below, the tests, by hand
DBT_EXECUTABLE = str(Path(sys.executable).parent / "xintai-dbt")

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def dbt_resource() -> DbtCliResource:
    """dbt commands of a run execute in the run's process (pipelines/dbt_in_process.py)."""
    return InProcessDbtCliResource(project_dir=dbt_project, profiles_dir=str(DBT_PROJECT_DIR),
                                   dbt_executable=DBT_EXECUTABLE,
                                   global_config_flags=list(PIPELINE_FLAGS))


def ensure_manifest() -> Path:
    """Run ``dbt parse`` when the manifest is missing or stale (cheap when it is fresh)."""
    manifest = dbt_project.manifest_path
    newest = max(p.stat().st_mtime for p in DBT_PROJECT_DIR.rglob("*")
                 if p.is_file() and "target" not in p.parts and "logs" not in p.parts)
    if not manifest.exists() or manifest.stat().st_mtime < newest:
        import subprocess

        subprocess.run(
            [DBT_EXECUTABLE, "parse", "--quiet", "--project-dir", str(DBT_PROJECT_DIR),
             "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(manifest.parent)],
            check=True, env={**os.environ, "DO_NOT_TRACK": "1"},
        )
    return manifest


# text cells are suppressed on the margins they share with the indicator cells, so they are
# decided after the text stage, with the marts
TEXT_CELLS = "path:models/intermediate/text"
WAREHOUSE_SELECT = "path:models/staging path:models/intermediate"
MARTS_SELECT = f"path:models/marts {TEXT_CELLS}"


@dbt_assets(manifest=ensure_manifest(), project=dbt_project, name="warehouse",
            select=WAREHOUSE_SELECT, exclude=TEXT_CELLS)
def warehouse_dbt_assets(context: AssetExecutionContext, dbt: DbtCliResource, home: XintaiHome):
    os.environ.update(home.dbt_env())  # dbt reads the stores' paths and key from it
    invocation = dbt.cli(["build"], context=context, target_path=home.layout.dbt_target)
    yield from invocation.stream()


@dbt_assets(manifest=ensure_manifest(), project=dbt_project, name="marts", select=MARTS_SELECT)
def marts_dbt_assets(context: AssetExecutionContext, dbt: DbtCliResource, home: XintaiHome):
    prepare_publication_build(home)
    os.environ.update(home.dbt_env())
    invocation = dbt.cli(["build"], context=context, target_path=home.layout.dbt_target)
    yield from invocation.stream()


def prepare_publication_build(home: XintaiHome) -> None:
    """Start the next publication from the live one so incremental marts keep their history."""
    import shutil

    layout = home.layout
    build = published_build_db(layout)
    layout.warehouse.mkdir(parents=True, exist_ok=True)
    if layout.published_db.exists():
        shutil.copyfile(layout.published_db, build)
    elif build.exists():
        build.unlink()
