"""The base of every form: Flask-WTF (CSRF) plus WTForms' own messages in Indonesian.

WTForms ships no Indonesian catalog, so ours lives in translations/<locale>/wtforms.po."""

import os
from datetime import date
from itertools import groupby
from operator import itemgetter

from babel import support
from flask import current_app, g, request
from flask_babel import get_locale
from flask_babel.speaklater import LazyString
from flask_login import current_user
from flask_wtf import FlaskForm
from lokal import parse_rupiah
from markupsafe import Markup, escape
from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import Choice, SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import HiddenInput, Input, Select
from wtforms.widgets.core import clean_key

from .services.errors import StaleVersion
from .services.i18n import lazy as _l
from .services.timeutil import office_today


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


_CONTROLS = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")


def strip(value):
    """Field filter: surrounding spaces are never part of what a user meant, nor are control
    characters (a NUL cannot even be stored in PostgreSQL text)."""
    return value.translate(_CONTROLS).strip() if isinstance(value, str) else value


def _typed(field) -> bool:
    """A field whose value is text a user typed (not a password: its spaces count)."""
    return isinstance(field, StringField) and not isinstance(field, PasswordField)


def html_params(**kwargs) -> Markup:
    """wtforms.widgets.html_params, the same text, without Markup.format for each attribute
    (a third of a select's time)."""
    params = []
    for key, value in sorted(kwargs.items()):
        key = clean_key(key)
        if value is True:
            params.append(str(escape(key)))
        elif value is not False:
            params.append(f'{escape(key)}="{_attribute(value)}"')
    return Markup(" ".join(params))  # noqa: S704 - every key and value escaped


# Every <input> of the portal's forms writes its attributes with it (Input.html_params is
# WTForms' hook for this; the text is the same).
Input.html_params = staticmethod(html_params)


def _attribute(value) -> str:
    text = str(escape(value))
    return text.replace('"', "&quot;") if '"' in text else text


def _option(value, label, selected: bool, render_kw) -> str:
    """What Select.render_option writes (the attributes in html_params' sorted order)."""
    if render_kw:
        return Select.render_option(Choice(value, label, selected, render_kw))
    if isinstance(value, bool):
        value = str(value)
    if isinstance(label, LazyString):  # translated once, not for `or` and again for escape()
        shown = label.__html__()  # what escape() takes from it: the translation, as it is
        text = Markup(shown) if shown else escape(value)  # noqa: S704 - our own catalogue
    else:
        text = escape(label or value)
    if selected:
        return f'<option selected value="{_attribute(value)}">{text}</option>'
    return f'<option value="{_attribute(value)}">{text}</option>'


def _plain_choices(field):
    """A plain SelectField's choices as (value, label, selected, render_kw, optgroup), read
    once (WTForms converts them again for iter_choices, has_groups and iter_groups), or None
    for a field that yields its own choices."""
    kind = type(field)
    if not (
        kind.iter_choices is SelectField.iter_choices
        and kind.has_groups is SelectField.has_groups
        and kind.iter_groups is SelectField.iter_groups
    ):
        return None
    coerce, data, choices = field.coerce, field.data, field.choices
    if not isinstance(choices, list):  # a dict of groups: as WTForms reads it
        return [
            (c.value, c.label, coerce(c.value) == data, c.render_kw, c.optgroup)
            for c in field._choices_from_input(choices) or []
        ]
    return [_plain_choice(c, coerce, data) for c in choices]


def _plain_choice(choice, coerce, data) -> tuple:
    """SelectChoice.from_input without building the SelectChoice."""
    if isinstance(choice, tuple) and len(choice) in (2, 3):
        value, label = choice[0], choice[1]
        render_kw = choice[2] if len(choice) == 3 else None
        return value, value if label is None else label, coerce(value) == data, render_kw, None
    if isinstance(choice, str):
        return choice, choice, coerce(choice) == data, None, None
    c = SelectChoice.from_input(choice)
    return c.value, c.label, coerce(c.value) == data, c.render_kw, c.optgroup


def first_choice_value(field):
    """The value of a select's first option (None without options): whether the select has a
    placeholder ("" or None) first (templates/_forms.html)."""
    choices = field.choices
    if type(field) is SelectField and isinstance(choices, list):
        if not choices:
            return None
        first = choices[0]
        if isinstance(first, SelectChoice):
            return first.value
        return first[0] if isinstance(first, tuple) else first
    first = next(iter(field.iter_choices()), None)
    return None if first is None else first.value


