from flask import render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from ...services import uow
from ...services.errors import Refused
from ...services.i18n import lazy as _l
from . import bp

MESSAGES = {
    400: _l("Permintaan tidak dapat diproses."),
    403: _l("Anda tidak berhak membuka halaman ini."),
    404: _l("Halaman atau data tidak ditemukan."),
    405: _l("Cara membuka halaman ini tidak diizinkan."),
    409: _l("Data sudah diubah orang lain."),
    413: _l("Berkas terlalu besar."),
    429: _l("Terlalu banyak permintaan. Tunggu sebentar."),
    500: _l("Terjadi kesalahan di server. Tim teknis sudah tercatat; silakan coba lagi."),
}


def _render(code: int, message: str):
    if request.headers.get("HX-Request"):
        return render_template("errors/_message.html", code=code, message=message), code
    return render_template("errors/error.html", code=code, message=message), code


@bp.app_errorhandler(CSRFError)
def csrf_error(error):
    return _render(
        400, _("Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu kirim kembali.")
    )


@bp.app_errorhandler(Refused)
def refused(error: Refused):
    """A refusal no view expected (e.g. a record saved by someone else at the same moment)."""
    return _render(error.status, str(error))


@bp.app_errorhandler(HTTPException)
def http_error(error: HTTPException):
    code = error.code or 500
    if code >= 500:
        uow.rollback()
    return _render(code, str(MESSAGES.get(code, error.name)))


@bp.app_errorhandler(Exception)
def unhandled(error: Exception):
    uow.rollback()
    from flask import current_app

    current_app.logger.exception("unhandled error", exc_info=error)
    return _render(500, str(MESSAGES[500]))


__all__ = ["InternalServerError"]
