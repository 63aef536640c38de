"""How the profile's values read on a page, the same on every page that shows them."""

from django import template

register = template.Library()


@register.filter
def money(value) -> str:
    """An amount with its currency code, grouped by thousands in every language: ``CNY 12,500,000.00``."""
    return "" if value is None else f"{value.currency.code} {value.amount:,.2f}"
