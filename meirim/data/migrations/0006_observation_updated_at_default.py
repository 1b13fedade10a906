"""The time a new observation is written, given by the server when a row does not bring it.

A national import copies a million new rows; each brought the same time as text, which the
server parsed row by row (~0.7 s of its work for a million rows). The import leaves the
column out of COPY and the server fills in ``now()``: the time its transaction began.
The ORM still sets the field itself (``auto_now``); the model's state is unchanged.
"""

from django.db import migrations


def _sql(statement: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("data", "0005_observation_drop_version_year_index"),
    ]

    operations = [
        migrations.RunPython(
            _sql("ALTER TABLE data_observation ALTER COLUMN updated_at SET DEFAULT now()"),
            _sql("ALTER TABLE data_observation ALTER COLUMN updated_at DROP DEFAULT"),
        ),
    ]
