from flask import Blueprint

bp = Blueprint("intake", __name__)

from . import routes  # noqa: E402, F401
