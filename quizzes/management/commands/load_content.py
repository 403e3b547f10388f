"""manage.py load_content content/ — load courses written as files.

Lives in quizzes, the lowest app that knows both courses and quizzes; the
work is ``quizzes.content.content_load``.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quizzes.content import content_load


class Command(BaseCommand):
    help = "Check every course file below PATH, then load them all, or nothing if one is wrong."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--check", action="store_true", help="Check the files and load nothing."
        )

    def handle(self, *args, path: Path, check: bool, **options):
        if not path.is_dir():
            raise CommandError(f"{path}: not a folder")
        report = content_load(path, check_only=check)
        if report.errors:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(report.errors)} error(s): nothing was loaded.")
        if check:
            self.stdout.write(self.style.SUCCESS(f"{report.courses} course(s) checked, no error."))
            return
        totals = report.totals
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.courses} course(s) loaded: {totals['created']} created,"
                f" {totals['updated']} updated,"
                f" {totals['unchanged']} unchanged"
                f" ({totals['removed']} grain(s) removed)."
            )
        )
