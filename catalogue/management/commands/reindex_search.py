"""python manage.py reindex_search: recompute every row's search tokens with the current segmenter."""

from django.core.management.base import BaseCommand

from catalogue.indexing import SEARCH_MODELS, reindex


class Command(BaseCommand):
    help = (
        "Recompute the search tokens of every report, programme, initiative and indicator "
        "with the current segmentation (run after upgrading; re-ingest with --force does the "
        "same for the files it reads). Works in batches; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", type=int, default=500, help="rows read and updated per batch (500)"
        )

    def handle(self, *args, **options):
        for model in SEARCH_MODELS:
            read = changed = 0
            for rows, updated in reindex(model, batch=options["batch"]):
                read, changed = read + rows, changed + updated
            name = model._meta.verbose_name_plural
            self.stdout.write(f"{model.__name__}: {read} rows, {changed} updated ({name})")
