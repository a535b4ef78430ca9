"""The technical-assistance log: list with filters and totals, entries, export, import with
preview (a bad row changes nothing), and the command line import and exports."""

import io
import json
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from healthywork.collaborative.tests.base import TeamTestCase
from healthywork.core.models import AuditEvent
from healthywork.implementation.models import AssistanceLog
from healthywork.implementation.tests import factories

LIST = "implementation:assistance-list"
HEADER = "team,provider,provider_organization,date,hours,mode,topic,kind,notes\n"


class AssistanceTestCase(TeamTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        factories.assistance(cls.team_a, "2", provider_name="Labor educator", topic="Power mapping")
        factories.assistance(cls.team_a, "1.5", provider_name="Ana Ruiz", topic="Messaging", kind="content")
        factories.assistance(
            cls.team_b, "4", provider_name="Ana Ruiz", topic="Budgets", date=date(2018, 9, 2)
        )


class ListTests(AssistanceTestCase):
    def test_it_needs_login(self):
        self.assertNeedsLogin(reverse(LIST))

    def test_totals_by_team_provider_and_topic(self):
        self.login(self.administrator)
        response = self.client.get(reverse(LIST))
        totals = response.context["totals"]
        self.assertEqual(
            [(row["team__name"], row["hours"]) for row in totals["team"]],
            [("Team B", Decimal("4")), ("Team A", Decimal("3.5"))],
        )
        self.assertEqual(totals["provider"][0]["provider_name"], "Ana Ruiz")
        self.assertEqual(totals["provider"][0]["hours"], Decimal("5.5"))
        self.assertEqual(len(totals["topic"]), 3)
        self.assertContains(response, "assistance-spec")

    def test_a_member_sees_only_the_own_team(self):
        self.login(self.member_a)
        response = self.client.get(reverse(LIST))
        self.assertEqual(response.context["page"].paginator.count, 2)
        self.assertNotContains(response, "Budgets")
        self.assertNotContains(response, reverse("implementation:assistance-create"))

    def test_filters_are_in_the_url(self):
        self.login(self.administrator)
        url = reverse(LIST) + f"?team={self.team_a.public_id}&kind=content&date_from=2018-01-01"
        response = self.client.get(url)
        self.assertEqual([entry.topic for entry in response.context["page"]], ["Messaging"])
        response = self.client.get(reverse(LIST) + "?provider=ana&date_to=2018-08-31")
        self.assertEqual([entry.topic for entry in response.context["page"]], ["Messaging"])

    def test_export_the_filtered_list(self):
        self.login(self.administrator)
        response = self.client.get(reverse("implementation:assistance-export") + "?provider=ana&format=csv")
        text = response.content.decode("utf-8-sig")
        self.assertEqual(len(text.strip().splitlines()), 3)
        self.assertIn("Budgets", text)
        self.assertNotIn("Power mapping", text)
        response = self.client.get(reverse("implementation:assistance-export") + "?format=xlsx")
        sheet = load_workbook(io.BytesIO(response.content)).active
        self.assertEqual(sheet.max_row, 4)
        self.login(self.member_b)
        response = self.client.get(reverse("implementation:assistance-export"))
        self.assertNotIn("Power mapping", response.content.decode("utf-8-sig"))


class EntryTests(AssistanceTestCase):
    def data(self, **changes):
        return {
            "team": self.team_a.pk,
            "provider_name": "Rosa",
            "provider_organization": "",
            "date": "2018-10-01",
            "hours": "2.25",
            "mode": "phone",
            "kind": "facilitation",
            "topic": "Coalition",
            "notes": "",
            **changes,
        }

    def test_the_facilitator_logs_edits_and_deletes(self):
        self.login(self.facilitator)
        response = self.client.post(reverse("implementation:assistance-create"), self.data())
        self.assertRedirects(response, reverse(LIST))
        entry = AssistanceLog.objects.get(topic="Coalition")
        self.assertEqual(entry.created_by, self.facilitator)
        edit = reverse("implementation:assistance-edit", args=[entry.public_id])
        self.client.post(edit, self.data(hours="3"))
        self.assertEqual(AssistanceLog.objects.get(pk=entry.pk).hours, Decimal("3"))
        self.client.post(reverse("implementation:assistance-delete", args=[entry.public_id]))
        self.assertFalse(AssistanceLog.objects.filter(pk=entry.pk).exists())
        actions = set(AuditEvent.objects.filter(object_pk=str(entry.pk)).values_list("action", flat=True))
        self.assertEqual(actions, {"create", "change", "delete"})

    def test_bad_input_names_the_fields(self):
        self.login(self.facilitator)
        response = self.client.post(
            reverse("implementation:assistance-create"), self.data(hours="0.1", date="2999-01-01", mode="fax")
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.context["form"].errors), {"hours", "date", "mode"})

    def test_members_may_not_write_and_strangers_get_404(self):
        entry = AssistanceLog.objects.get(topic="Budgets")
        self.login(self.member_a)
        self.assertEqual(self.client.get(reverse("implementation:assistance-create")).status_code, 403)
        self.assertEqual(self.client.get(reverse("implementation:assistance-import")).status_code, 403)
        self.assertEqual(
            self.client.get(reverse("implementation:assistance-edit", args=[entry.public_id])).status_code,
            404,
        )
        self.login(self.member_b)
        self.assertEqual(
            self.client.post(reverse("implementation:assistance-delete", args=[entry.public_id])).status_code,
            403,
        )


