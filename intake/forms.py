import re

from django import forms
from django.conf import settings
from django.utils import timezone

from intake.parsing import IGNORE, KEEP, MAPPING_CHOICES
from intake.presets import PRESET_CHOICES
from outreach_admin.forms import IdListField

SOURCES = [("apollo", "Apollo"), ("apify", "Apify"), ("manual", "Manual"), ("other", "Other")]
BATCH_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$")


def max_upload_bytes() -> int:
    return int(getattr(settings, "INTAKE_MAX_UPLOAD_MB", 50)) * 1024 * 1024


def default_batch_id() -> str:
    return timezone.localtime().strftime("upload-%Y-%m-%d-%H%M")


def clean_batch_id(value: str) -> str:
    value = value.strip()
    if not BATCH_ID_RE.match(value):
        raise forms.ValidationError(
            "Use letters, digits, '.', '_', ':' or '-' (up to 100), "
            "starting with a letter or digit."
        )
    return value


class BatchUploadForm(forms.Form):
    file = forms.FileField(
        required=False,
        label="File",
        help_text="JSON (an array of objects, or one object per line) or CSV with a header row "
        "(comma, semicolon or tab; UTF-8, UTF-16 or Windows-1252, as Excel writes them).",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.jsonl,.ndjson,.csv,.txt"}),
    )
    pasted = forms.CharField(
        required=False,
        label="…or paste JSON",
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false", "class": "font-monospace"}),
    )
    source = forms.ChoiceField(choices=[("", "Choose a source…"), *SOURCES])
    batch_id = forms.CharField(max_length=100, label="Batch id")
    preset = forms.ChoiceField(
        choices=PRESET_CHOICES,
        required=False,
        label="Export format",
        help_text="Apollo, HubSpot and Apify exports are recognised from their columns.",
    )

    def clean_batch_id(self):
        return clean_batch_id(self.cleaned_data["batch_id"])

    def clean(self):
        data = super().clean()
        upload, pasted = data.get("file"), (data.get("pasted") or "").strip()
        if upload and pasted:
            raise forms.ValidationError("Upload a file or paste JSON, not both.")
        if not upload and not pasted:
            raise forms.ValidationError("Choose a file to upload or paste JSON rows.")
        limit = max_upload_bytes()
        size = upload.size if upload else len(pasted.encode("utf-8", "surrogatepass"))
        if size > limit:
            raise forms.ValidationError(
                f"The file is {size / 1048576:.1f} MB; the limit is {limit // 1048576} MB. "
                "Split it into smaller files."
            )
        data["pasted"] = pasted
        return data


class CsvMappingForm(forms.Form):
    """One select per column (CSV header or JSON path; field ``col_<n>``), defaulting to the
    guessed raw field, and "remember" (save the mapping for the source and preset, shared)."""

    remember = forms.BooleanField(required=False, initial=True)

    def __init__(self, *args, headers, guesses, **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = headers
        for n, header in enumerate(headers):
            self.fields[f"col_{n}"] = forms.ChoiceField(
                choices=MAPPING_CHOICES, label=header, initial=guesses.get(header, KEEP)
            )

    def clean(self):
        data = super().clean()
        targets = [data.get(f"col_{n}") for n in range(len(self.headers))]
        if "email" not in targets:
            raise forms.ValidationError(
                "Map one column to Email: rows without an email are skipped."
            )
        used = [t for t in targets if t and t not in (KEEP, IGNORE)]
        repeated = sorted({t for t in used if used.count(t) > 1})
        if repeated:
            raise forms.ValidationError(
                f"Each field can take one column; repeated: {', '.join(repeated)}."
            )
        return data

    def mapping(self) -> dict[str, str]:
        return {h: self.cleaned_data[f"col_{n}"] for n, h in enumerate(self.headers)}

    def columns(self):
        """The bound fields of the columns, in file order (not "remember")."""
        return [self[f"col_{n}"] for n in range(len(self.headers))]


class BatchPromoteForm(forms.Form):
    batch_id = forms.CharField(max_length=200)
    # Any ids: the SQL function skips loads that are not pending.
    load_ids = IdListField(required=False)
    scope = forms.ChoiceField(choices=[("batch", "batch"), ("selected", "selected")])

    def clean(self):
        data = super().clean()
        if data.get("scope") == "selected" and not data.get("load_ids"):
            raise forms.ValidationError("Select at least one load to promote.")
        return data
