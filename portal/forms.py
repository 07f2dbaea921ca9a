"""The base of every form: Flask-WTF (CSRF) plus WTForms' own messages in Indonesian.

WTForms ships no Indonesian catalog, so ours lives in translations/<locale>/wtforms.po."""

import os

from babel import support
from flask import current_app, g
from flask_babel import get_locale
from flask_wtf import FlaskForm


class _Translations:
    def _catalog(self):
        catalog = getattr(g, "_wtforms_catalog", None)
        if catalog is None:
            directory = os.path.join(current_app.root_path, "translations")
            catalog = support.Translations.load(directory, [get_locale()], domain="wtforms")
            g._wtforms_catalog = catalog
        return catalog

    def gettext(self, string):
        return self._catalog().ugettext(string)

    def ngettext(self, singular, plural, n):
        return self._catalog().ungettext(singular, plural, n)


_translations = _Translations()


class Form(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return _translations
