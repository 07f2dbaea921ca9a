from flask import Blueprint

bp = Blueprint("letters", __name__)

from . import routes  # noqa: E402, F401
