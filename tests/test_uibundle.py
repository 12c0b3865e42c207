"""The UI bundle is extracted from the pinned wheel, verified by sha256, and never half-written."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from leoflow import uibundle


def test_a_tampered_wheel_is_refused(tmp_path: Path) -> None:
    """A wheel whose sha256 differs from the pinned one is refused and nothing is installed."""
    fake = tmp_path / uibundle.WHEEL_NAME
    with zipfile.ZipFile(fake, "w") as zf:
        zf.writestr("airflow/ui/dist/index.html", "<html>evil</html>")
    with pytest.raises(uibundle.BundleError, match="expected"):
        uibundle.extract(fake, tmp_path / "cache")
    assert uibundle.installed(tmp_path / "cache") is None


@pytest.mark.slow
def test_fetch_extracts_both_spas_and_the_openapi_specs(tmp_path: Path) -> None:
    """The real wheel (cached by the tests) yields the UI, the login UI and the OpenAPI specs."""
    wheels = Path.home() / ".cache" / "leoflow-test" / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    wheel = wheels / uibundle.WHEEL_NAME
    if not wheel.is_file():
        uibundle.download_wheel(wheels)
    bundle = uibundle.fetch(wheel=wheel, root=tmp_path)
    assert "{{ backend_server_base_url }}" in (bundle.ui / "index.html").read_text()
    assert (bundle.auth_ui / "index.html").is_file()
    assert (bundle.openapi / "v2-rest-api-generated.yaml").is_file()
    assert uibundle.installed(tmp_path) == bundle
