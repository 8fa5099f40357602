from django.core.management.base import BaseCommand

from commonops.reports import scale


class Command(BaseCommand):
    help = ("Build load-test data at the sizes CommonOps is designed for (130 country teams, "
            "up to 25 agencies each, ~40 services per BOS, 10 years, 2 million tickets, "
            "20,000 people), deterministic from --seed. Meant for PostgreSQL; never on a "
            "production database.")

    def add_arguments(self, parser):
        defaults = scale.Sizes()
        for name, help_text in (
                ("countries", "country teams in all (existing ones count)"),
                ("agencies", "agencies at most per country team"),
                ("people", "people in all (existing ones count)"),
                ("services", "services per BOS, about"),
                ("years", "years of history"),
                ("tickets", "service-desk tickets, spread over the new country teams"),
                ("seed", "the seed everything is drawn from")):
            parser.add_argument(f"--{name}", type=int, default=getattr(defaults, name),
                                help=f"{help_text} (default {getattr(defaults, name)})")

    def handle(self, *args, **options):
        sizes = scale.Sizes(**{name: options[name] for name in (
            "countries", "agencies", "people", "services", "years", "tickets", "seed")})
        counts = scale.build(sizes, out=self.stdout)
        seconds = counts.pop("seconds")
        summary = ", ".join(f"{n:,} {name}" for name, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Scale data in place in {seconds:.0f} s: "
                                             f"{summary}."))
