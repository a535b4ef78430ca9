from django import template

register = template.Library()


@register.filter
def history_value(value):
    """An audit value as a short readable string."""
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    return str(value)


@register.filter
def can(user, ability: str) -> bool:
    """{% if user|can:"registry.edit" %}: whether the user's role grants the ability."""
    return bool(getattr(user, "is_authenticated", False) and user.can(ability))
