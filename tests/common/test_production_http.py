"""What every response carries in production: CSP, cache rules, logs, static files."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest
from django.core.management import call_command
from django.test import Client

from config import settings as production_settings


def test_pages_carry_a_content_security_policy_without_inline_script(client: Client, geography):
    for url in ["/en/", "/en/municipalities/", "/en/accounts/login/", "/api/v1/docs"]:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["script-src"] == "'self'", url
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"
        # Nothing on the page needs an inline script.
        body = response.content.decode()
        scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", body, re.DOTALL)
        for attributes, content in scripts:
            assert "src=" in attributes or "application/json" in attributes, (url, content)
        assert not re.search(r"\son[a-z]+=", body), url


def test_the_admin_works_under_the_policy(client: Client, users):
    client.force_login(users["national_admin"])
    response = client.get("/en/admin/")
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    body = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", body)


def test_signed_in_readers_get_private_no_store_pages(client: Client, users, catalogue):
    anonymous = client.get("/en/municipalities/")
    assert "no-store" not in anonymous.get("Cache-Control", "")
    client.force_login(users["city_coordinator"])
    for url in [
        "/en/municipalities/",
        "/en/accounts/me/",
        "/en/data/KZ-AKM-KOKSHETAU/",
        "/en/results/KZ-AKM-KOKSHETAU/",
        "/api/v1/municipalities",
    ]:
        response = client.get(url)
        assert response.status_code in {200, 302}, url
        assert response["Cache-Control"] == "private, no-store", url

    # A view that chose its own policy keeps it: Django's admin sends never_cache (private too).
    client.force_login(users["national_admin"])
    admin = client.get("/en/admin/")["Cache-Control"]
    assert "private" in admin and "no-store" in admin and admin != "private, no-store"


@pytest.mark.urls("tests.common.urls_failing")
def test_a_server_error_is_logged_as_json_with_path_and_exception(db):
    handler = next(
        h for h in logging.getLogger("django").handlers if isinstance(h, logging.StreamHandler)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        response = Client(raise_request_exception=False).get("/failing/7/")
    finally:
        handler.setStream(previous)
    assert response.status_code == 500
    records = [json.loads(line) for line in stream.getvalue().splitlines()]
    [record] = [r for r in records if r["logger"] == "django.request"]
    assert record["level"] == "ERROR"
    assert record["path"] == "/failing/7/"
    assert record["status"] == 500
    assert record["exception"] == "RuntimeError"
    assert "the disk is on fire" in record["traceback"]


def test_collected_static_files_are_served_with_debug_off(client: Client, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = production_settings.STORAGES
    call_command("collectstatic", "--noinput", verbosity=0)
    page = client.get("/api/v1/docs").content.decode()
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    assert any("swagger-ui-bundle" in a for a in assets) and any(".css" in a for a in assets)
    fresh = Client()  # a new handler: WhiteNoise indexes STATIC_ROOT when it starts
    for asset in [*assets, "/static/css/site.css"]:
        response = fresh.get(asset)
        assert response.status_code == 200, asset
        assert b"".join(response.streaming_content)
