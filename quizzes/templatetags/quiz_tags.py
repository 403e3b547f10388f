from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping|get_item:key`` — None when the mapping is missing or lacks the key."""
    if not mapping:
        return None
    return mapping.get(key)
