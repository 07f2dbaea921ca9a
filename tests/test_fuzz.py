"""No input, however odd, answers 5xx. Generated from app.url_map: every GET route with the query
parameters its view reads, every POST route with the fields of its forms (as its page renders
them, and as its form classes declare them), posted as a role the route is for. Each field and
parameter gets a sample of nasty values (one value in all fields at once, then each field alone
in an otherwise untouched form), not the full cross product."""

from __future__ import annotations

import inspect
import re
from html.parser import HTMLParser
from urllib.parse import quote, quote_from_bytes

import pytest
from wtforms import Form as WTForm

from portal.extensions import db

from .test_routes_access import _merged_pair

NASTY = [
    "",
    "   ",
    "x" * 100_000,
    "a\x00b",
    b"\xff\xfe\xfd",  # not UTF-8
    "99999999999999999999",
    "-1",
    "-99999999999999999999",
    "2026-02-30",
    "9999-99-99T99:99",
]
SKIP = {"static", "auth.logout", "main.favicon"}
USERS = {"worker": "pekerja", "manager": "manajer", "admin": "admin"}


def _encode(pairs) -> bytes:
    """A form body or query string from (name, str|bytes) pairs, percent-encoded byte by byte
    (so that invalid UTF-8 reaches the app as it would from a hostile client)."""
    parts = []
    for name, value in pairs:
        raw = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
        parts.append(quote(name) + "=" + quote_from_bytes(raw))
    return "&".join(parts).encode("ascii")


class _Fields(HTMLParser):
    """The fields of the page's POST forms and the values the page put in them."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._in_post = False
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._in_post = (a.get("method") or "").lower() == "post"
        if not self._in_post or not a.get("name") and tag != "option":
            return
        if tag == "input" and a.get("type") not in ("submit", "file", "button"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                self.values.setdefault(a["name"], "")
                if self.values[a["name"]]:
                    return
                if a.get("type") == "checkbox":
                    return
            self.values[a["name"]] = a.get("value") or ""
        elif tag == "select":
            self._select = a["name"]
            self.values.setdefault(self._select, "")
        elif tag == "option" and self._select and ("selected" in a):
            self.values[self._select] = a.get("value") or ""
        elif tag == "textarea":
            self._textarea = a["name"]
            self.values[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_post = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def _source_names(view) -> tuple[set[str], set[str]]:
    """(form fields, query parameters) the view's own source reads."""
    view = inspect.unwrap(view)
    source = inspect.getsource(view)
    fields, params = set(), set()
    for name in re.findall(r"\b([A-Z]\w*Form)\b", source):
        form = view.__globals__.get(name)
        if isinstance(form, type) and issubclass(form, WTForm):
            names = set(_field_names(form))
            (params if f"{name}(request.args" in source else fields).update(names)
    fields |= set(re.findall(r"request\.(?:form|values)\.get\(\s*[\"'](\w+)", source))
    params |= set(re.findall(r"(?:args|values)\.get\(\s*[\"'](\w+)", source))
    params |= set(re.findall(r"args\[\s*[\"'](\w+)", source))
    if "paginate" in source or "page" in params:
        params.add("page")
    return fields, params


def _field_names(form_class) -> list[str]:
    """The fields a form class declares (its own and its bases')."""
    return [name for name in dir(form_class) if hasattr(getattr(form_class, name), "field_class")]


@pytest.fixture
def objects(world, factory):
    """A record of every kind a URL names, each in a state its POST routes act on."""
    from portal.models import LocalCaseType

    office, worker = world["office"], world["worker"]
    kept = {}
    for state in ("draft", "submitted", "approved"):
        case = factory.case(office, worker, full_name=f"Klien {state}")
        kept[state] = factory.referral(case, state)
    kept["completed"] = factory.referral(factory.case(office, worker), "completed")
    case_type = LocalCaseType(office_id=office.id, name="Korban banjir", ppks_code="11")
    db.session.add(case_type)
    db.session.commit()
    closing = factory.case(office, worker, full_name="Klien ditutup")
    factory.closure(closing, "requested")
    return {
        "case": world["case"],
        "closing": closing,
        "referrals": kept,
        "letter": kept["approved"].letters[0] if hasattr(kept["approved"], "letters") else None,
        "followup": factory.followup(world["case"]),
        "organisation": factory.organisation(office),
        "case_type": case_type,
        "user": world["worker2"],
        "merge": _merged_pair(office, worker, factory),
        "document": _document(world["case"], worker),
        "guardian": factory.guardian(world["case"]),
    }


def _document(case, worker):
    import io

    from portal.services import attachments
    from tests.test_attachments import png

    item = attachments.add(case, worker, {"doc_type": "foto"}, io.BytesIO(png()), "foto.png")
    db.session.commit()
    return item


