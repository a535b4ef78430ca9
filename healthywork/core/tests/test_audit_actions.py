"""The audit log names every action it holds: an unknown one is refused where it is written."""

from django.test import TestCase

from healthywork.core import audit
from healthywork.core.models import AuditEvent
from healthywork.partners.tests import factories


class AuditActionTests(TestCase):
    def test_an_unknown_action_is_refused_and_nothing_is_written(self):
        organization = factories.organization()
        before = AuditEvent.objects.count()
        with self.assertRaises(ValueError):
            audit.record(None, "update", organization)
        self.assertEqual(AuditEvent.objects.count(), before)

    def test_a_known_action_is_written(self):
        organization = factories.organization()
        event = audit.record(None, "change", organization, {"name": ["A", "B"]})
        self.assertEqual(event.get_action_display(), AuditEvent.Action.CHANGE.label)
