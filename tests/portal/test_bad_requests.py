"""Inputs the database cannot store are refused with a clear 400, never a 500."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_nul_in_a_page_query_is_a_bad_request(client):
    response = client.get("/en/municipalities/", {"q": "Kok\x00shetau"})
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


@pytest.mark.django_db
def test_nul_in_the_api_is_a_json_bad_request(client, users):
    response = client.get("/api/v1/municipalities", {"region": "\x00"})
    assert response.status_code == 400 and "detail" in response.json()
    client.force_login(users["department_head"])
    body = (
        '{"municipality": "KZ-AKM-KOKSHETAU", "code": "I06", "year": 2024, "source": "a\\u0000b"}'
    )
    response = client.post("/api/v1/observations", body, content_type="application/json")
    assert response.status_code == 400 and "detail" in response.json()


@pytest.mark.django_db
def test_ordinary_requests_pass(client, geography):
    assert client.get("/en/municipalities/", {"q": "Kokshetau"}).status_code == 200


@pytest.mark.django_db
def test_nul_in_a_json_body_sent_as_plain_text_is_a_bad_request(client, users):
    # The API reads the body as JSON whatever the Content-Type says.
    client.force_login(users["city_coordinator"])
    body = '{"title": "a\\u0000b", "status": "planned"}'
    response = client.post(
        "/api/v1/municipalities/KZ-AKM-KOKSHETAU/actions", body, content_type="text/plain"
    )
    assert response.status_code == 400 and "NUL" in response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [b'"a\\ud800b"', b'"\\udc00"', b'"a\xed\xa0\x80b"'],
    ids=["high-half", "low-half", "raw-bytes"],
)
def test_a_lone_surrogate_in_json_is_a_bad_request(client, users, text):
    client.force_login(users["department_head"])
    body = b'{"municipality": "KZ-AKM-KOKSHETAU", "code": "I06", "year": 2024, "source": ' + text
    body += b"}"
    response = client.post("/api/v1/observations", body, content_type="application/json")
    assert response.status_code == 400 and "detail" in response.json()
    response = client.post(
        "/api/v1/municipalities/KZ-AKM-KOKSHETAU/suggestions",
        b'{"text": ' + text + b', "topic": "play"}',
        content_type="application/json",
    )
    assert response.status_code == 400 and "detail" in response.json()


@pytest.mark.django_db
def test_a_whole_surrogate_pair_is_an_ordinary_character(client, geography):
    # An emoji written as a JSON escape pair is ordinary text.
    response = client.post(
        "/api/v1/municipalities/KZ-AKM-KOKSHETAU/suggestions",
        '{"text": "More swings in the park \\ud83d\\ude00", "topic": "play"}',
        content_type="application/json",
    )
    assert response.status_code == 201, response.content


@pytest.mark.django_db
def test_nul_in_a_multipart_form_is_a_bad_request_and_nothing_is_saved(client, users):
    # Browsers send forms with a file field as multipart; the text fields go unchecked there.
    from meirim.portfolio.models import Portfolio

    client.force_login(users["city_coordinator"])
    url = "/en/preparation/KZ-AKM-KOKSHETAU/portfolio/"
    response = client.post(url, {"introduction": "a\x00b", "self_assessment": "x"})
    assert response.status_code == 400 and "NUL" in response.content.decode()
    assert not Portfolio.objects.filter(introduction__contains="b").exists()


@pytest.mark.django_db
def test_the_refusal_is_in_the_readers_language(client, geography):
    response = client.get("/ru/municipalities/", {"q": "Kok\x00shetau"})
    assert response.status_code == 400
    assert "Запрос содержит недопустимый символ NUL" in response.content.decode()
    response = client.post(
        "/api/v1/municipalities/KZ-AKM-KOKSHETAU/suggestions",
        '{"text": "a\\ud800"}',
        content_type="application/json",
        headers={"accept-language": "ky"},
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Сурамда уруксат берилбеген NUL")


@pytest.mark.django_db
def test_a_refused_api_body_names_each_field_in_the_readers_language(client, users):
    client.force_login(users["city_coordinator"])
    url = "/api/v1/municipalities/KZ-AKM-KOKSHETAU/actions"
    response = client.post(
        url, '{"title": 5}', content_type="application/json", headers={"accept-language": "ru"}
    )
    assert response.status_code == 422
    problems = {tuple(e["loc"]): e["msg"] for e in response.json()["detail"]}
    assert problems[("body", "payload", "code")] == "Обязательное поле."
    assert problems[("body", "payload", "title")] == "Введите текст."
    response = client.post(url, "{", content_type="application/json")
    assert response.status_code in (400, 422)


@pytest.mark.django_db
def test_an_api_body_over_the_size_limit_is_refused_in_json(client, geography, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(
        "/api/v1/municipalities/KZ-AKM-KOKSHETAU/suggestions",
        '{"text": "' + "a" * 2000 + '"}',
        content_type="application/json",
        headers={"accept-language": "ru"},
    )
    assert response.status_code == 413
    assert response["content-type"] == "application/json"
    assert response.json()["detail"].startswith("Тело запроса слишком велико")
    # A page keeps Django's own answer to an oversized form.
    response = client.post("/en/accounts/login/", {"username": "a" * 2000, "password": "x"})
    assert response.status_code == 400
