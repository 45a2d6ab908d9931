"""No pages of its own: the blueprint only makes the mail templates available."""

from flask import Blueprint

bp = Blueprint("mail", __name__, template_folder="templates")
