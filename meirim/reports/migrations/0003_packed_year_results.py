import django.db.models.deletion
from django.db import migrations, models


def drop_unpacked_results(apps, schema_editor):
    """Results stored per node cannot be read any more: they are computed again (the
    ``recompute_results`` command), and until then pages say newer results are on the way."""
    from django.utils import timezone

    apps.get_model("reports", "YearResult").objects.all().delete()
    apps.get_model("reports", "ResultState").objects.update(stale_since=timezone.now())


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0003_scoring_method'),
        ('reports', '0002_results_keys_without_constraints'),
    ]

    operations = [
        migrations.RunPython(drop_unpacked_results, migrations.RunPython.noop),
        migrations.AddField(
            model_name='yearresult',
            name='indicator_status',
            field=models.BinaryField(default=b''),
        ),
        migrations.AddField(
            model_name='yearresult',
            name='indicator_values',
            field=models.BinaryField(default=b''),
        ),
        migrations.AddField(
            model_name='yearresult',
            name='layout',
            field=models.CharField(default='', max_length=16),
        ),
        migrations.AddField(
            model_name='yearresult',
            name='reasons',
            field=models.BinaryField(default=b''),
        ),
        migrations.AddField(
            model_name='yearresult',
            name='scores',
            field=models.BinaryField(default=b''),
        ),
        migrations.CreateModel(
            name='ResultLayout',
            fields=[
                ('pk', models.CompositePrimaryKey('version_id', 'key', blank=True, editable=False, primary_key=True, serialize=False)),
                ('key', models.CharField(max_length=16)),
                ('indicators', models.JSONField(default=list)),
                ('aggregates', models.JSONField(default=list)),
                ('version', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalogue.catalogueversion')),
            ],
            options={
                'verbose_name': 'result layout',
                'verbose_name_plural': 'result layouts',
            },
        ),
        migrations.DeleteModel(
            name='NodeResult',
        ),
    ]
