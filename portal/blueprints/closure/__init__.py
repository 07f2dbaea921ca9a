from flask import Blueprint

bp = Blueprint("closure", __name__)

from . import routes  # noqa: E402, F401
