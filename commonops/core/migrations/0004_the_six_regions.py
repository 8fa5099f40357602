"""H3: the six common-services regions, so that a new database has them (the demo and
`seed_scale` find them by code)."""

from django.db import migrations

REGIONS = [
    ("AP", "Asia/Pacific"),
    ("ESA", "Eastern/Southern Africa"),
    ("WA", "West Africa"),
    ("ASNA", "Arab States/North Africa"),
    ("LAC", "Latin America/Caribbean"),
    ("EECIS", "Eastern Europe/CIS"),
]


def add_regions(apps, schema_editor):
    Region = apps.get_model("core", "Region")
    for code, name in REGIONS:
        if not Region.objects.filter(code=code).exists():
            Region.objects.create(code=code, name=name)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_form_submission_and_outbound_email")]

    # Going back keeps the regions: countries point at them.
    operations = [migrations.RunPython(add_regions, migrations.RunPython.noop)]
