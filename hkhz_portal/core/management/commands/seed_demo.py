import secrets

from django.conf import settings
from django.core.management.base import BaseCommand

from hkhz_portal.accounts import demo as accounts_demo
from hkhz_portal.core import demo


class Command(BaseCommand):
    help = (
        "Create demo units, one user per role, and each app's demo data. "
        "Safe to run again: it only adds what is missing."
    )

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
        secret = accounts_demo.seed_partner_key()
        if secret:
            self.stdout.write(self.style.SUCCESS("Demo partner API key (shown only now; see /partner/api-keys/):"))
            self.stdout.write(self.style.WARNING(f"  {secret}"))
            self.stdout.write(f'  curl -H "Authorization: Bearer {secret}" http://127.0.0.1:8000/api/v1/calls/')
        else:
            self.stdout.write("Demo partner API key already present; its secret was shown once, at its making.")
        # Each app's demo data (enterprises, later programmes and the fund), registered in its AppConfig.ready().
        for seeder in demo.seeders():
            self.stdout.write(seeder())
