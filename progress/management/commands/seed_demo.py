"""manage.py seed_demo — the demo accounts, for `make run` on a laptop only.

Creates each account once and never changes an existing one, so running it
again changes no data. Refuses to run unless DEBUG is on (or --force).

Lives in progress, the lowest app that knows all it seeds: accounts and a
cohort (learning_platform), courses, and their assignment to the cohort.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from courses.models import Course
from learning_platform.models import Cohort, Organisation
from progress.services import cohort_course_assign

DEMO_ACCOUNTS = [
    # username, password, display name, role
    ("apprenant", "grains-apprenant-2026", "Camille (apprenante)", "learner"),
    ("tuteur", "grains-tuteur-2026", "Karim (tuteur)", "tutor"),
    ("autrice", "grains-autrice-2026", "Inès (autrice)", "author"),
    ("comite1", "grains-comite-2026", "Bertrand (comité pédagogique)", "committee"),
    ("comite2", "grains-comite-2026", "Aïcha (comité pédagogique)", "committee"),
    ("admin", "grains-admin-2026", "Admin", "admin"),
]
DEMO_CODE = "MARDINUM"
# The demo author's own published courses: she revises them in the studio.
DEMO_AUTHORED = ["tableur-premiers-pas", "participer-a-une-visioconference"]
DEMO_COURSES = ["securiser-ses-mots-de-passe", "reconnaitre-l-hameconnage"]


class Command(BaseCommand):
    help = (
        "Create the demo accounts (learner, tutor, author, two committee members, admin) "
        "and print their logins."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Demo accounts have well-known passwords: run with DEBUG=true, or --force."
            )
        User = get_user_model()
        created = 0
        for username, password, display_name, role in DEMO_ACCOUNTS:
            if User.objects.filter(username=username).exists():
                continue
            user = User(
                username=username,
                display_name=display_name,
                email=f"{username}@example.org",
                # The author writes in the studio (/studio/), not in the admin.
                is_staff=role == "admin",
                is_superuser=role == "admin",
                is_author=role == "author",
                is_committee_member=role == "committee",
            )
            user.set_password(password)
            user.save()
            created += 1
        author = User.objects.filter(username="autrice").first()
        if author is not None:
            for course in Course.objects.published().filter(slug__in=DEMO_AUTHORED):
                course.authors.add(author)
        cohort = self._demo_cohort(User)
        self.stdout.write(f"Demo accounts ({created} created now):")
        for username, password, _display, role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {role:<9} {username:<10} {password}")
        if cohort is not None:
            self.stdout.write(
                f"Demo group “{cohort.name}”, tutored by tuteur: join code {cohort.invite_code}"
            )

    def _demo_cohort(self, User):
        """A public digital space with a Tuesday group tutored by the demo
        tutor, two demo courses assigned. The demo learner joins it by code
        (nobody is added without consent). Created once."""
        tutor = User.objects.filter(username="tuteur").first()
        if tutor is None:
            return None
        cohort = Cohort.objects.filter(invite_code=DEMO_CODE).first()
        if cohort is None:
            organisation, _ = Organisation.objects.get_or_create(
                name="Espace public numérique de Saint-Martin",
                defaults={"kind": Organisation.Kind.PUBLIC_SPACE},
            )
            cohort = Cohort.objects.create(
                name="Groupe du mardi", organisation=organisation, invite_code=DEMO_CODE
            )
            cohort.tutors.add(tutor)
            for slug in DEMO_COURSES:
                course = Course.objects.published().filter(slug=slug).first()
                if course:
                    cohort_course_assign(cohort=cohort, course=course)
        return cohort
