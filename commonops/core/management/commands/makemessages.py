"""`makemessages` that also extracts L("…"): pages declare their column labels with
gettext_lazy imported as L, a name xgettext does not know by itself."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=L"]
