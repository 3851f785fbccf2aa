"""Seed the visa/permit indices named in the domain notes; administrators maintain the list."""

from django.db import migrations

INDICES = [
    # code, name, category, max stay days, allows work
    ("A1", "Bebas visa kunjungan (visa-free visit)", "visit", 30, False),
    ("B1", "Visa on arrival (VoA), extendable once", "visit", 30, False),
    ("C1", "Visa kunjungan satu kali perjalanan: wisata (C-series, single-entry visit)", "visit",
     60, False),
    ("C2", "Visa kunjungan satu kali perjalanan: bisnis (C-series)", "visit", 60, False),
    ("C7", "Visa kunjungan satu kali perjalanan: seni dan budaya (C-series)", "visit", 60, False),
    ("D1", "Visa kunjungan beberapa kali perjalanan: wisata (D-series)", "visit", 60, False),
    ("D2", "Visa kunjungan beberapa kali perjalanan: bisnis (D-series)", "visit", 60, False),
    ("E23", "ITAS bekerja (work)", "limited", 365, True),
    ("E28A", "ITAS investasi (investment)", "limited", 730, True),
    ("E31A", "ITAS penyatuan keluarga: pasangan WNI (spouse of a citizen)", "limited", 365,
     False),
    ("E32", "ITAS eks WNI / diaspora (former citizens)", "limited", 365, False),
    ("E33", "ITAS lansia / rumah kedua / pekerja jarak jauh (retirement, second home, remote "
     "worker)", "limited", 365, False),
    ("ITAP", "Izin tinggal tetap (permanent stay)", "permanent", None, True),
    ("DIP", "Izin tinggal diplomatik (diplomatic)", "diplomatic", None, False),
    ("DIN", "Izin tinggal dinas (service)", "service", None, False),
]


def seed(apps, schema_editor):
    PermitIndex = apps.get_model("registry", "PermitIndex")
    for code, name, category, days, work in INDICES:
        PermitIndex.objects.update_or_create(
            code=code, defaults={"name": name, "category": category, "max_stay_days": days,
                                 "allows_work": work})


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
