from flask import Blueprint

bp = Blueprint("consent", __name__)

from . import routes  # noqa: E402, F401
