"""One blueprint package per area."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from .admin import bp as admin_bp
    from .approvals import bp as approvals_bp
    from .auth import bp as auth_bp
    from .cases import bp as cases_bp
    from .closure import bp as closure_bp
    from .consent import bp as consent_bp
    from .errors import bp as errors_bp
    from .followups import bp as followups_bp
    from .intake import bp as intake_bp
    from .letters import bp as letters_bp
    from .main import bp as main_bp
    from .people import bp as people_bp
    from .referrals import bp as referrals_bp
    from .registry import bp as registry_bp
    from .reports import bp as reports_bp
    from .retention import bp as retention_bp

    for bp in (
        errors_bp, auth_bp, main_bp, intake_bp, cases_bp, referrals_bp, approvals_bp, letters_bp,
        admin_bp, followups_bp, closure_bp, reports_bp, people_bp,
        registry_bp, retention_bp, consent_bp,
    ):  # fmt: skip
        app.register_blueprint(bp)
