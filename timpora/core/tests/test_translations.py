"""The Indonesian catalogue is complete, keeps every placeholder, and is compiled.

Indonesian is the working language: an entry left empty or fuzzy shows English to an officer,
a lurah or a hotel clerk, and a dropped ``%(name)s`` breaks the page with a KeyError at
runtime. The catalogue is parsed here with a small reader of our own (no extra dependency),
and the committed ``django.mo`` is compared with the ``.po`` so a forgotten
``timpora compilemessages`` fails the suite instead of shipping stale text.

Refresh the catalogue with (from ``timpora/``)::

    ../.venv/bin/timpora makemessages -l id -l en --ignore 'tests/*' --ignore '*/tests/*' \
        --ignore 'testing/*' -v0
    ../.venv/bin/timpora compilemessages -v0
"""

from __future__ import annotations

import ast
import gettext as gettext_module
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "timpora" / "locale"
ID_PO = LOCALE / "id" / "LC_MESSAGES" / "django.po"
ID_MO = LOCALE / "id" / "LC_MESSAGES" / "django.mo"

# Python %-format (named or positional), a literal %%, and str.format fields.
PLACEHOLDER = re.compile(r"%\([^)]+\)[sdif]|%%|%[sdif]|\{[A-Za-z_0-9]*\}")


@dataclass
class Entry:
    """One catalogue entry; ``msgstr`` maps the plural index (0 for singular) to text."""

    line: int
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> str:
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt else self.msgid


def _unquote(text: str) -> str:
    # PO strings use C escapes, which Python string literals read the same way.
    return ast.literal_eval(text)


def parse_po(path: Path) -> list[Entry]:
    """Read a .po file into entries (the header included, obsolete ``#~`` entries left out)."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None  # which field a continuation line extends
    flags: set[str] = set()
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            if current is None or target is None:
                raise ValueError(f"{path}:{number}: continuation line outside an entry")
            name, index = target
            if name == "msgstr":
                current.msgstr[index] += _unquote(line)
            else:
                setattr(current, name, (getattr(current, name) or "") + _unquote(line))
            continue
        # An entry starts at its msgctxt, or at its msgid when no msgctxt opened it.
        if keyword == "msgctxt" or (keyword == "msgid" and (current is None or current.msgstr)):
            current = Entry(line=number, flags=flags)
            entries.append(current)
            flags = set()
        if current is None:
            raise ValueError(f"{path}:{number}: {keyword} outside an entry")
        if keyword in ("msgctxt", "msgid", "msgid_plural"):
            setattr(current, keyword, _unquote(rest))
            target = (keyword, 0)
        elif keyword == "msgstr":
            current.msgstr[0] = _unquote(rest)
            target = ("msgstr", 0)
        elif keyword.startswith("msgstr["):
            index = int(keyword[len("msgstr[") : -1])
            current.msgstr[index] = _unquote(rest)
            target = ("msgstr", index)
        else:
            raise ValueError(f"{path}:{number}: unexpected line {line!r}")
    return entries


def _messages(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if e.msgid or e.msgctxt]


def _header(entries: list[Entry]) -> dict[str, str]:
    header = next(e for e in entries if not e.msgid and not e.msgctxt)
    fields = (line.partition(":") for line in header.msgstr[0].splitlines() if line)
    return {name.strip(): value.strip() for name, _, value in fields}


def _catalogue_from_po(entries: list[Entry]) -> dict:
    """What gettext should find in the compiled file: the same keys Python's reader builds."""
    catalogue: dict = {}
    for e in _messages(entries):
        if e.msgid_plural is None:
            catalogue[e.key] = e.msgstr[0]
        else:
            for index, text in e.msgstr.items():
                catalogue[(e.key, index)] = text
    return catalogue


def _catalogue_from_mo(path: Path) -> dict:
    with path.open("rb") as handle:
        catalogue = dict(gettext_module.GNUTranslations(handle)._catalog)
    catalogue.pop("", None)  # the header
    return catalogue


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return parse_po(ID_PO)


def test_it_parses_a_catalogue_with_contexts_plurals_and_continuation_lines(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: id\\n"\n\n'
        '#, python-format\nmsgctxt "verb"\nmsgid "Open"\nmsgstr "Buka"\n\n'
        'msgid "%(n)s day"\nmsgid_plural "%(n)s days"\nmsgstr[0] ""\n"%(n)s hari"\n\n'
        '#, fuzzy\nmsgid ""\n"Long "\n"text"\nmsgstr "Teks panjang"\n\n'
        '#~ msgid "Old"\n#~ msgstr "Lama"\n',
        encoding="utf-8",
    )
    parsed = parse_po(po)
    assert _header(parsed) == {"Language": "id"}
    verb, plural, long = _messages(parsed)
    assert (verb.key, verb.msgstr, verb.flags) == ("verb\x04Open", {0: "Buka"}, {"python-format"})
    assert (plural.msgid_plural, plural.msgstr) == ("%(n)s days", {0: "%(n)s hari"})
    assert (long.msgid, long.flags) == ("Long text", {"fuzzy"})


