from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ...bounds import bounded_int
from ...extensions import db
from ...models import LocalCaseType, Person, PpksCategory
from ...services import access, intake, nik_holder, regions
from ...services.errors import Refused
from ...services.identity import check_nik, clean_digits
from ...services.timeutil import office_today
from ...unit_of_work import refuse, transactional
from ..helpers import allowed, client_ip, roles_required
from . import bp
from .forms import CaseOnlyForm, RegisterForm

REGION_PARENTS = {
    "province_code": ("regency_code", ["district_code", "village_code"]),
    "regency_code": ("district_code", ["village_code"]),
    "district_code": ("village_code", []),
    "origin_province": ("origin_regency_code", []),
    "province": ("region_code", []),  # partner organisations (admin)
    "destination_province": ("destination_regency_code", []),  # pemulangan
}


def category_options(office_id: int):
    local_types = list(
        db.session.scalars(
            select(LocalCaseType)
            .where(LocalCaseType.office_id == office_id, LocalCaseType.active.is_(True))
            .order_by(LocalCaseType.name)
        )
    )
    ppks = list(db.session.scalars(select(PpksCategory).order_by(PpksCategory.code)))
    return local_types, ppks


def _existing_person(person_id) -> Person | None:
    """The person a new case is for (?person=N), if one was chosen and may be seen."""
    if not person_id:
        return None
    number = bounded_int(person_id)
    if number is None:
        abort(404)
    return allowed(access.person_for, number).current_record()  # a merged record: the kept one


@bp.route("/cases/new", methods=["GET", "POST"])
@roles_required("worker", "manager")
@transactional
def new_case():
    office = current_user.office
    person = _existing_person(request.values.get("person") or request.form.get("person_id"))
    form = CaseOnlyForm() if person else RegisterForm()
    form.prepare(office, *category_options(office.id))
    existing_nik = None
    if form.validate_on_submit():
        try:
            case = intake.open_case(
                office,
                current_user,
                form.person_values(),
                form.case_values(),
                person=person,
                upload=form.upload(),
                max_photo_bytes=current_app.config["PHOTO_MAX_BYTES"],
                ip=client_ip(),
            )
        except Refused as refusal:
            refuse(refusal, form)
            existing_nik = nik_holder.holder_for(current_user, getattr(refusal, "person", None))
        else:
            flash(_("Kasus %(number)s sudah didaftarkan.", number=case.number), "success")
            return redirect(url_for("cases.detail", case_id=case.id))
    status = 422 if form.is_submitted() else 200
    page = render_template("intake/new.html", form=form, person=person, existing_nik=existing_nik)
    return page, status


@bp.route("/cases/duplicates")
@roles_required("worker", "manager")
def duplicates():
    """Possible duplicates while typing (htmx fragment; a plain page without htmx)."""
    args = request.args
    birth_date = _date_arg(args.get("birth_date"))
    birth_year = birth_date.year if birth_date else None
    if birth_year is None and args.get("estimated_age", "").strip().isdigit():
        birth_year = office_today(current_user.office).year - int(args["estimated_age"])
    visible, hidden = visible_duplicates(
        nik=clean_digits(args.get("nik"))[:16] or None,
        kk_number=clean_digits(args.get("kk_number"))[:16] or None,
        full_name=(args.get("full_name") or "")[:120],
        birth_year=birth_year,
        birth_date=birth_date,
        regency_code=args.get("regency_code") or None,
        district_code=args.get("district_code") or None,
        exclude_person_id=(identifying := bounded_int(args.get("identifying"))),
    )
    return render_template(
        "intake/_duplicates.html", candidates=visible, hidden=hidden, identifying=identifying
    )


def visible_duplicates(**criteria) -> tuple[list, int]:
    """Who may already be registered (services.intake.find_duplicates), as far as this user may
    see them, and how many others there are."""
    candidates = intake.find_duplicates(current_user.office_id, **criteria)
    visible = [c for c in candidates if access.can_view_person(current_user, c.person)]
    return visible, len(candidates) - len(visible)


def _date_arg(value: str | None):
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


@bp.route("/cases/check-nik")
@roles_required("worker", "manager")
def check_nik_inline():
    """Inline NIK feedback: only the message text (contact-app style)."""
    value = (request.args.get("nik") or "").strip()
    if not value:
        return ""
    birth = _date_arg(request.args.get("birth_date"))
    sex = request.args.get("sex") if request.args.get("sex") in ("L", "P") else None

    result = check_nik(
        value,
        lookup_region=regions.region_name,
        sex=sex,
        birth_date=birth,
        today=office_today(current_user.office),
    )
    return render_template("intake/_nik_check.html", result=result)


@bp.route("/regions/options")
@roles_required("worker", "manager", "admin")
def region_options():
    """<option>s for the select below the one that changed, and resets the ones further down."""
    source = request.args.get("from", "")
    if source not in REGION_PARENTS:
        abort(400)
    target, resets = REGION_PARENTS[source]
    parent = request.args.get(source) or ""
    items = regions.children(parent) if parent else []
    return render_template("intake/_region_options.html", items=items, target=target, resets=resets)
