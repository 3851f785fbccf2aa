"""Signals that tell other apps what intake stored.

``reports_stored`` is sent with ``person_ids`` (the registry persons the new reports are
about) inside the transaction that stored the reports; receivers that start work elsewhere
(early detection re-evaluates those persons) defer it with ``transaction.on_commit``, so an
import chunk that rolls back triggers nothing.
"""

from django.dispatch import Signal

reports_stored = Signal()