class FastSelect(Select):
    """WTForms' single select, the same HTML, written with less work per option: the case list's
    filters and the case file's forms show a few hundred options on every page, and WTForms
    sorts and formats each option's attributes, inspects render_option at every select and
    converts the choices three times."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for k in dir(flags):
            if k in self.validation_attrs and k not in kwargs:
                kwargs[k] = getattr(flags, k)
        html = [f"<select {html_params(name=field.name, **kwargs)}>"]
        choices = _plain_choices(field)
        if choices is not None:
            grouped = any(c[4] is not None for c in choices)
            for optgroup, group in groupby(choices, key=itemgetter(4)):
                if grouped and optgroup is not None:
                    html.append(f'<optgroup label="{_attribute(optgroup)}">')
                html.extend(_option(*c[:4]) for c in group)
                if grouped and optgroup is not None:
                    html.append("</optgroup>")
        elif field.has_groups():
            for optgroup, group in field._iter_groups_normalized():
                if optgroup is not None:
                    html.append(f'<optgroup label="{_attribute(optgroup)}">')
                html.extend(_option(c.value, c.label, c.selected, c.render_kw) for c in group)
                if optgroup is not None:
                    html.append("</optgroup>")
        else:
            html.extend(
                _option(c.value, c.label, c.selected, c.render_kw)
                for c in field._iter_choices_normalized()
            )
        html.append("</select>")
        return Markup("".join(html))  # noqa: S704 - every value and label escaped above


_FAST_SELECT = FastSelect()


REFRESH = "refresh"  # the name of the no-JavaScript "Pilih" buttons of cascading selects


class Form(FlaskForm):
    """Every text field is stripped (`strip`), and a required one holding only spaces is empty:
    InputRequired looks at what was sent, so it sees the stripped text too."""

    class Meta:
        def get_translations(self, form):
            return _translations

        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
                filters = list(unbound_field.kwargs.get("filters") or ())
                if strip not in filters:
                    options = {**options, "filters": [strip, *filters]}
            widget = getattr(field_class, "widget", None)
            if type(widget) is Select and not widget.multiple and "widget" not in options:
                if unbound_field.kwargs.get("widget") is None:
                    options = {**options, "widget": _FAST_SELECT}
            return unbound_field.bind(form=form, **options)

    def hidden_tag(self, *fields):
        """The hidden fields; the CSRF token without an id, so that several forms on one page
        (a case file has five) never repeat the id "csrf_token"."""
        chosen = fields or [f for f in self if isinstance(f.widget, HiddenInput)]
        rendered = (f(id=False) if f.name == "csrf_token" else f() for f in chosen)
        return Markup("\n").join(rendered)  # each field renders (escaped) Markup itself

    def is_submitted(self) -> bool:
        """A "Pilih" button (a cascading select without JavaScript) posts the form only to show
        it again with the next level's choices: not a submission, nothing saved or refused."""
        return super().is_submitted() and REFRESH not in request.form

    def validate(self, extra_validators=None):
        for field in self:
            if _typed(field) and field.raw_data and isinstance(field.data, str):
                field.raw_data = [field.data, *field.raw_data[1:]]
        return super().validate(extra_validators)


_BROKEN_FORM = _l(
    "Formulir ini tidak utuh atau sudah kedaluwarsa. Muat ulang halaman lalu simpan lagi."
)


class VersionField(HiddenField):
    """The version of the record the form was opened at (optimistic locking)."""

    def number(self) -> int:
        """The version as a number; a value no page of ours sent (tampered, cut off) is refused
        as a stale form (409, the form kept) rather than failing."""
        value = (self.data or "0").strip()
        if not (value.isascii() and value.isdigit() and len(value) <= 10):
            refusal = StaleVersion(str(_BROKEN_FORM))
            refusal.tampered = True  # cases/_conflict.html says this, not "changed by others"
            raise refusal
        return int(value)


class OfficeDated:
    """A form whose rules know today ("not in the future", "not later than a year ahead"): today
    at the signed-in user's office, unless a view or a test sets another day."""

    _today: date | None = None

    @property
    def today(self) -> date:
        return self._today or office_today(current_user.office)

    @today.setter
    def today(self, value: date) -> None:
        self._today = value


class RupiahField(StringField):
    """Accepts '1.500.000', '1500000', 'Rp 1,5 juta', 'Rp1.500.000'; data is an int (Rupiah)."""

    amount: int | None = None

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.amount = None
        text = (self.data or "").strip()
        if not text:
            return
        digits_only = text.replace(".", "").replace(" ", "")
        if digits_only.isdigit():
            self.amount = int(digits_only)
            return
        parsed = parse_rupiah(text)
        if parsed is None or parsed.amount is None or parsed.approximate:
            raise ValueError(str(_l("Jumlah tidak dikenali (contoh: 1.500.000 atau Rp 1,5 juta).")))
        self.amount = int(round(parsed.amount))

    def pre_validate(self, form):
        if self.amount is not None and not 0 <= self.amount <= 10_000_000_000:
            raise ValidationError(_l("Jumlah harus antara Rp0 dan Rp10.000.000.000."))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if isinstance(self.data, int):
            return f"{self.data:,}".replace(",", ".")
        return self.data or ""
