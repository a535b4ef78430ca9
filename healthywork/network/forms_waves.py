from django import forms

from healthywork.network.models import Wave


class WaveForm(forms.ModelForm):
    class Meta:
        model = Wave
        fields = ["name", "start_date", "end_date", "description"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
