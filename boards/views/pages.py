"""The one page every Joint Boards form is shown on: a heading, a caption (the board or meeting), a back link."""

from django.shortcuts import render


def form_page(request, form, *, title, caption, back):
    return render(request, "boards/form.html", {"form": form, "title": title, "caption": caption, "back": back})
