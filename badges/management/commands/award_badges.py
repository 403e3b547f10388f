"""manage.py award_badges — re-evaluate every completed course and award the
badges that are due (after criteria change, or for past completions).
Idempotent: a second run awards nothing."""

from django.core.management.base import BaseCommand

from badges.services import award_all


class Command(BaseCommand):
    help = "Award every badge that is due; say how many were awarded."

    def handle(self, *args, **options):
        count = award_all()
        self.stdout.write(self.style.SUCCESS(f"{count} badge(s) awarded."))
