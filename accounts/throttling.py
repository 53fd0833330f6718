"""django-axes counts failed sign-ins per account: typing the e-mail address or the username of the
same person counts against one lock."""

from django.contrib.auth import get_user_model


def axes_username(request, credentials) -> str:
    values = credentials or {}
    if not values and request is not None:
        values = getattr(request, "POST", {}) or {}
    typed = str(values.get("username") or values.get("email") or values.get("login") or "").strip()
    if "@" in typed:
        username = get_user_model().objects.filter(email__iexact=typed).values_list("username", flat=True).first()
        return username or typed.lower()
    return typed
