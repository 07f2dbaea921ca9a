"""The floor of bench/http_load.py: a bare Flask page (one route, render_template_string) served
with the same gunicorn settings as the portal. What no page of the portal can beat."""

from flask import Flask, render_template_string

app = Flask(__name__)

PAGE = """<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><h1>{{ title }}</h1><ul>{% for n in items %}<li>Baris {{ n }}</li>{% endfor %}</ul></body>
</html>"""


@app.route("/")
def index():
    return render_template_string(PAGE, title="Lantai", items=range(20))
