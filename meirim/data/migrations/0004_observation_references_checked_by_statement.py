"""The version and municipality of an observation are checked once per statement, not per row.

A foreign key's check is a query per inserted row: two of them cost ~20 s of a national file of
a million rows. Triggers keep the same guarantee on PostgreSQL: every statement that inserts or
updates observations checks (and locks, as a foreign key does) the versions and municipalities
its rows name, in one query over all of them; deleting, or changing the id of, a version or a
municipality that observations name is refused. Django's ``PROTECT`` still refuses first.
"""

from django.db import migrations, models

REFERENCES = (("municipality_id", "geography_municipality"), ("version_id", "catalogue_catalogueversion"))

_CHECK = """
CREATE FUNCTION data_observation_check_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    municipalities bigint[];
    versions bigint[];
    missing bigint;
BEGIN
    SELECT array_agg(DISTINCT municipality_id), array_agg(DISTINCT version_id)
      INTO municipalities, versions FROM new_rows;
    -- Locked until the end of the transaction, as a foreign key's check locks them.
    PERFORM FROM geography_municipality WHERE id = ANY(municipalities) FOR KEY SHARE;
    PERFORM FROM catalogue_catalogueversion WHERE id = ANY(versions) FOR KEY SHARE;
    SELECT wanted.id INTO missing FROM unnest(municipalities) AS wanted(id)
     WHERE NOT EXISTS (SELECT FROM geography_municipality AS found WHERE found.id = wanted.id) LIMIT 1;
    IF FOUND THEN
        RAISE foreign_key_violation USING MESSAGE = format(
            'data_observation: municipality %s does not exist', missing);
    END IF;
    SELECT wanted.id INTO missing FROM unnest(versions) AS wanted(id)
     WHERE NOT EXISTS (SELECT FROM catalogue_catalogueversion AS found WHERE found.id = wanted.id) LIMIT 1;
    IF FOUND THEN
        RAISE foreign_key_violation USING MESSAGE = format(
            'data_observation: catalogue version %s does not exist', missing);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER data_observation_references_insert AFTER INSERT ON data_observation
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION data_observation_check_references();
CREATE TRIGGER data_observation_references_update AFTER UPDATE ON data_observation
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION data_observation_check_references();
"""

_PROTECT = """
CREATE FUNCTION data_observation_protect_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (TG_OP = 'DELETE' OR NEW.id <> OLD.id)
       AND EXISTS (SELECT FROM data_observation WHERE {column} = OLD.id) THEN
        RAISE foreign_key_violation USING MESSAGE = format(
            '{table} %s is still referenced from data_observation', OLD.id);
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER data_observation_protect BEFORE DELETE OR UPDATE OF id ON {table}
    FOR EACH ROW EXECUTE FUNCTION data_observation_protect_{table}();
"""

_DROP = """
DROP TRIGGER data_observation_references_insert ON data_observation;
DROP TRIGGER data_observation_references_update ON data_observation;
DROP FUNCTION data_observation_check_references();
"""


def _sql(statements: list[str]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)  # no parameters: format()'s %s stays as written

    return run


CREATE = [
    _CHECK,
    *(_PROTECT.format(table=table, column=column) for column, table in REFERENCES),
]
DROP = [
    _DROP,
    *(
        f"DROP TRIGGER data_observation_protect ON {table}; "
        f"DROP FUNCTION data_observation_protect_{table}();"
        for _column, table in REFERENCES
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0002_indicator_note_translations"),
        ("data", "0003_observation_references_without_index"),
        ("geography", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, _sql(DROP)),
        migrations.AlterField(
            model_name="observation",
            name="municipality",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=models.deletion.PROTECT,
                related_name="observations",
                to="geography.municipality",
                verbose_name="municipality",
            ),
        ),
        migrations.AlterField(
            model_name="observation",
            name="version",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=models.deletion.PROTECT,
                related_name="+",
                to="catalogue.catalogueversion",
                verbose_name="catalogue",
            ),
        ),
        migrations.RunPython(_sql(CREATE), migrations.RunPython.noop),
    ]
