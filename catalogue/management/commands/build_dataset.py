"""python manage.py build_dataset: the public catalogue as downloadable files for /data/."""

from django.core.management.base import BaseCommand

from catalogue.dataset import build_dataset, dataset_dir


class Command(BaseCommand):
    help = "Write the public catalogue as a zipped CSV set and one JSON Lines file for /data/."

    def handle(self, *args, **options):
        manifest = build_dataset()
        counts = ", ".join(f"{name} {n}" for name, n in manifest["counts"].items())
        self.stdout.write(f"dataset built in {dataset_dir()}: {counts}")
