"""No pages of its own: the blueprint makes the PDF base and chart templates available."""

from flask import Blueprint

bp = Blueprint("exports", __name__, template_folder="templates")
