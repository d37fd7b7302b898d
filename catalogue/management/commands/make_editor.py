"""python manage.py make_editor USERNAME: a staff account in the `editor` group."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Make USERNAME an editor (staff, in the 'editor' group): it can curate catalogue "
        "data in /admin/ but not manage users. Creates the account when it does not exist."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="the account to create or promote")
        parser.add_argument("--email", default="", help="e-mail address for a new account")

    def handle(self, *args, **options):
        try:
            group = Group.objects.get(name="editor")
        except Group.DoesNotExist:
            raise CommandError("the 'editor' group is missing: run manage.py migrate") from None
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=options["username"], defaults={"email": options["email"]}
        )
        if created:
            user.set_unusable_password()
        user.is_staff = True
        user.save()
        user.groups.add(group)
        verb = "Created" if created else "Updated"
        self.stdout.write(f"{verb} {user.username}: staff, in the editor group.")
        if created or not user.has_usable_password():
            self.stdout.write(f"Set a password with: manage.py changepassword {user.username}")