def _letter_id(referral):
    from sqlalchemy import select

    from portal.models import Letter

    return db.session.scalar(select(Letter.id).where(Letter.referral_id == referral.id))


def _url(rule, objects) -> str:
    referral_for = {
        "referrals.decide": "submitted",
        "referrals.complete": "approved",
        "followups.schedule_proposed": "completed",
    }
    values = {}
    for arg in rule.arguments:
        if arg == "case_id":
            closure = rule.endpoint.startswith("closure.")
            values[arg] = (objects["closing"] if closure else objects["case"]).id
        elif arg == "referral_id":
            values[arg] = objects["referrals"][referral_for.get(rule.endpoint, "draft")].id
        elif arg == "letter_id":
            values[arg] = _letter_id(objects["referrals"]["approved"])
        elif arg == "followup_id":
            values[arg] = objects["followup"].id
        elif arg == "user_id":
            values[arg] = objects["user"].id
        elif arg == "item_id":
            key = "organisation" if "organisation" in rule.endpoint else "case_type"
            values[arg] = objects[key].id
        elif arg == "person_id":
            values[arg] = objects["case"].person_id
        elif arg == "merge_id":
            values[arg] = objects["merge"].id
        elif arg == "attachment_id":
            values[arg] = objects["document"].id
        elif arg == "guardian_id":
            values[arg] = objects["guardian"].id
        elif arg == "fmt":
            values[arg] = "zip" if rule.endpoint == "people.data_export" else "csv"
        elif arg == "request_id":
            values[arg] = 1  # an anonymisation request (none in these records: 404)
        elif arg == "batch_id":
            values[arg] = 1  # a batch print (none in these records: 404)
        else:
            values[arg] = "abc"
    return rule.build(values)[1]


def _clients(app):
    clients = {None: app.test_client()}
    for role, username in USERS.items():
        client = app.test_client()
        client.post("/login", data={"username": username, "password": "rahasia123"})
        clients[role] = client
    return clients


def _client_for(view, clients):
    roles = getattr(view, "roles", None)
    if roles is None:
        login = "login_required" in repr(getattr(view, "__wrapped__", ""))
        return clients["worker"] if login or view.__module__.endswith("routes") else clients[None]
    return clients[next(r for r in ("worker", "manager", "admin") if r in roles)]


def _short(pairs):
    """What a failure report shows of a request: the fields and their values' first bytes."""
    return [(name, value[:12]) for name, value in pairs][-3:]


def _samples(names, base=None):
    """Every value in every field at once, then each field alone (in the form as its page
    filled it) with one value of the list, in turn: the rest of the form stays valid, so the
    value reaches the service behind the form."""
    names = sorted(names)
    for value in NASTY:
        yield [(name, value) for name in names]
    for i, name in enumerate(names):
        value = NASTY[i % len(NASTY)]
        yield [(n, v) for n, v in (base or {}).items() if n != name] + [(name, value)]


class _Failures(list):
    def check(self, response, what):
        if response.status_code >= 500:
            self.append((response.status_code, what))

    def assert_none(self):
        assert not self, f"{len(self)} requests answered 5xx: {self[:20]}"


def test_no_get_parameter_answers_5xx(app, objects):
    clients, failures = _clients(app), _Failures()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP or "GET" not in rule.methods:
            continue
        view = app.view_functions[rule.endpoint]
        _, params = _source_names(view)
        if not params:
            continue
        client, url = _client_for(view, clients), _url(rule, objects)
        for pairs in _samples(params):
            query = _encode(pairs).decode("ascii")
            hx = {"HX-Request": "true"}
            failures.check(client.get(f"{url}?{query}"), (url, _short(pairs)))
            if len(pairs) > 1 or len(params) == 1:
                failures.check(client.get(f"{url}?{query}", headers=hx), (url, "htmx"))
    failures.assert_none()


def test_no_form_answers_5xx(app, objects):
    clients, failures = _clients(app), _Failures()
    rules = sorted(app.url_map.iter_rules(), key=lambda r: ("decide" in r.rule, r.rule))
    for rule in rules:
        if rule.endpoint in SKIP or "POST" not in rule.methods:
            continue
        view = app.view_functions[rule.endpoint]
        client, url = _client_for(view, clients), _url(rule, objects)
        fields, _ = _source_names(view)
        base = {}
        if "GET" in rule.methods:
            page = client.get(url)
            parser = _Fields()
            parser.feed(page.get_data(as_text=True))
            base = {k: v for k, v in parser.values.items() if k != "csrf_token"}
        for pairs in _samples(fields | set(base), base):
            body = _encode(pairs)
            kind = {"content_type": "application/x-www-form-urlencoded"}
            failures.check(client.post(url, data=body, **kind), (url, _short(pairs)))
    failures.assert_none()
