import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def build_rollups(apps, schema_editor):
    """T6: the roll-ups of the tickets already there, as `rebuild_desk_rollups` makes them
    (with the models as they are at this migration)."""
    from commonops.servicedesk import rollups

    Country = apps.get_model("core", "Country")
    Ticket = apps.get_model("servicedesk", "Ticket")
    Rating = apps.get_model("servicedesk", "Rating")
    models_now = {"rollup": apps.get_model("servicedesk", "KpiRollup"),
                  "histogram": apps.get_model("servicedesk", "HoursHistogram"),
                  "tally": apps.get_model("servicedesk", "HoursTally")}
    with_tickets = Ticket.objects.order_by().values("country_id").distinct()
    for country in Country.objects.filter(pk__in=with_tickets):
        tallies = rollups.from_tickets(country_id=country.pk, time_zone=country.time_zone,
                                       tickets=Ticket.objects, ratings=Rating.objects)
        rollups.write(country.pk, tallies, **models_now)


class Migration(migrations.Migration):
    """T6: the monthly KPI roll-ups, built from the tickets already there; the KPIs no longer
    read the tickets, so the covering index of resolved tickets goes."""

    dependencies = [
        ('core', '0002_remove_roleassignment_role_scope_matches_role_and_more'),
        ('servicedesk', '0005_open_ticket_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HoursHistogram',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField()),
                ('month', models.PositiveSmallIntegerField()),
                ('hour', models.IntegerField()),
                ('tickets', models.IntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name='HoursTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField()),
                ('month', models.PositiveSmallIntegerField()),
                ('hours', models.FloatField()),
                ('tickets', models.IntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name='KpiRollup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField()),
                ('month', models.PositiveSmallIntegerField()),
                ('opened', models.IntegerField(default=0)),
                ('resolved', models.IntegerField(default=0)),
                ('first_response_on_time', models.IntegerField(default=0)),
                ('first_response_measured', models.IntegerField(default=0)),
                ('resolution_on_time', models.IntegerField(default=0)),
                ('resolution_measured', models.IntegerField(default=0)),
                ('reopened', models.IntegerField(default=0)),
                ('timed', models.IntegerField(default=0)),
                ('rated_1', models.IntegerField(default=0)),
                ('rated_2', models.IntegerField(default=0)),
                ('rated_3', models.IntegerField(default=0)),
                ('rated_4', models.IntegerField(default=0)),
                ('rated_5', models.IntegerField(default=0)),
            ],
        ),
        migrations.RemoveIndex(
            model_name='ticket',
            name='desk_ticket_resolved_kpis',
        ),
        migrations.AddField(
            model_name='hourshistogram',
            name='country',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.country'),
        ),
        migrations.AddField(
            model_name='hourstally',
            name='country',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.country'),
        ),
        migrations.AddField(
            model_name='kpirollup',
            name='agency',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.agency'),
        ),
        migrations.AddField(
            model_name='kpirollup',
            name='assignee',
            field=models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='kpirollup',
            name='category',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='servicedesk.category'),
        ),
        migrations.AddField(
            model_name='kpirollup',
            name='country',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.country'),
        ),
        migrations.AddField(
            model_name='kpirollup',
            name='team',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='servicedesk.team'),
        ),
        migrations.AddConstraint(
            model_name='hourshistogram',
            constraint=models.UniqueConstraint(fields=('country', 'year', 'month', 'hour'), name='desk_hours_histogram_once'),
        ),
        migrations.AddConstraint(
            model_name='hourstally',
            constraint=models.UniqueConstraint(fields=('country', 'year', 'month', 'hours'), name='desk_hours_tally_once'),
        ),
        migrations.AddConstraint(
            model_name='kpirollup',
            constraint=models.UniqueConstraint(condition=models.Q(('assignee__isnull', False)), fields=('country', 'year', 'month', 'team', 'assignee', 'category', 'agency'), name='desk_rollup_once'),
        ),
        migrations.AddConstraint(
            model_name='kpirollup',
            constraint=models.UniqueConstraint(condition=models.Q(('assignee__isnull', True)), fields=('country', 'year', 'month', 'team', 'category', 'agency'), name='desk_rollup_once_unassigned'),
        ),
        migrations.RunPython(build_rollups, migrations.RunPython.noop),
    ]
