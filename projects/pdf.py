"""The 申报书 as a PDF file: the print view's HTML laid out by WeasyPrint with the print stylesheet.

WeasyPrint needs Pango (Debian: libpango-1.0-0, libpangoft2-1.0-0) and a CJK font (fonts-noto-cjk) on the
server; without them `render` raises `PdfUnavailable` and the page says so, while the print view still works.
Only the portal's own static files are read while rendering: no other URL is fetched, so a text typed into an
application cannot make the server request anything.
"""

import mimetypes
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage


class PdfUnavailable(Exception):
    """The server cannot lay out PDF files (WeasyPrint or its system libraries are missing)."""


def _static_file(path: str) -> Path | None:
    """The file behind a static URL path: the collected copy in production, the source one in development."""
    name = path.removeprefix(settings.STATIC_URL)
    if ".." in Path(name).parts:
        return None
    found = finders.find(name)
    if found:
        return Path(found)
    try:
        candidate = Path(staticfiles_storage.path(name))
    except NotImplementedError:  # remote storage: no local path to read
        return None
    return candidate if candidate.is_file() else None


try:
    import weasyprint
    from weasyprint.urls import URLFetcher, URLFetcherResponse
except (ImportError, OSError) as error:  # OSError: Pango's shared libraries are not installed
    weasyprint = None
    MISSING = str(error)
else:
    MISSING = ""

    class StaticOnly(URLFetcher):
        """Serves the portal's static files to WeasyPrint and refuses every other URL (it then skips it)."""

        def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
            path = urlsplit(url).path
            found = _static_file(path) if path.startswith(settings.STATIC_URL) else None
            if found is None:
                raise ValueError(f"not fetched while laying out a PDF: {url}")
            mime_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, found.read_bytes(), {"Content-Type": mime_type})


def render(html: str, *, base_url: str) -> bytes:
    """Lay out `html` (a page of this portal, requested at `base_url`) as a PDF document."""
    if weasyprint is None:
        raise PdfUnavailable(MISSING)
    return weasyprint.HTML(string=html, base_url=base_url, url_fetcher=StaticOnly()).write_pdf()
