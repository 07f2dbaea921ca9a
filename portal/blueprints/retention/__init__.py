from flask import Blueprint

bp = Blueprint("retention", __name__)

from . import routes  # noqa: E402, F401
