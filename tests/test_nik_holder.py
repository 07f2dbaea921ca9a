"""Issue 12: the NIK of a colleague's client no longer tells a social worker that person's name.
They learn that the NIK is registered and whom to ask; the name only for those who may see the
person (the case's workers and the office's managers)."""

from tests.test_intake import case_form

NIK = "7371010203850004"


def _register_with_taken_nik(client):
    return client.post("/cases/new", data=case_form(full_name="Orang Lain Lagi", nik=NIK))


def test_a_colleagues_client_is_not_named(world, client, auth, factory):
    factory.case(world["office"], world["worker2"], full_name="Rahasia Daeng Tiro", nik=NIK)
    auth.login("pekerja")
    response = _register_with_taken_nik(client)
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "NIK ini sudah terdaftar untuk orang lain." in text
    assert "Rahasia" not in text and "Tiro" not in text
    assert "person=" not in text  # no link that names the person's record either
    assert world["worker2"].full_name in text and "manajer" in text


def test_those_who_may_see_the_person_get_the_name_and_a_link(world, client, auth, factory):
    case = factory.case(world["office"], world["worker2"], full_name="Rahasia Daeng Tiro", nik=NIK)
    auth.login("manajer")
    text = _register_with_taken_nik(client).get_data(as_text=True)
    assert "Rahasia Daeng Tiro" in text
    assert f"/cases/new?person={case.person_id}" in text and f"/cases/{case.id}" in text
