"""The scan's JSON API under /api/v1/scan/: visibility, blind rounds, writes and their errors."""

import json

from healthywork.accounts.models import ApiToken
from healthywork.core.models import AuditEvent
from healthywork.core.tests.base import PersonaTestCase
from healthywork.scan.models import Code, Coding, Document, ProjectRole, RoundStatus
from healthywork.scan.tests import factories

API = "/api/v1"


class ScanApiTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.project = factories.project("Environmental scan")
        cls.other_project = factories.project("Someone else's study")
        factories.member(cls.project, cls.coder, ProjectRole.CODER)
        factories.member(cls.project, cls.evaluator, ProjectRole.CODER)
        factories.member(cls.project, cls.viewer, ProjectRole.READER)
        cls.interview = factories.interview(cls.project)
        cls.document = factories.document(cls.project, interview=cls.interview, title="Transcript A")
        cls.secret = factories.document(cls.other_project, title="Not yours")
        cls.policy = factories.code(cls.project, "Policy")
        cls.training = factories.code(cls.project, "Training", parent=cls.policy)
        cls.mine = factories.coding_of(cls.document, cls.policy, cls.coder, "fair workweek ordinance")
        cls.theirs = factories.coding_of(cls.document, cls.training, cls.evaluator, "train members")
        cls.tokens = {
            user.pk: ApiToken.issue(user, "tests")[1]
            for user in [cls.administrator, cls.coder, cls.evaluator, cls.viewer, cls.facilitator]
        }

    def call(self, user, method: str, path: str, data=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {self.tokens[user.pk]}"}
        if data is None:
            return getattr(self.client, method)(API + path, **headers)
        return getattr(self.client, method)(
            API + path, data=json.dumps(data), content_type="application/json", **headers
        )


class ReadingTests(ScanApiTestCase):
    def test_it_needs_authentication(self):
        self.assertEqual(self.client.get(f"{API}/scan/projects").status_code, 401)

    def test_a_member_sees_only_their_projects(self):
        names = [row["name"] for row in self.call(self.coder, "get", "/scan/projects").json()]
        self.assertEqual(names, ["Environmental scan"])
        everything = [row["name"] for row in self.call(self.administrator, "get", "/scan/projects").json()]
        self.assertEqual(len(everything), 2)

    def test_a_strangers_project_and_document_are_404(self):
        self.assertEqual(
            self.call(self.facilitator, "get", f"/scan/projects/{self.project.public_id}").status_code, 404
        )
        self.assertEqual(
            self.call(self.coder, "get", f"/scan/documents/{self.secret.public_id}").status_code, 404
        )

    def test_a_document_comes_with_its_text_and_organization(self):
        body = self.call(self.viewer, "get", f"/scan/documents/{self.document.public_id}").json()
        self.assertEqual(body["text"], self.document.text)
        self.assertEqual(body["organization"]["name"], self.interview.organization.name)

    def test_the_codebook_lists_paths(self):
        body = self.call(self.coder, "get", f"/scan/projects/{self.project.public_id}/codes").json()
        self.assertEqual({row["path"] for row in body}, {"Policy", "Policy › Training"})

    def test_an_open_round_hides_other_coders_codings(self):
        factories.round_of(self.project, [self.document], [self.coder, self.evaluator])
        body = self.call(self.coder, "get", f"/scan/documents/{self.document.public_id}/codings").json()
        self.assertEqual([row["coder"] for row in body["results"]], ["cody"])
        body = self.call(
            self.administrator, "get", f"/scan/documents/{self.document.public_id}/codings"
        ).json()
        self.assertEqual(body["count"], 2)

    def test_segments_of_a_code_name_their_organization_and_sector(self):
        body = self.call(self.viewer, "get", f"/scan/codes/{self.policy.public_id}/segments").json()
        self.assertEqual(body["count"], 1)
        self.assertEqual(body["results"][0]["snippet"], "fair workweek ordinance")
        self.assertEqual(body["results"][0]["sector"], self.interview.organization.sector.slug)


class WritingTests(ScanApiTestCase):
    def test_a_coder_codes_a_span_and_it_is_audited(self):
        start = self.document.text.index("Wage theft")
        response = self.call(
            self.coder,
            "post",
            f"/scan/documents/{self.document.public_id}/codings",
            {"code": str(self.policy.public_id), "start_offset": start, "end_offset": start + 10},
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["snippet"], "Wage theft")
        coding = Coding.objects.get(public_id=response.json()["id"])
        self.assertEqual(coding.coder, self.coder)
        self.assertTrue(AuditEvent.objects.filter(action="create", object_pk=str(coding.pk)).exists())

    def test_a_coding_inside_an_open_round_records_the_round(self):
        blind = factories.round_of(self.project, [self.document], [self.coder, self.evaluator])
        response = self.call(
            self.coder,
            "post",
            f"/scan/documents/{self.document.public_id}/codings",
            {"code": str(self.policy.public_id), "start_offset": 0, "end_offset": 11},
        )
        self.assertEqual(Coding.objects.get(public_id=response.json()["id"]).round, blind)
        self.assertEqual(blind.status, RoundStatus.OPEN)

    def test_offsets_outside_the_document_are_named_and_nothing_is_saved(self):
        before = Coding.objects.count()
        response = self.call(
            self.coder,
            "post",
            f"/scan/documents/{self.document.public_id}/codings",
            {"code": str(self.policy.public_id), "start_offset": 5, "end_offset": 10**6},
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["field"], "end_offset")
        self.assertEqual(Coding.objects.count(), before)

    def test_a_reader_may_not_code(self):
        response = self.call(
            self.viewer,
            "post",
            f"/scan/documents/{self.document.public_id}/codings",
            {"code": str(self.policy.public_id), "start_offset": 0, "end_offset": 5},
        )
        self.assertEqual(response.status_code, 403)

    def test_a_coder_removes_their_own_coding_but_not_anothers(self):
        self.assertEqual(
            self.call(self.coder, "delete", f"/scan/codings/{self.theirs.public_id}").status_code, 403
        )
        self.assertEqual(
            self.call(self.coder, "delete", f"/scan/codings/{self.mine.public_id}").status_code, 204
        )
        self.assertFalse(Coding.objects.filter(pk=self.mine.pk).exists())

    def test_an_administrator_adds_a_document_and_a_code(self):
        response = self.call(
            self.administrator,
            "post",
            f"/scan/projects/{self.project.public_id}/documents",
            {
                "title": "Pasted",
                "text": "Respondent: we train.\r\n",
                "interview": str(self.interview.public_id),
            },
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(
            Document.objects.get(public_id=response.json()["id"]).text, "Respondent: we train.\n"
        )
        response = self.call(
            self.administrator,
            "post",
            f"/scan/projects/{self.project.public_id}/codes",
            {"name": "Sick leave", "parent": str(self.policy.public_id), "colour": "#aa3300"},
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(Code.objects.get(name="Sick leave").parent, self.policy)

    def test_a_bad_colour_and_a_duplicate_name_are_named(self):
        response = self.call(
            self.administrator,
            "post",
            f"/scan/projects/{self.project.public_id}/codes",
            {"name": "policy", "colour": "#12345"},
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual({row["field"] for row in response.json()["detail"]}, {"name", "colour"})

    def test_a_coder_may_not_add_codes(self):
        response = self.call(
            self.coder, "post", f"/scan/projects/{self.project.public_id}/codes", {"name": "X"}
        )
        self.assertEqual(response.status_code, 403)


class AgreementTests(ScanApiTestCase):
    def test_it_computes_the_wikipedia_example(self):
        # Krippendorff's alpha, Wikipedia's computational example (see ../reference): nominal 0.691.
        missing = None
        data = [
            [missing, missing, missing, missing, missing, 3, 4, 1, 2, 1, 1, 3, 3, missing, 3],
            [1, missing, 2, 1, 3, 3, 4, 3, missing, missing, missing, missing, missing, missing, missing],
            [missing, missing, 2, 1, 3, 4, 4, missing, 2, 1, 1, 3, 3, missing, 4],
        ]
        body = self.call(self.viewer, "post", "/scan/agreement", {"data": data}).json()
        self.assertAlmostEqual(body["alpha"], 336 / 486, places=6)
        self.assertIsNone(body["kappa"])
        self.assertEqual(body["n_coders"], 3)

    def test_it_names_a_ragged_matrix(self):
        response = self.call(self.viewer, "post", "/scan/agreement", {"data": [[1, 2], [1]]})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["field"], "data")


class RoundAgreementTests(ScanApiTestCase):
    def test_a_closed_rounds_agreement_is_given_to_its_coders_only_after_closing(self):
        blind = factories.round_of(self.project, [self.document], [self.coder, self.evaluator])
        url = f"/scan/rounds/{blind.public_id}/agreement"
        self.assertEqual(self.call(self.coder, "get", url).status_code, 403)
        blind.status = RoundStatus.CLOSED
        blind.save()
        self.assertEqual(self.call(self.viewer, "get", url).status_code, 403)
        self.assertEqual(self.call(self.facilitator, "get", url).status_code, 404)
        body = self.call(self.coder, "get", url).json()
        self.assertEqual(body["coders"], ["cody", "eve"])
        # Each coder coded one sentence with a different code: they never agree on a code.
        by_name = {row["code_name"]: row for row in body["codes"]}
        self.assertEqual(by_name["Policy"]["coded_units"], {"cody": 1, "eve": 0})
        self.assertLess(by_name["Policy"]["percent_agreement"], 1)
        self.assertEqual(self.call(self.coder, "get", url + "?unit=word").status_code, 422)
