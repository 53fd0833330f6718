"""The charge letter of a complete assessment: the printable page and the PDF, issued once and kept."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify

from core.access import role_required
from partnerships.models import CASEWORK_ROLES

from .. import services
from ..models import Assessment
from .access import assessment_or_404


def _issued_letter(request, pk):
    """(assessment, letter): the letter is issued (HTML and PDF stored) the first time it is asked for;
    a draft has no letter yet (None)."""
    assessment = assessment_or_404(request, pk)
    if assessment.status == Assessment.Status.DRAFT:
        return assessment, None
    return assessment, services.charge_letter_issue(assessment=assessment, by=request.user)


@login_required
@role_required(*CASEWORK_ROLES)
def assessment_letter_view(request, pk):
    """A printable charge letter for a complete assessment."""
    assessment, letter = _issued_letter(request, pk)
    if letter is None:
        messages.error(request, "Complete the assessment before printing the letter.")
        return redirect(assessment)
    return render(
        request,
        "assessments/assessment_letter.html",
        {"assessment": assessment, "client": assessment.client, "letter": letter},
    )


@login_required
@role_required(*CASEWORK_ROLES)
def assessment_letter_pdf_view(request, pk):
    """The charge letter as a PDF download: the stored file, made once when the letter was issued."""
    assessment, letter = _issued_letter(request, pk)
    if letter is None:
        messages.error(request, "Complete the assessment before downloading the letter.")
        return redirect(assessment)
    return FileResponse(
        letter.pdf.open("rb"),
        as_attachment=True,
        filename=f"charge-letter-{slugify(assessment.client.last_name)}-{assessment.effective_date:%Y-%m-%d}.pdf",
        content_type="application/pdf",
    )
