"""One date format per language (settings.FORMAT_MODULE_PATH): a day, a short month name and
the year ("5 Feb 2026", "5 fév. 2026", "5 feb 2026"), unambiguous in every country; times in
24 hours. Everything not set here (numbers, input formats) is Django's for the language."""
