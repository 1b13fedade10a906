"""What the cities' data tell the layers above them, which this app may not import."""

from __future__ import annotations

from django.dispatch import Signal

#: Sent once a data write has committed, with ``version_id`` (the catalogue version whose
#: :class:`~meirim.data.models.DataRevision` was bumped), ``municipality_ids`` (whose data
#: changed; empty when not known) and ``years`` (which of their years; empty: all).
#: ``meirim.reports`` recomputes those results on it.
data_revised = Signal()
