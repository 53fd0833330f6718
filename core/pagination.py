"""List pages: 25 rows a page, and the page's query string without `page` (for the pagination links and
"Clear filters"), as `templates/includes/pagination.html` expects."""

from django.core.paginator import Page, Paginator

PAGE_SIZE = 25


def page_of(request, items, *, size: int = PAGE_SIZE) -> Page:
    """The page of `items` the request asks for (`?page=`; the last page when past it, the first when not a number)."""
    return Paginator(items, size).get_page(request.GET.get("page"))


def query_string_without_page(request) -> str:
    """The request's filters as a query string, without `page`; empty when the list is not filtered."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
