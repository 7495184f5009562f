"""The public-notice stage's URLs, mounted at the site root: /publicity/…, /projects/… and a call's notice pages."""

from publicity import urls_notices, urls_objections, urls_register

app_name = "publicity"

# Each part keeps its own module: the notices, the objections, and the announcements with the register.
urlpatterns = urls_notices.urlpatterns + urls_objections.urlpatterns + urls_register.urlpatterns
