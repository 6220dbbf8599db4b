"""The link other apps' pages show to a workspace's reports (accounts must not import reports:
the workspace page pulls it in by tag name; nothing here runs a query)."""

from django import template

register = template.Library()


@register.inclusion_tag("reports/_workspace_link.html", takes_context=True)
def workspace_reports_link(context: template.Context, workspace) -> dict:
    return {"request": context["request"], "workspace": workspace}
