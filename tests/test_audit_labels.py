"""Every action code the portal writes to the audit log has an Indonesian label: the trail pages
show labels.AUDIT_ACTIONS, and a code without one reached the user raw ("registry.import_apply").
The codes are collected from the source, so a new one without a label fails here."""

import ast
import pathlib
import re

from portal.services import labels

PORTAL = pathlib.Path(__file__).resolve().parent.parent / "portal"
CODE = re.compile(r"^[a-z_]+(\.[a-z_]+)+$|^log(in|out)$")
WRITERS = ("audit", "record", "_log")  # audit.record, record_now, record_view, _audit, _log...


def _callee(call: ast.Call) -> str:
    func = call.func
    return (func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")).lower()


def _codes(node, prefixes: set[str]) -> set[str]:
    """The action codes an argument can be: a literal, either branch of `a if x else b`; an
    f-string adds its literal start to `prefixes` (every label under it is then checked)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.match(node.value):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _codes(node.body, prefixes) | _codes(node.orelse, prefixes)
    if isinstance(node, ast.JoinedStr) and isinstance(node.values[0], ast.Constant):
        prefixes.add(node.values[0].value)
    if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "replace":
        old, new = (a.value for a in node.args)  # kind.replace("referral_", "referral.")
        prefixes.add(new)
        return {"replace:" + old + ":" + new}
    return set()


def _assigned_to_action(tree) -> set[str]:
    """Codes put in a variable named `action` (`kind, action = "basis_changed", "basis.update"`)."""
    found = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            pairs = [(target, node.value)]
            if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                pairs = list(zip(target.elts, node.value.elts, strict=False))
            found |= {
                v.value for t, v in pairs
                if getattr(t, "id", "") == "action" and isinstance(v, ast.Constant)
            }  # fmt: skip
    return found


def collect() -> tuple[set[str], set[str]]:
    codes, prefixes, replaced, constants = set(), set(), set(), set()
    for path in PORTAL.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        codes |= _assigned_to_action(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):  # literals passed on: "referral_submitted"
                constants |= {a.value for a in node.args if isinstance(a, ast.Constant)}
            if not (isinstance(node, ast.Call) and any(w in _callee(node) for w in WRITERS)):
                continue
            args = [*node.args, *(k.value for k in node.keywords if k.arg == "action")]
            for arg in args:
                found = _codes(arg, prefixes)
                replaced |= {c for c in found if c.startswith("replace:")}
                codes |= {c for c in found if not c.startswith("replace:")}
    for item in replaced:  # every literal "referral_x" written as "referral.x"
        _, old, new = item.split(":")
        codes |= {new + c[len(old) :] for c in constants if re.fullmatch(old + "[a-z_]+", str(c))}
    return codes, prefixes


def test_every_action_code_written_has_a_label():
    codes, prefixes = collect()
    assert {"case.view", "attachment.view", "guardian.add", "referral.submitted"} <= codes
    assert "followup." in prefixes
    missing = sorted(c for c in codes if c not in labels.AUDIT_ACTIONS)
    assert missing == []
    for prefix in prefixes:  # an f-string's codes: at least one labelled
        assert any(code.startswith(prefix) for code in labels.AUDIT_ACTIONS), prefix


def test_the_trail_shows_the_label_not_the_code(world, client, auth):
    from tests.test_attachments import png, upload

    auth.login("manajer")
    upload(client, world["case"], png(), "ktp.png", doc_type="ktp")
    page = client.get(f"/cases/{world['case'].id}/audit").get_data(as_text=True)
    assert "Menambah dokumen" in page


FIELDS = {"user", "ip", "object_type", "object_id", "case_id", "details", "action", "office_id"}
DETAIL_KEYWORDS = {"record_view", "record_now", "record_now_for_cases", "_audit"}


def detail_keys() -> set[str]:
    """The keys the portal writes into an audit entry's details: a `details={...}` literal given
    to a writer, or a keyword of a writer that passes its **details on."""
    keys = set()
    for path in PORTAL.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and any(w in _callee(node) for w in WRITERS)):
                continue
            for keyword in node.keywords:
                if keyword.arg == "details" and isinstance(keyword.value, ast.Dict):
                    keys |= {k.value for k in keyword.value.keys if isinstance(k, ast.Constant)}
                elif keyword.arg and keyword.arg not in FIELDS and _callee(node) in DETAIL_KEYWORDS:
                    keys.add(keyword.arg)
    return keys


def test_every_detail_key_written_has_a_label_in_the_data_subject_pdf(app):
    """QA: the data-subject PDF printed some audit details under their raw key ("batch",
    "from", "document", "q")."""
    from portal.services import data_subject_text

    keys = detail_keys()
    assert {"from", "to", "document", "batch", "request_id", "changes", "q"} <= keys
    with app.app_context():
        raw = sorted(
            key
            for key in keys
            if not (
                data_subject_text.KEY_LABELS.get(key)
                or data_subject_text.labels_of(key)
                or data_subject_text._table_label(key)
            )
        )
    assert raw == []
