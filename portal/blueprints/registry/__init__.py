from flask import Blueprint

bp = Blueprint("registry", __name__)

from . import routes  # noqa: E402, F401
