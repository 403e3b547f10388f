"""manage.py load_content content/ — load courses written as files.

Lives in quizzes, the lowest app that knows both courses and quizzes.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from courses.content import course_load, read_content
from courses.models import Competence, Unit
from quizzes.content import parse_quiz, quiz_load


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
        specs, errors = read_content(path)
        known = set(Competence.objects.values_list("code", flat=True))
        quizzes = {}
        for spec in specs:
            for unit in spec.units:
                if unit.kind == Unit.Kind.QUIZ:
                    quiz_spec, quiz_errors = parse_quiz(unit.path, unit.meta, known)
                    errors.extend(quiz_errors)
                    quizzes[(spec.slug, unit.slug)] = quiz_spec
        if errors:
            for error in errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(errors)} error(s): nothing was loaded.")
        if check:
            self.stdout.write(self.style.SUCCESS(f"{len(specs)} course(s) checked, no error."))
            return
        totals = {"created": 0, "updated": 0, "unchanged": 0, "removed": 0}
        with transaction.atomic():
            for spec in specs:
                course, units, stats = course_load(spec)
                quiz_changed = False
                for slug, unit in units.items():
                    if unit.kind == Unit.Kind.QUIZ:
                        quiz_spec = quizzes[(spec.slug, slug)]
                        quiz_changed |= quiz_load(
                            unit=unit, spec=quiz_spec, language=course.language
                        )
                if quiz_changed and stats["unchanged"]:
                    stats["unchanged"], stats["updated"] = 0, 1
                for key in totals:
                    totals[key] += stats[key]
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(specs)} course(s) loaded: {totals['created']} created,"
                f" {totals['updated']} updated,"
                f" {totals['unchanged']} unchanged"
                f" ({totals['removed']} grain(s) removed)."
            )
        )
