"""Entity resolution for foreign nationals, free of Django.

The engine turns person records (name, sex, date of birth, nationality, passport number)
into comparable features, scores pairs with a Splink model (DuckDB backend) and groups
records of the same person into clusters. It is fed with files or Arrow tables and never
touches the application database, so it can be benchmarked and tested on its own and
later run on a bigger engine (see ``docs`` and ``bench/linkage.py``).

Modules:

- ``normalise``: domain-aware keys for names, passports and partial dates (pure Python);
- ``features``: the same keys computed in bulk inside DuckDB;
- ``model``: the Splink settings, training and the portable trained model;
- ``link``: batch deduplication of a file into clusters;
- ``screen``: persons against a watch list, with explanations;
- ``score``: one record against a candidate table (incremental linking);
- ``data``: a generator of realistic noisy foreign-national records with known truth.
- ``name_frequencies``: per-culture name frequencies (real heads, long tails) for ``data``.
"""
