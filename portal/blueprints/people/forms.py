"""The merge form: one choice per row (the kept record's value or the other's) and both
records' versions (optimistic locking); the undo form carries the kept record's version."""

from __future__ import annotations

from wtforms import BooleanField, HiddenField, RadioField, StringField
from wtforms.validators import Length

from ...forms import Form, VersionField, strip
from ...services.i18n import lazy as _l
from ...services.merge import FIELD_GROUPS, GROUP_LABELS


class UndoForm(Form):
    kept_version = VersionField()


class _MergeForm(Form):
    keep = HiddenField()
    merge = HiddenField()
    keep_version = VersionField()
    merge_version = VersionField()
    nik_confirmed = BooleanField(
        _l("Saya sudah memeriksa: NIK yang dipilih benar milik orang ini.")
    )
    nik_reason = StringField(
        _l("Alasan (mis. KTP dilihat, keluarga memastikan)"),
        filters=[strip],
        validators=[Length(max=300)],
    )
    conflict = None
    conflict_message = None

    def load(self, kept, merged, choices: dict) -> None:
        self.keep.data, self.merge.data = str(kept.id), str(merged.id)
        self.keep_version.data, self.merge_version.data = (
            str(kept.version_id),
            str(merged.version_id),
        )
        for group, choice in choices.items():
            self[group].data = choice

    def choices(self) -> dict:
        return {group: self[group].data for group in FIELD_GROUPS}

    def confirmation(self) -> dict:
        return {"confirmed": self.nik_confirmed.data, "reason": self.nik_reason.data or ""}

    def versions(self) -> tuple[int, int]:
        return self.keep_version.number(), self.merge_version.number()


MergeForm = type(
    "MergeForm",
    (_MergeForm,),
    {
        group: RadioField(label, choices=[("keep", ""), ("merge", "")], default="keep")
        for group, label in GROUP_LABELS.items()
    },
)
