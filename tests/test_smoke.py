def test_login_page_speaks_indonesian(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert "Masuk ke Simpul" in response.get_data(as_text=True)


def test_case_list_for_worker(world, auth, client):
    auth.login("pekerja")
    page = client.get("/cases").get_data(as_text=True)
    assert "Andi Baso" in page
    assert "Sitti Rahmah" not in page
