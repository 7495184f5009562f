"""The 申报书 as a PDF file: laid out from the print view, with the Chinese text in an embedded CJK font."""

import re
import zlib
from urllib.parse import unquote

import pytest
from django.templatetags.static import static
from django.urls import reverse

from projects import pdf
from tests.factories import submitted_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    return submitted_application()


def _pdf_url(application) -> str:
    return reverse("projects:application_pdf", kwargs={"pk": application.pk})


def test_pdf_is_a_document_named_after_the_standard(client, application):
    client.force_login(application.created_by)

    response = client.get(_pdf_url(application))

    disposition = response["Content-Disposition"]
    filename = unquote(re.search(r"filename\*=utf-8''(.+)$", disposition).group(1))
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response.content.startswith(b"%PDF-")
    assert filename == f"申报书 {application.standard.display_number.replace('/', '-')}.pdf"


def _font_names(document: bytes) -> set[bytes]:
    """The fonts a PDF embeds, read from its objects, compressed (FlateDecode) or not."""
    names = set(re.findall(rb"/BaseFont\s*/([^\s/<>\[\]]+)", document))
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", document, re.DOTALL):
        try:
            data = zlib.decompress(stream.group(1))
        except zlib.error:
            continue
        names |= set(re.findall(rb"/BaseFont\s*/([^\s/<>\[\]]+)", data))
    return names


def _cjk_faces(document: bytes) -> set[str]:
    """The Noto CJK faces a PDF embeds, without the subset's prefix (`TSPJMR+Noto-Sans-CJK-SC`)."""
    return {name.split(b"+", 1)[-1].decode() for name in _font_names(document) if b"CJK" in name}


def test_pdf_embeds_the_simplified_chinese_faces_and_no_japanese_one(client, application):
    client.force_login(application.created_by)

    content = client.get(_pdf_url(application)).content

    assert _cjk_faces(content) == {"Noto-Sans-CJK-SC", "Noto-Sans-CJK-SC-Bold"}


def test_print_stylesheet_sets_chinese_in_monospace_in_a_simplified_chinese_face_too():
    # Text in a generic family (monospace) is where fontconfig would fall back to the JP face.
    html = f"""<!doctype html><html lang="zh-hans"><head>
      <link rel="stylesheet" href="{static("css/portal.css")}">
      <link rel="stylesheet" href="{static("css/print.css")}" media="print">
    </head><body><p>直骨写</p><code>直骨写</code> <kbd>直</kbd> <samp>骨</samp><pre>写</pre></body></html>"""

    document = pdf.render(html, base_url="http://testserver/")

    assert _cjk_faces(document) == {"Noto-Sans-CJK-SC", "Noto-Sans-Mono-CJK-SC"}


def test_pdf_fetcher_serves_static_files_and_refuses_any_other_url():
    fetcher = pdf.StaticOnly()

    stylesheet = fetcher.fetch("http://testserver/static/css/print.css")

    assert (stylesheet.headers.get_content_type(), b"@page" in stylesheet.read()) == ("text/css", True)
    for url in [
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "http://testserver/static/../../etc/passwd",
        "http://testserver/applications/1/",
    ]:
        with pytest.raises(ValueError, match="not fetched"):
            fetcher.fetch(url)


def test_pdf_unavailable_sends_to_the_print_view_with_503(client, application, monkeypatch):
    def unavailable(html, *, base_url):
        raise pdf.PdfUnavailable("libpango-1.0-0: cannot open shared object file")

    monkeypatch.setattr(pdf, "render", unavailable)
    client.force_login(application.created_by)

    response = client.get(_pdf_url(application))

    assert response.status_code == 503
    assert reverse("projects:application_print", kwargs={"pk": application.pk}) in response.content.decode()


def test_pdf_of_another_groups_application_is_404(client, application):
    other = submitted_application()
    client.force_login(other.created_by)

    assert client.get(_pdf_url(application)).status_code == 404
