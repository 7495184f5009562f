"""The documentation page of the schema: Swagger UI from the portal's own static files, with no inline script."""

from drf_spectacular.views import SpectacularSwaggerSplitView


class DocsView(SpectacularSwaggerSplitView):
    # The split view serves its start-up script as a file of its own (?script), as the CSP asks; the template
    # is drf-spectacular's without its inline <style>, with the page's language and heading.
    template_name = "api/docs.html"
    url_name = "api:schema"
