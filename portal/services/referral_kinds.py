"""The kinds of referral, one declaration each: what forms, rules, letters, admin settings,
follow-ups and pages read about a kind (CTFd's challenge types: a registry, not `if kind ==`).

A declaration names its form (a class in blueprints/referrals/forms.py, by name: services never
import blueprints), the model columns it edits, what must be filled before it is submitted, the
letter its approval issues and to whom, the office settings that letter reads (tembusan,
classification code per client category, Sifat: on the admin page), the follow-up proposed after the handover, and its
templates. `code` is the value stored in referral.kind and used in URLs (?kind=): never rename it.

Adding a kind touches:
  - this module: one `ReferralKind(...)` in KINDS;
  - its templates: `referrals/kinds/<code>.html` (the form's and the summary's kind-specific parts,
    as macros; an empty file is allowed) and `letters/<letter>.html`;
and, because they are database columns or statically declared admin form fields:
  - a migration adding `office.followup_days_<code>` (models/offices.py), or leave the kind's
    follow-up off by giving it `followup_kind=""`: proposal_days() then reads 0;
  - in blueprints/admin/forms.py (OfficeForm): `copies_<letter>` and `followup_days_<code>`
    fields (its classification codes and Sifat come with the kind: blueprints/admin/letter_fields.py);
  - a form class in blueprints/referrals/forms.py only if no existing one fits (`form=` may name a
    form another kind uses: each kind gets its own subclass with its own organisation kinds).
tests/test_referral_kinds.py walks KINDS and fails on a kind declared by halves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .i18n import lazy as _l

RECEIVER = "receiver"  # a required "field": the organisation chosen from the list, or typed


@dataclass(frozen=True)
class Requirement:
    """A field that must be filled before submitting (`when`: only if this holds)."""

    field: str
    label: object  # a lazy string
    when: Callable[[object], bool] | None = None

    def applies(self, referral) -> bool:
        return self.when is None or bool(self.when(referral))


@dataclass(frozen=True)
class ReferralKind:
    code: str  # referral.kind in the database and ?kind= in URLs
    label: object  # lazy strings from here on
    short_label: object  # report and dashboard columns
    form: str  # the form class's name in blueprints/referrals/forms.py
    organisation_kinds: tuple[str, ...]  # which partners the form offers as the receiver
    fields: tuple[str, ...]  # the model's columns this kind edits, besides the common ones
    required: tuple[Requirement, ...]  # before submitting, in the order they are reported
    letter: str  # the letter kind its approval issues (Letter.kind)
    letter_label: object
    letter_subject: str  # the printed "Hal" (Indonesian only: an official letter)
    recipient_title: str  # "Yth. <title> <receiver>" when the receiver's kind says no other
    recipient_fallback: str  # when no receiver is known
    # tembusan until the office sets its own ("Arsip" is added); {tokens}: services.addressees
    default_copies: tuple[str, ...]
    followup_kind: str  # proposed after the handover (a FollowUp.kind); "" for none
    followup_purpose: object  # with %(receiver)s
    person_letters: tuple[str, ...] = ()  # further letters issued to the person, on approval
    # the case's documents (Attachment.doc_type) its letter may carry as "Lampiran"; a sensitive
    # (medical) one only in a letter that is itself health data (access.SENSITIVE_LETTERS)
    letter_documents: tuple[str, ...] = ("ktp", "kk", "polisi", "pernyataan", "tiket", "foto", "lainnya")  # fmt: skip
    default_classification: str = "400.9.3"  # Permendagri 83/2022: 400.9 social affairs
    # the client's data goes to another institution (every kind so far: a hospital, a panti,
    # another Dinsos): submitting needs the case's basis of processing (services.consent)
    shares_data: bool = True

    @property
    def template(self) -> str:
        """Macros with the kind's own parts of the form and of the summary."""
        return f"referrals/kinds/{self.code}.html"

    @property
    def letter_template(self) -> str:
        return f"letters/{self.letter}.html"

    @property
    def followup_days_setting(self) -> str:  # an Office column
        return f"followup_days_{self.code}"

    @property
    def copies_setting(self) -> str:  # an office form field: tembusan, one per line
        return f"copies_{self.letter}"

    def recipient(self, receiver: str) -> str:
        """The letter's addressee, from the receiving organisation's name."""
        return f"{self.recipient_title} {receiver}" if receiver else self.recipient_fallback


def _medical_referral(referral) -> bool:
    return bool(referral.medical_referral)


