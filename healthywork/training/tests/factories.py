"""Plain factory functions for training (areas may add their own in factories_<area>.py)."""

from datetime import datetime, timedelta
from itertools import count

from django.utils import timezone

from healthywork.training.models import Modality, Registration, Training, TrainingStatus

_numbers = count(1)


def training(title: str | None = None, **fields) -> Training:
    number = next(_numbers)
    fields.setdefault("description", "Work as a social determinant of health.")
    fields.setdefault("modality", Modality.ONLINE)
    fields.setdefault("starts_at", timezone.make_aware(datetime(2030, 3, 5, 15, 0)))
    if fields["starts_at"] is not None:
        fields.setdefault("ends_at", fields["starts_at"] + timedelta(hours=1, minutes=30))
    fields.setdefault("status", TrainingStatus.PUBLISHED)
    fields.setdefault("slug", f"training-{number}")
    return Training.objects.create(title=title or f"Training {number}", **fields)


def registration(training_obj: Training, name: str | None = None, **fields) -> Registration:
    number = next(_numbers)
    fields.setdefault("email", f"person{number}@example.org")
    return Registration.objects.create(training=training_obj, name=name or f"Person {number}", **fields)
