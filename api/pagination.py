"""Pages of a list: `?page=` (from 1) and `?page_size=` (up to 100), with the count and the neighbours' links.

Page numbers rather than cursors: the register's filter sorts by year, number or group, and a page number keeps
its meaning whatever the sort, as on the HTML pages.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    invalid_page_message = _("There is no such page of this list.")
    page_query_description = _("The page of the list, from 1.")
    page_size_query_description = _("How many items a page holds (at most 100; 20 unless given).")