KINDS: dict[str, ReferralKind] = {
    kind.code: kind
    for kind in (
        ReferralKind(
            code="rsj",
            label=_l("Rujukan ke Rumah Sakit Jiwa (RSJ)"),
            short_label=_l("RSJ"),
            form="RsjReferralForm",
            organisation_kinds=("rsj",),
            fields=(
                "medical_referral",
                "medical_doctor",
                "medical_facility",
                "medical_date",
                "observations",
                "diagnosis",
                "insurance",
                "insurance_number",
                "family_status",
                "family_reason",
            ),
            required=(
                Requirement("organisation_id", _l("RSJ tujuan")),
                Requirement("medical_referral", _l("Rujukan medis dari Puskesmas/RSUD (ya/tidak)")),
                Requirement("observations", _l("Hasil pengamatan")),
                Requirement("insurance", _l("Jaminan kesehatan")),
                Requirement("family_status", _l("Keluarga diberi tahu / setuju")),
                Requirement("escort", _l("Petugas pendamping")),
                Requirement("transport", _l("Transportasi")),
                Requirement("planned_date", _l("Tanggal rencana rujukan")),
                Requirement("medical_doctor", _l("Dokter perujuk"), _medical_referral),
                Requirement("medical_facility", _l("Puskesmas / RSUD perujuk"), _medical_referral),
                Requirement("medical_date", _l("Tanggal rujukan medis"), _medical_referral),
                Requirement(
                    "insurance_number",
                    _l("Nomor BPJS/KIS"),
                    lambda referral: referral.insurance in ("bpjs", "kis"),
                ),
                Requirement(
                    "family_reason",
                    _l("Alasan keluarga tidak diberi tahu"),
                    lambda referral: referral.family_status == "not",
                ),
            ),
            letter="rujukan_rsj",
            letter_label=_l("Surat rujukan/rekomendasi RSJ"),
            letter_subject="Rekomendasi Rujukan Pasien ke Rumah Sakit Jiwa",
            recipient_title="Direktur",
            recipient_fallback="Direktur Rumah Sakit Jiwa",
            default_copies=("Kepala Dinas Kesehatan {daerah kantor}", "{perujuk}"),
            followup_kind="facility_visit",
            followup_purpose=_l("Kunjungan ke %(receiver)s: pantau kondisi dan perawatan klien."),
            letter_documents=(
                "ktp",
                "kk",
                "polisi",
                "rujukan_medis",
                "pemeriksaan",
                "pernyataan",
                "foto",
                "lainnya",
            ),  # fmt: skip
        ),
        ReferralKind(
            code="return_home",
            label=_l("Pemulangan ke daerah asal"),
            short_label=_l("Pemulangan"),
            form="ReturnHomeReferralForm",
            organisation_kinds=("dinsos",),
            fields=(
                "destination_regency_code",
                "family_contact",
                "route",
                "ticket_cost",
                "pocket_money",
            ),
            required=(
                Requirement("destination_regency_code", _l("Kabupaten/kota tujuan")),
                Requirement(RECEIVER, _l("Dinas Sosial penerima")),
                Requirement("route", _l("Rute")),
                Requirement("transport", _l("Moda transportasi")),
                Requirement("escort", _l("Pendamping")),
                Requirement("planned_date", _l("Tanggal keberangkatan")),
            ),
            letter="pengantar_pemulangan",
            letter_label=_l("Surat pengantar pemulangan"),
            letter_subject="Pengantar Pemulangan Orang Terlantar",
            recipient_title="Kepala",
            recipient_fallback="",
            default_copies=("Kepala Dinas Sosial Provinsi {provinsi tujuan}", "Yang bersangkutan"),
            followup_kind="dinsos_coordination",
            followup_purpose=_l("Konfirmasi kedatangan klien dengan %(receiver)s."),
            person_letters=("surat_jalan",),  # the traveller carries a surat jalan
        ),
        ReferralKind(
            code="placement",
            label=_l("Penempatan di panti / UPTD / balai"),
            short_label=_l("Panti"),
            form="PlacementReferralForm",
            organisation_kinds=("panti",),
            fields=("programme", "expected_duration"),
            required=(
                Requirement("organisation_id", _l("Panti / UPTD / balai")),
                Requirement("programme", _l("Program")),
                Requirement("expected_duration", _l("Perkiraan lama penempatan")),
                Requirement("planned_date", _l("Tanggal penempatan")),
            ),
            letter="rujukan_panti",
            letter_label=_l("Surat rujukan panti/UPTD"),
            letter_subject="Rujukan Penempatan Penerima Manfaat",
            recipient_title="Kepala",
            recipient_fallback="",
            default_copies=("Kepala Bidang Rehabilitasi Sosial",),
            followup_kind="facility_visit",
            followup_purpose=_l("Kunjungan ke %(receiver)s: pantau penyesuaian klien."),
        ),
        ReferralKind(
            code="service",
            label=_l("Rujukan layanan lain"),
            short_label=_l("Lainnya"),
            form="ServiceReferralForm",
            organisation_kinds=(
                "hospital",
                "puskesmas",
                "police",
                "dinsos",
                "other",
                "panti",
                "rsj",
            ),
            fields=("purpose",),
            required=(
                Requirement(RECEIVER, _l("Organisasi tujuan")),
                Requirement("purpose", _l("Tujuan layanan")),
            ),
            letter="rujukan_layanan",
            letter_label=_l("Surat rujukan layanan"),
            letter_subject="Rujukan Layanan",
            recipient_title="Pimpinan",
            recipient_fallback="",
            default_copies=(),
            followup_kind="phone_call",
            followup_purpose=_l("Tanyakan hasil layanan di %(receiver)s."),
        ),
    )
}
CODES = tuple(KINDS)  # in the order pages and reports show them
LETTERS = tuple(kind.letter for kind in KINDS.values())  # the letters referrals issue on approval


def get(code: str) -> ReferralKind | None:
    return KINDS.get(code)


def by_letter(letter: str) -> ReferralKind | None:
    return next((kind for kind in KINDS.values() if kind.letter == letter), None)
