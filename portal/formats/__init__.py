"""The portal's formats per language (`settings.FORMAT_MODULE_PATH`): one way to write a date and a moment on
every page, in code (`date_format(..., "DATETIME_FORMAT")`) and in templates (`|date`) alike; what Django's own
locale formats say otherwise (first day of the week, input formats) stays.

Also the punctuation Django's forms put after a label (`label_suffix`, django/forms/boundfield.py): marked
here so that makemessages writes the same msgids into the portal's catalogue, whose translations win over
Django's. In Chinese the suffix is a full-width colon, and a label that ends in a full stop, a question or an
exclamation mark in either width gets none.
"""

from django.utils.translation import gettext_noop

LABEL_SUFFIX = gettext_noop(":")
NO_SUFFIX_AFTER = gettext_noop(":?.!")
