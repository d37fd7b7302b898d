"""Helpers for admin tests: an editor account and posting a change form as a browser would."""

from __future__ import annotations

from django.contrib.auth.models import Group, User


def make_editor(username: str = "editor1", password: str = "curate-carefully-42") -> User:
    """A staff user in the editor group (not a superuser)."""
    user = User.objects.create_user(username, password=password, is_staff=True)
    user.groups.add(Group.objects.get(name="editor"))
    return user


def form_data(response) -> dict:
    """The POST a browser would send for an admin change page as rendered (form and inlines)."""
    forms = [response.context["adminform"].form]
    data: dict = {}
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms += formset.forms
    for form in forms:
        for bound in form:
            value = bound.field.prepare_value(bound.value())
            if isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            elif value is not None:
                data[bound.html_name] = str(value)
    return data


def post_change(client, url: str, **changes) -> object:
    """GET an admin change page, apply `changes` to its fields, POST it back."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = form_data(page)
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = "on" if value is True else value
    return client.post(url, data)
