from django.db import migrations, models


class Migration(migrations.Migration):
    """Indexes that hold only open tickets: per agent (the assignment's counts, T3, and "my
    tickets" in order) and per country (the queue in order, the backlog's age)."""

    dependencies = [
        ('servicedesk', '0004_kpi_covering_indexes'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(condition=models.Q(('status__in', ['assigned', 'in_progress', 'new', 'reopened', 'waiting'])), fields=['assignee', 'country', 'resolution_due', 'id'], name='desk_ticket_open_by_assignee'),
        ),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(condition=models.Q(('status__in', ['assigned', 'in_progress', 'new', 'reopened', 'waiting'])), fields=['country', 'resolution_due', 'id'], include=('opened_at',), name='desk_ticket_open_queue'),
        ),
    ]
