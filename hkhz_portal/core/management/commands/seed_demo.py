import secrets

from django.conf import settings
from django.core.management.base import BaseCommand

from enterprises import demo as enterprises_demo
from hkhz_portal.accounts import demo as accounts_demo
from hkhz_portal.accounts.models import User


class Command(BaseCommand):
    help = "Create demo units and one user per role. Safe to run again: it only adds what is missing."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Password for new demo users (default: DEMO_PASSWORD or a random one).")
        parser.add_argument("--reset-passwords", action="store_true", help="Set a new password on existing demo users.")

    def handle(self, *args, password=None, reset_passwords=False, **options):
        password = password or getattr(settings, "DEMO_PASSWORD", "") or secrets.token_urlsafe(9)
        users = accounts_demo.seed_users(password, reset_passwords=reset_passwords)
        if users:
            self.stdout.write(self.style.SUCCESS("Demo users (the password is shown only now):"))
            for user in users:
                self.stdout.write(f"  {user.email:<30} {', '.join(sorted(user.roles))}")
            self.stdout.write(self.style.WARNING(f"  password: {password}"))
        else:
            self.stdout.write("Demo users already present; passwords unchanged (use --reset-passwords for new ones).")
        applicant = User.objects.get(email=accounts_demo.APPLICANT_EMAIL)
        created = enterprises_demo.seed_enterprises(applicant)
        self.stdout.write(
            f"Demo enterprises: {created} created, {len(enterprises_demo.FIRMS) - created} already present."
        )
