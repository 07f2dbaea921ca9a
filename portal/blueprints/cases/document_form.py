"""The upload form of the case file's "Dokumen" section: the type, date and note of a paper, and
the file (what the file is, is decided from its bytes by services.files, not here)."""

from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ...forms import Form, OfficeDated, strip
from ...models.people import DOC_TYPES
from ...services.i18n import lazy as _l
from ...services.labels import DOC_TYPES as DOC_TYPE_LABELS


class DocumentForm(OfficeDated, Form):
    doc_type = SelectField(
        _l("Jenis dokumen"),
        choices=[("", "—")] + [(code, DOC_TYPE_LABELS[code]) for code in DOC_TYPES],
        validators=[InputRequired(message=_l("Pilih jenis dokumen."))],
    )
    doc_date = DateField(_l("Tanggal dokumen"), validators=[Optional()])
    note = StringField(_l("Keterangan"), filters=[strip], validators=[Length(max=500)])
    sensitive = BooleanField(
        _l("Data kesehatan (hanya petugas yang ditugaskan dan manajer yang melihatnya)")
    )
    file = FileField(
        _l("Berkas"), validators=[FileRequired(message=_l("Pilih berkas yang akan diunggah."))]
    )

    def validate_doc_date(self, field):
        if field.data and field.data > self.today:
            raise ValidationError(_l("Tanggal dokumen tidak boleh di masa depan."))

    def values(self) -> dict:
        return {
            "doc_type": self.doc_type.data,
            "doc_date": self.doc_date.data,
            "note": self.note.data or "",
            "sensitive": bool(self.sensitive.data),
        }
