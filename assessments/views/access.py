"""Who may open the assessment pages: council casework staff, and only their own council's assessments."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from ..models import Assessment
from ..selectors import assessment_get_with_lines, can_see_assessments


def council_only(request) -> None:
    """403 for anyone but a council's visiting officers and team managers."""
    if not can_see_assessments(request.user):
        raise PermissionDenied("Only council visiting officers and team managers see financial assessments.")


def assessment_or_404(request, pk) -> Assessment:
    """The assessment with its lines, if the user's council made it (403 outside council casework, else 404)."""
    council_only(request)
    try:
        return assessment_get_with_lines(user=request.user, pk=pk)
    except Assessment.DoesNotExist as exc:
        raise Http404("No such assessment") from exc
