"""The type-ahead picker: a record chosen by name instead of a typed id.

``TypeaheadPicker`` renders two inputs: a hidden one under the field's name holding the chosen
id, and a visible text box (``<name>_search``) that ``static/js/typeahead.js`` turns into an
ARIA combobox fed by the global search's JSON endpoint (``search_suggest``, one ``kind``). A
pick writes the id into the hidden input and ``Name (#id)`` into the box; typing again clears
the id.

Without JavaScript the box is a plain text field: the field receives what was typed (an id, or
a name/e-mail the field resolves itself). So the server's validation is the same either way:
the field's ``clean`` looks the record up, and an unknown id is a form error.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django import forms
from django.urls import reverse
from django.utils.html import format_html, format_html_join

SEARCH_SUFFIX = "_search"
LABEL_ID = re.compile(r"\(#(\d{1,19})\)\s*$")


def label(title: str, pk: int) -> str:
    """What the picker shows for a chosen record (and reads back): ``Title (#12)``."""
    return f"{title} (#{pk})"


def id_in_label(text: str) -> str | None:
    """The id digits at the end of a picker label (``Jane Doe (#12)`` → ``'12'``), else None."""
    match = LABEL_ID.search(text or "")
    return match.group(1) if match else None


class TypeaheadPicker(forms.Widget):
    """Hidden id + visible search box; ``kind`` is a kind of the global search (``person``,
    ``company``, ``campaign``). ``label_for(value)`` gives the box's text for a value (an id or
    what was typed); by default the value itself."""

    input_type = "text"

    def __init__(
        self,
        kind: str,
        *,
        label_for: Callable[[object], str] | None = None,
        placeholder: str = "",
        attrs=None,
    ):
        super().__init__(attrs)
        self.kind = kind
        self.label_for = label_for
        self.placeholder = placeholder

    def value_from_datadict(self, data, files, name):
        """The chosen id when the box still shows that record's label; otherwise the typed
        text (a stale hidden id never overrides what the user typed since). A post without the
        box (an API-style client, the tests) is read from the field's name alone."""
        hidden = data.get(name)
        text = data.get(name + SEARCH_SUFFIX)
        if text is None:
            return hidden
        text = text.strip()
        if hidden and id_in_label(text) == str(hidden).strip():
            return str(hidden).strip()
        return text

    def value_omitted_from_data(self, data, files, name):
        return name not in data and name + SEARCH_SUFFIX not in data

    def _text(self, value) -> str:
        if value in (None, ""):
            return ""
        if self.label_for is not None:
            return self.label_for(value)
        return str(value)

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        text = self._text(value)
        chosen = id_in_label(text) or ""
        attrs.update(
            {
                "type": "text",
                "name": name + SEARCH_SUFFIX,
                "value": text,
                "autocomplete": "off",
                "spellcheck": "false",
                "data-typeahead-input": "",
            }
        )
        if self.placeholder:
            attrs.setdefault("placeholder", self.placeholder)
        attrs.pop("required", None)  # the hidden id may be empty while a name is typed
        return format_html(
            '<div class="typeahead typeahead-picker" data-typeahead="pick" '
            'data-typeahead-url="{}">'
            '<input type="hidden" name="{}" value="{}" data-typeahead-value>'
            "<input{}></div>",
            f"{reverse('search_suggest')}?kind={self.kind}",
            name,
            chosen,
            format_html_join("", ' {}="{}"', sorted(attrs.items())),
        )
