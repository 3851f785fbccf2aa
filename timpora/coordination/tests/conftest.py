import shutil
import subprocess
from pathlib import Path

import pytest


@pytest.fixture
def private_storage(settings, tmp_path):
    """Uploaded files go to a temporary private directory, not the checkout's var/."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    return tmp_path / "private"


@pytest.fixture
def pdf_text(tmp_path):
    """PDF bytes → their text (poppler's ``pdftotext -layout``)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("SKIPPED LOUDLY: pdftotext is missing (apt-get install -y poppler-utils)")

    def extract(pdf: bytes) -> str:
        path = Path(tmp_path) / "document.pdf"
        path.write_bytes(pdf)
        return subprocess.run(
            ["pdftotext", "-layout", str(path), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    return extract
