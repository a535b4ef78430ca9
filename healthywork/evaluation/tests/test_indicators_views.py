"""Indicator pages, services and API: who sees and writes, typed and computed measurements, the
chart's target, export, import with preview (all or nothing), the team panel."""

import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from healthywork.accounts.models import ApiToken
from healthywork.collaborative.tests.base import TeamTestCase
from healthywork.core.models import AuditEvent
from healthywork.evaluation import indicators
from healthywork.evaluation.models import Item, Measurement, MeasurementSource, TotalMethod
from healthywork.evaluation.panels_indicators import team_panels
from healthywork.evaluation.tests import factories
from healthywork.planning.tests import factories as planning


@pytest.mark.parametrize(
    "text, number",
    [
        ("60%", 60),
        ("≥ 75 workers", 75),
        ("1,200", 1200),
        ("0,5", 0.5),
        ("3.5 of 5", 3.5),
        ("all", None),
        ("", None),
    ],
)
def test_parse_target(text, number):
    assert indicators.parse_target(text) == number


class IndicatorTestCase(TeamTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        theory = planning.theory(cls.team_a)
        outcome = planning.outcome(theory, "Workers know their rights")
        cls.indicator = planning.indicator(outcome, "Share of workers who know PSE", target="60%")
        theory_b = planning.theory(cls.team_b)
        cls.indicator_b = planning.indicator(
            planning.outcome(theory_b, "B outcome"), "B indicator", target="10"
        )
        cls.first = Measurement.objects.create(indicator=cls.indicator, date=date(2024, 1, 1), value=40)
        cls.second = Measurement.objects.create(indicator=cls.indicator, date=date(2024, 6, 1), value=55)
        cls.instrument = factories.instrument(
            "ind-test",
            dimensions={"know": ["k1", "k2"], "conf": ["c1"]},
            total_method=TotalMethod.MEAN_OF_DIMENSIONS,
        )
        Item.objects.filter(instrument=cls.instrument, code="k2").update(reverse_scored=True)
        cls.administration = factories.administration(cls.instrument, team=cls.team_a)
        # k2 reversed (6 − v): know = (5+5)/2 = 5, (3+3)/2 = 3, (2+4)/2 = 3; conf 4, 2, 5
        factories.response(cls.administration, {"k1": 5, "k2": 1, "c1": 4})
        factories.response(cls.administration, {"k1": 3, "k2": 3, "c1": 2})
        factories.response(cls.administration, {"k1": 2, "k2": 2, "c1": 5})

    def detail_url(self, indicator=None):
        return reverse("evaluation:indicator-detail", args=[(indicator or self.indicator).public_id])


class IndicatorPageTests(IndicatorTestCase):
    def test_login_required(self):
        self.assertNeedsLogin(reverse("evaluation:indicator-list"))
        self.assertNeedsLogin(self.detail_url())

    def test_list_shows_visible_teams_with_latest_value(self):
        self.login(self.member_a)
        response = self.client.get(reverse("evaluation:indicator-list"))
        self.assertContains(response, "Share of workers who know PSE")
        self.assertContains(response, "55")
        self.assertContains(response, "below target")
        self.assertNotContains(response, "B indicator")

    def test_list_filters_by_team(self):
        self.login(self.evaluator)
        url = reverse("evaluation:indicator-list")
        self.assertContains(self.client.get(url), "B indicator")
        response = self.client.get(url, {"team": self.team_b.public_id})
        self.assertContains(response, "B indicator")
        self.assertNotContains(response, "Share of workers who know PSE")

    def test_detail_has_chart_with_target_and_table(self):
        self.login(self.member_a)
        response = self.client.get(self.detail_url())
        self.assertContains(response, 'id="indicator-spec"')
        self.assertContains(response, "2024-06-01")
        spec = response.context["spec"]
        assert spec["layer"][0]["data"]["values"] == [
            {"date": "2024-01-01", "value": 40.0},
            {"date": "2024-06-01", "value": 55.0},
        ]
        assert spec["layer"][1]["data"]["values"][0]["target"] == 60
        self.assertContains(response, "Add a measurement")

    def test_stranger_gets_404_and_reader_cannot_write(self):
        self.login(self.member_b)
        assert self.client.get(self.detail_url()).status_code == 404
        url = reverse("evaluation:indicator-measurement-add", args=[self.indicator.public_id])
        assert self.client.post(url, {"date": "2024-07-01", "value": 1}).status_code == 404
        self.login(self.viewer)
        assert self.client.get(self.detail_url()).status_code == 404

    def test_reader_without_edit_rights_gets_403(self):
        from healthywork.collaborative.models import TeamPerson

        TeamPerson.objects.filter(team=self.team_a, user=self.member_a).update(can_edit=False)
        self.login(self.member_a)
        response = self.client.get(self.detail_url())
        assert response.status_code == 200
        self.assertNotContains(response, "Add a measurement")
        url = reverse("evaluation:indicator-measurement-add", args=[self.indicator.public_id])
        assert self.client.post(url, {"date": "2024-07-01", "value": 1}).status_code == 403
        assert Measurement.objects.count() == 2

    def test_add_typed_measurement_with_audit(self):
        self.login(self.member_a)
        url = reverse("evaluation:indicator-measurement-add", args=[self.indicator.public_id])
        response = self.client.post(url, {"date": "2024-09-01", "value": "62.5", "note": "Autumn survey"})
        self.assertRedirects(response, self.detail_url())
        created = Measurement.objects.get(date=date(2024, 9, 1))
        assert created.value == 62.5 and created.source == MeasurementSource.TYPED
        assert created.created_by == self.member_a
        assert AuditEvent.objects.filter(action="create", object_pk=str(created.pk)).exists()

    def test_bad_measurement_names_the_field_and_saves_nothing(self):
        self.login(self.member_a)
        url = reverse("evaluation:indicator-measurement-add", args=[self.indicator.public_id])
        response = self.client.post(url, {"date": "not a date", "value": "abc"})
        assert response.status_code == 400
        assert "date" in response.context["form"].errors and "value" in response.context["form"].errors
        assert Measurement.objects.count() == 2

    def test_evaluator_may_write_any_team(self):
        self.login(self.evaluator)
        url = reverse("evaluation:indicator-measurement-add", args=[self.indicator_b.public_id])
        self.client.post(url, {"date": "2024-09-01", "value": "3"})
        assert self.indicator_b.measurements.count() == 1

    def test_delete_measurement(self):
        self.login(self.facilitator)
        url = reverse("evaluation:indicator-measurement-delete", args=[self.first.public_id])
        self.assertContains(self.client.get(url), "Delete the measurement")
        self.assertRedirects(self.client.post(url), self.detail_url())
        assert not Measurement.objects.filter(pk=self.first.pk).exists()
        assert AuditEvent.objects.filter(action="delete", object_pk=str(self.first.pk)).exists()
        self.login(self.member_b)
        assert (
            self.client.post(
                reverse("evaluation:indicator-measurement-delete", args=[self.second.public_id])
            ).status_code
            == 404
        )

    def test_export_csv_and_xlsx(self):
        self.login(self.member_a)
        url = reverse("evaluation:indicator-export", args=[self.indicator.public_id])
        content = self.client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
        assert content.splitlines()[0].startswith("date,value,note,source")
        assert "2024-06-01,55" in content
        xlsx = self.client.get(url, {"format": "xlsx"})
        assert xlsx.content[:2] == b"PK"


class ComputeTests(IndicatorTestCase):
    def test_compute_values(self):
        mean_know = indicators.compute(self.administration, "dimension:know", "mean")
        assert mean_know.value == pytest.approx(11 / 3) and mean_know.n == 3
        assert mean_know.computed_from == "dimension:know:mean"
        total = indicators.compute(self.administration, "total", "mean")
        # totals (5+4)/2, (3+2)/2, (3+5)/2 = 4.5, 2.5, 4
        assert total.value == pytest.approx(11 / 3)
        share = indicators.compute(self.administration, "total", "percent_at_least", 4)
        assert share.value == pytest.approx(200 / 3)
        assert share.computed_from == "total:percent_at_least:4"
        item = indicators.compute(self.administration, "item:k2", "mean")  # raw answers
        assert item.value == pytest.approx(2)

    def test_compute_errors(self):
        with pytest.raises(indicators.ComputeError):
            indicators.compute(self.administration, "dimension:nope", "mean")
        with pytest.raises(indicators.ComputeError):
            indicators.compute(self.administration, "item:zz", "mean")
        with pytest.raises(indicators.ComputeError):
            indicators.compute(self.administration, "total", "percent_at_least", None)
        empty = factories.administration(self.instrument)
        with pytest.raises(indicators.ComputeError):
            indicators.compute(empty, "total", "mean")

    def test_compute_page_saves_a_computed_measurement(self):
        self.login(self.member_a)
        url = reverse("evaluation:indicator-compute", args=[self.indicator.public_id])
        query = f"?administration={self.administration.public_id}"
        page = self.client.get(url + query)
        self.assertContains(page, "Dimension: Know")
        response = self.client.post(
            url + query,
            {
                "what": "dimension:know",
                "statistic": "percent_at_least",
                "threshold": "3",
                "date": "2024-12-01",
            },
        )
        self.assertRedirects(response, self.detail_url())
        created = Measurement.objects.get(date=date(2024, 12, 1))
        assert created.value == pytest.approx(100)
        assert created.source == MeasurementSource.COMPUTED
        assert created.administration == self.administration
        assert created.computed_from == "dimension:know:percent_at_least:3"

    def test_compute_page_refuses_missing_threshold(self):
        self.login(self.member_a)
        url = reverse("evaluation:indicator-compute", args=[self.indicator.public_id])
        query = f"?administration={self.administration.public_id}"
        response = self.client.post(
            url + query, {"what": "total", "statistic": "percent_at_least", "date": "2024-12-01"}
        )
        assert response.status_code == 400
        assert "threshold" in response.context["form"].errors
        assert Measurement.objects.count() == 2


class ImportTests(IndicatorTestCase):
    def upload(self, text: str):
        url = reverse("evaluation:indicator-import", args=[self.indicator.public_id])
        upload = SimpleUploadedFile("m.csv", text.encode("utf-8"), content_type="text/csv")
        return self.client.post(url, {"file": upload})

    def test_import_with_preview_then_confirm(self):
        self.login(self.member_a)
        response = self.upload("date,value,note\n2025-01-01,58,winter\n2025-03-01,61%,spring\n")
        preview_url = response["Location"]
        preview = self.client.get(preview_url)
        self.assertContains(preview, "2 to save")
        assert Measurement.objects.count() == 2
        self.assertRedirects(self.client.post(preview_url, {"confirm": "1"}), self.detail_url())
        assert sorted(self.indicator.measurements.values_list("value", flat=True)) == [40, 55, 58, 61]

    def test_import_with_a_bad_row_saves_nothing(self):
        self.login(self.member_a)
        preview_url = self.upload("date,value\n2025-01-01,58\n2025-13-01,x\n")["Location"]
        preview = self.client.get(preview_url)
        assert preview.status_code == 400
        self.assertContains(preview, "not a date", status_code=400)
        self.assertContains(preview, "not a number", status_code=400)
        self.client.post(preview_url, {"confirm": "1"})
        assert Measurement.objects.count() == 2

    def test_import_missing_column(self):
        self.login(self.member_a)
        preview = self.client.get(self.upload("when,amount\n2025-01-01,58\n")["Location"])
        self.assertContains(preview, "no column", status_code=400)


class PanelAndApiTests(IndicatorTestCase):
    def test_team_panel(self):
        panels = team_panels(self.team_a, self.member_a)
        assert len(panels) == 1 and panels[0].count == 1
        assert panels[0].context["rows"][0]["latest"].value == 55
        assert team_panels(self.team_a, self.member_b) == []

    def call(self, user, method, url, data=None):
        token = ApiToken.issue(user, "tests")[1]
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        if data is None:
            return getattr(self.client, method)("/api/v1" + url, **headers)
        return getattr(self.client, method)(
            "/api/v1" + url, data=json.dumps(data), content_type="application/json", **headers
        )

    def test_api_list_and_measurements(self):
        response = self.call(self.member_a, "get", "/evaluation/indicators")
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["count"] == 1
        assert body["results"][0]["latest"]["value"] == 55
        assert body["results"][0]["target_number"] == 60
        everything = self.call(
            self.evaluator, "get", f"/evaluation/indicators?team={self.team_b.public_id}"
        ).json()
        assert [r["what"] for r in everything["results"]] == ["B indicator"]
        url = f"/evaluation/indicators/{self.indicator.public_id}/measurements"
        assert [m["value"] for m in self.call(self.member_a, "get", url).json()] == [40, 55]
        assert self.call(self.member_b, "get", url).status_code == 404

    def test_api_add_measurement(self):
        url = f"/evaluation/indicators/{self.indicator.public_id}/measurements"
        created = self.call(self.member_a, "post", url, {"date": "2025-02-01", "value": 70, "note": "api"})
        assert created.status_code == 201, created.content
        assert created.json()["value"] == 70
        assert AuditEvent.objects.filter(action="create", object_repr__contains="70").exists()
        assert self.call(self.member_b, "post", url, {"date": "2025-02-01", "value": 1}).status_code == 404
        from healthywork.collaborative.models import TeamPerson

        TeamPerson.objects.filter(team=self.team_a, user=self.member_a).update(can_edit=False)
        assert self.call(self.member_a, "post", url, {"date": "2025-02-01", "value": 1}).status_code == 403
        bad = self.call(self.evaluator, "post", url, {"date": "1800-01-01", "value": 1})
        assert bad.status_code == 422
        assert Measurement.objects.count() == 3
