"""Drop the index (version, year) of observations.

Every query of observations was checked against it (their plans on a million rows): only the
approved totals of all cities for derived goalposts (an occasional admin action) used it, and
a sequential scan serves that one. Each imported row kept it up to date: ~1 s of a national
file of a million rows.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("data", "0004_observation_references_checked_by_statement"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="observation",
            name="data_observ_version_bc366d_idx",
        ),
    ]
