
import django.db.models.deletion
import simple_history.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('boards', '0001_boards'),
        ('partnerships', '0004_partnerships_register'),
    ]

    operations = [
        # The free-text "communicated to" becomes notes beside the chosen contacts (data kept).
        migrations.RenameField(model_name='historicalissue', old_name='communicated_to', new_name='communication_notes'),
        migrations.RenameField(model_name='issue', old_name='communicated_to', new_name='communication_notes'),
        migrations.AlterField(
            model_name='historicalissue',
            name='communication_notes',
            field=models.TextField(blank=True, help_text='How and when the outcome was communicated.'),
        ),
        migrations.AlterField(
            model_name='issue',
            name='communication_notes',
            field=models.TextField(blank=True, help_text='How and when the outcome was communicated.'),
        ),
        migrations.AddField(
            model_name='issue',
            name='communicated_contacts',
            field=models.ManyToManyField(blank=True, help_text='Partner or Jobcentre Plus contacts (from the contacts directory) told the outcome.', related_name='issues_told_of_outcome', to='partnerships.contact', verbose_name='Contacts told the outcome'),
        ),
        migrations.CreateModel(
            name='HistoricalIssue_communicated_contacts',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('contact', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partnerships.contact')),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='boards.historicalissue')),
                ('issue', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='boards.issue')),
            ],
            options={
                'verbose_name': 'HistoricalIssue_communicated_contacts',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
    ]
