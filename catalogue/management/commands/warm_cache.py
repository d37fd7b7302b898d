"""python manage.py warm_cache: compute now what readers would otherwise compute first."""

from django.core.management.base import BaseCommand

from catalogue.warm import warm


class Command(BaseCommand):
    help = (
        "Fill the shared cache for the current catalogue version: home figures, the exact "
        "counts and facets of every whole list, the region tree. Ingest does this itself; "
        "run it after staff edits (from cron, say) so that no reader pays for it."
    )

    def handle(self, *args, **options):
        took = warm()
        self.stdout.write(", ".join(f"{name} {seconds:.1f} s" for name, seconds in took.items()))