def test_it_declares_indonesian_utf8_and_one_plural_form(entries):
    header = _header(entries)
    assert header["Language"] == "id"
    assert "charset=UTF-8" in header["Content-Type"]
    assert header["Plural-Forms"] == "nplurals=1; plural=0;"


def test_it_translates_every_entry_and_leaves_none_fuzzy(entries):
    messages = _messages(entries)
    assert len(messages) > 1000, "the catalogue looks truncated: run makemessages"
    untranslated = [
        f"line {e.line}: {e.msgid!r}"
        for e in messages
        if "fuzzy" in e.flags or not e.msgstr or any(not text for text in e.msgstr.values())
    ]
    assert not untranslated, "untranslated or fuzzy entries:\n" + "\n".join(untranslated)


def test_it_gives_plural_entries_exactly_the_one_indonesian_form(entries):
    wrong = [
        f"line {e.line}: {e.msgid!r}" for e in entries if e.msgid_plural and set(e.msgstr) != {0}
    ]
    assert not wrong, "plural entries need msgstr[0] only:\n" + "\n".join(wrong)


def test_it_keeps_every_placeholder_of_the_english_text(entries):
    mismatched = []
    for e in _messages(entries):
        expected = sorted(PLACEHOLDER.findall(e.msgid))
        plural = sorted(PLACEHOLDER.findall(e.msgid_plural or e.msgid))
        for text in e.msgstr.values():
            found = sorted(PLACEHOLDER.findall(text))
            # A plural form may keep the singular's or the plural's placeholders.
            if found not in (expected, plural):
                mismatched.append(f"line {e.line}: {e.msgid!r} {expected} -> {text!r} {found}")
    assert not mismatched, "placeholders differ:\n" + "\n".join(mismatched)


def test_it_keeps_leading_and_trailing_spaces(entries):
    # " or " joins words in alert explanations; losing a space glues them together.
    wrong = [
        f"line {e.line}: {e.msgid!r} -> {text!r}"
        for e in _messages(entries)
        for text in e.msgstr.values()
        if text
        and (
            e.msgid[:1].isspace() != text[:1].isspace()
            or e.msgid[-1:].isspace() != text[-1:].isspace()
        )
    ]
    assert not wrong, "\n".join(wrong)


def test_it_shows_the_interface_in_indonesian():
    with translation.override("id"):
        assert translation.gettext("Log in") == "Masuk"
        assert translation.gettext("Log out") == "Keluar"
        assert translation.gettext("Audit trail") == "Jejak audit"
        assert translation.gettext("Limited stay permit (ITAS)") == "Izin tinggal terbatas (ITAS)"
        assert translation.gettext("Joint operation") == "Operasi gabungan"
        assert translation.gettext("(f) Deportation") == "(f) Deportasi"
        assert translation.gettext("Vulnerability map") == "Peta kerawanan"
        alerts = translation.ngettext("%(n)s alert", "%(n)s alerts", 3) % {"n": 3}
        assert alerts == "3 peringatan"
    with translation.override("en"):
        assert translation.gettext("Log in") == "Log in"


def test_it_labels_model_choices_in_indonesian():
    from timpora.registry.choices import PermitCategory

    with translation.override("en"):
        labels = {str(label) for _, label in PermitCategory.choices}
    with translation.override("id"):
        translated = {str(label) for _, label in PermitCategory.choices}
    assert "Izin tinggal kunjungan (ITK)" in translated
    assert "Izin tinggal tetap (ITAP)" in translated
    assert "Limited stay permit (ITAS)" in labels
    assert translated.isdisjoint(labels)


@pytest.mark.django_db
def test_it_serves_the_login_page_in_indonesian_by_default(client):
    page = client.get("/accounts/login/").content.decode()
    assert 'lang="id"' in page
    assert "<h1>Masuk</h1>" in page
    assert "Nama pengguna" in page and "Kata sandi" in page


def test_the_committed_mo_file_matches_the_po_file(entries):
    compiled = _catalogue_from_mo(ID_MO)
    expected = _catalogue_from_po(entries)
    stale = sorted(
        str(key)
        for key in expected.keys() | compiled.keys()
        if expected.get(key) != compiled.get(key)
    )
    assert not stale, (
        "django.mo is out of date: run `timpora compilemessages`. Differing entries:\n"
        + "\n".join(stale[:30])
    )


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_msgfmt_accepts_the_catalogue_and_compiles_what_is_committed(tmp_path):
    target = tmp_path / "django.mo"
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(target), str(ID_PO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert _catalogue_from_mo(target) == _catalogue_from_mo(ID_MO)
