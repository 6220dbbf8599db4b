import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The snapshot's post is kept by a locking protocol, not a constraint (docs/performance.md)."""

    dependencies = [
        ("analytics", "0004_spikes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="postmetricssnapshot",
            name="post",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="snapshots",
                to="analytics.post",
            ),
        ),
    ]
