"""Static files: content-hashed names, gzip when the browser asks, a long cache lifetime;
pages themselves gzipped too."""

import gzip
import re

import pytest
from django.core.management import call_command
from django.templatetags.static import static

HASHED = {"BACKEND": "commonops.core.staticfiles.HashedStaticFilesStorage"}


@pytest.fixture
def collected(settings, tmp_path):
    """collectstatic into a fresh STATIC_ROOT with the storage the settings name."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": HASHED}
    # CommonOps' own files only: the admin's and the API docs' would only slow this down.
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    call_command("collectstatic", interactive=False, verbosity=0)
    return tmp_path


@pytest.mark.parametrize("debug", [False, True])
def test_static_files_get_hashed_names_in_every_mode(collected, settings, debug):
    settings.DEBUG = debug
    assert re.fullmatch(r"/static/commonops/js/htmx\.min\.[0-9a-f]{12}\.js",
                        static("commonops/js/htmx.min.js"))
    assert re.fullmatch(r"/static/commonops/css/app\.[0-9a-f]{12}\.css",
                        static("commonops/css/app.css"))


def test_a_static_file_is_gzipped_when_asked_and_cached_for_ten_years(collected, client):
    url = static("commonops/js/htmx.min.js")
    original = (collected / "commonops/js/htmx.min.js").read_bytes()

    either = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    # brotli when the brotli package is installed (WhiteNoise then writes .br files too)
    assert either["Content-Encoding"] in ("gzip", "br")
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    body = b"".join(response.streaming_content)
    assert gzip.decompress(body) == original
    assert len(body) < len(original) / 2

    plain = client.get(url)
    assert not plain.has_header("Content-Encoding")
    assert b"".join(plain.streaming_content) == original


def test_a_file_collectstatic_has_not_seen_keeps_its_name(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path  # no manifest there
    settings.STORAGES = {**settings.STORAGES, "staticfiles": HASHED}
    assert static("commonops/css/app.css") == "/static/commonops/css/app.css"


def test_the_home_page_links_the_hashed_files_and_is_gzipped(collected, client, vn_member):
    client.force_login(vn_member)
    response = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    assert static("commonops/css/app.css") in html
    assert re.search(r'src="/static/commonops/js/htmx\.min\.[0-9a-f]{12}\.js"', html)