class ImportTests(AssistanceTestCase):
    def upload(self, text: str, name: str = "log.csv"):
        self.login(self.facilitator)
        response = self.client.post(
            reverse("implementation:assistance-import"), {"file": SimpleUploadedFile(name, text.encode())}
        )
        self.assertEqual(response.status_code, 302)
        return response["Location"]

    def test_a_bad_row_is_named_and_nothing_is_written(self):
        before = AssistanceLog.objects.count()
        url = self.upload(
            HEADER
            + "team a,Rosa,,2018-10-01,2,video,Coalition,facilitation,\n"
            + "Team Z,Rosa,,2018-13-01,-1,fax,,expert,\n"
        )
        response = self.client.get(url)
        self.assertEqual(response.status_code, 400)
        refused = response.context["preview"].refused
        self.assertEqual(refused[0].number, 3)
        self.assertEqual(
            {column for column, _message in refused[0].errors},
            {"team", "date", "hours", "mode", "topic", "kind"},
        )
        response = self.client.post(url, {"confirm": "1"})
        self.assertEqual(AssistanceLog.objects.count(), before)

    def test_a_good_file_is_previewed_then_written(self):
        url = self.upload(
            HEADER
            + "Team A,Rosa,,2018-10-01,2,Video call,Coalition,Content expert,note\n"
            + 'team b,Rosa,,2018-10-02,"1,5",phone,Coalition,facilitation,\n'
        )
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertRedirects(self.client.post(url, {"confirm": "1"}), reverse(LIST))
        self.assertEqual(AssistanceLog.objects.filter(topic="Coalition").count(), 2)
        self.assertEqual(AssistanceLog.objects.get(team=self.team_b, topic="Coalition").hours, Decimal("1.5"))


class CommandTests(AssistanceTestCase):
    def test_import_dry_run_then_import(self, tmp_name="assistance.csv"):
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / tmp_name
            path.write_text(HEADER + "Team A,Rosa,,2018-10-01,2,video,Coalition,content,\n", encoding="utf-8")
            out = io.StringIO()
            call_command("import", "assistance", str(path), "--dry-run", stdout=out)
            self.assertIn("Dry run", out.getvalue())
            self.assertFalse(AssistanceLog.objects.filter(topic="Coalition").exists())
            call_command("import", "assistance", str(path), stdout=io.StringIO())
            self.assertTrue(AssistanceLog.objects.filter(topic="Coalition").exists())
            path.write_text(HEADER + "Team Q,Rosa,,2018-10-01,2,video,Other,content,\n", encoding="utf-8")
            out = io.StringIO()
            with self.assertRaises(CommandError):
                call_command("import", "assistance", str(path), stdout=out)
            self.assertIn("Row 2, team", out.getvalue())

    def test_exports(self):
        grant = factories.grant(self.team_a, "1000")
        factories.disbursement(grant, "250")
        out = io.StringIO()
        call_command("export", "grants", "--format", "json", stdout=out)
        rows = json.loads(out.getvalue())
        self.assertEqual(
            (rows[0]["disbursed"], rows[0]["balance"], rows[0]["disbursements"]), ("250.00", "750.00", 1)
        )
        out = io.StringIO()
        call_command("export", "assistance", "--filter", "team=team b", stdout=out)
        self.assertIn("Budgets", out.getvalue())
        self.assertNotIn("Messaging", out.getvalue())
        with self.assertRaises(CommandError):
            call_command("export", "assistance", "--filter", "kind=wrong", stdout=io.StringIO())
