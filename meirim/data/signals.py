"""What the cities' data tell the layers above them, which this app may not import."""

from __future__ import annotations

from django.dispatch import Signal

#: Sent once a data write has committed, with ``version_id`` (the catalogue version whose
#: :class:`~meirim.data.models.DataRevision` was bumped) and ``municipality_ids`` (whose data
#: changed; empty when not known). ``meirim.reports`` recomputes the results on it.
data_revised = Signal()
