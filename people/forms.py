from django import forms

from outreach_admin.forms import IdField, parse_id
from people.selectors import MERGE_FIELDS

SIDES = [("survivor", "Survivor"), ("absorbed", "Absorbed")]


class PairActionForm(forms.Form):
    next = forms.CharField(required=False)


class PersonMergeForm(forms.Form):
    survivor_id = IdField()
    absorbed_id = IdField()
    resolution_id = IdField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in MERGE_FIELDS:
            self.fields[f"field_{name}"] = forms.ChoiceField(choices=SIDES, required=False)

    def field_choices(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[f"field_{name}"]
            for name in MERGE_FIELDS
            if self.cleaned_data.get(f"field_{name}")
        }


class MergeUndoForm(forms.Form):
    confirmed = forms.CharField(required=False)


class BulkMergeForm(forms.Form):
    resolution_ids = forms.CharField(required=True)
    confirmed = forms.CharField(required=False)

    def clean_resolution_ids(self):
        raw = self.cleaned_data["resolution_ids"].replace(",", " ").split()
        try:
            ids = [parse_id(x) for x in raw]
        except forms.ValidationError:
            raise forms.ValidationError("Pair ids must be numbers.") from None
        if not ids:
            raise forms.ValidationError("Choose at least one pair.")
        if len(ids) > 500:
            raise forms.ValidationError("At most 500 pairs at a time.")
        return ids
