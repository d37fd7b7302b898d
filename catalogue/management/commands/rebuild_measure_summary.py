"""python manage.py rebuild_measure_summary: rewrite every region's latest figures per measure."""

from django.core.management.base import BaseCommand

from catalogue import measure_summary, state


class Command(BaseCommand):
    help = (
        "Rewrite the measure summary (each region's latest public figure per measure, unit and "
        "period kind) and the region counts (public reports, measures per region) from the "
        "reports and indicators. Ingest and staff saves keep them up to date; run this "
        "after changing indicators outside them (SQL, shell). Safe to run again."
    )

    def handle(self, *args, **options):
        rows = measure_summary.rebuild()
        state.bump()  # cached comparisons were computed from the old summary
        self.stdout.write(f"measure summary: {rows} rows")
