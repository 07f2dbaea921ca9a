"""Translation helpers usable outside a request (services, forms)."""

from flask_babel import gettext, lazy_gettext

lazy = lazy_gettext
now = gettext
