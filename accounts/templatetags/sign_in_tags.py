from django import template

from partnerships.models import Role

register = template.Library()


@register.filter
def role_label(value: str) -> str:
    """A role's name as people say it ("Finance approver"), from its group name."""
    try:
        return Role(value).label
    except ValueError:
        return value
