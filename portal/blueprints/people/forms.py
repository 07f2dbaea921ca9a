"""The merge form: one choice per row (the kept record's value or the other's) and both
records' versions (optimistic locking); the undo form carries the kept record's version."""

from __future__ import annotations

from wtforms import HiddenField, RadioField

from ...forms import Form, VersionField
from ...services.merge import FIELD_GROUPS, GROUP_LABELS


class UndoForm(Form):
    kept_version = VersionField()


class _MergeForm(Form):
    keep = HiddenField()
    merge = HiddenField()
    keep_version = VersionField()
    merge_version = VersionField()
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
