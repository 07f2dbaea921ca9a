from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ...forms import Form
from ...services.i18n import lazy as _l


class LoginForm(Form):
    username = StringField(_l("Nama pengguna"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Kata sandi"), validators=[DataRequired(), Length(max=200)])
    next = HiddenField()

    def login_failed(self, result) -> None:
        """Why services.auth.attempt_login refused, under the password."""
        if result.error == "throttled":
            message = _l(
                "Terlalu banyak percobaan masuk yang gagal dari alamat jaringan ini. "
                "Tunggu %(minutes)d menit, lalu coba lagi.",
                minutes=result.wait_minutes,
            )
        elif result.error == "locked":
            message = _l(
                "Terlalu banyak percobaan gagal. Akun ini dikunci sementara; "
                "coba lagi dalam %(minutes)d menit.",
                minutes=result.wait_minutes,
            )
        else:
            message = _l("Nama pengguna atau kata sandi salah.")
        self.password.errors.append(str(message))


class PasswordForm(Form):
    current = PasswordField(_l("Kata sandi saat ini"), validators=[DataRequired()])
    new = PasswordField(
        _l("Kata sandi baru"),
        validators=[
            DataRequired(),
            Length(min=10, max=200, message=_l("Kata sandi minimal 10 karakter.")),
        ],
    )
    confirm = PasswordField(
        _l("Ulangi kata sandi baru"),
        validators=[DataRequired(), EqualTo("new", message=_l("Kedua kata sandi tidak sama."))],
    )


class LanguageForm(Form):
    lang = SelectField(
        _l("Bahasa"), choices=[("id", "Bahasa Indonesia"), ("en", "English")], default="id"
    )
