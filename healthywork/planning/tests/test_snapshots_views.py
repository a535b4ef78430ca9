"""The snapshots pages: list, take (team and cohort), one snapshot, the difference, the cohort's
evolution, deleting (administrators)."""

from django.urls import reverse

from healthywork.collaborative.tests import factories as team_factories
from healthywork.collaborative.tests.base import TeamTestCase
from healthywork.core.models import AuditEvent
from healthywork.planning import snapshots
from healthywork.planning.models import Snapshot
from healthywork.planning.tests import factories


class SnapshotViewTestCase(TeamTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.session = team_factories.session(cls.cohort, 2, title="Power mapping")
        cls.power_map = factories.power_map(cls.team_a)
        cls.council = factories.actor(cls.power_map, "City Council", 6, 1)
        cls.chamber = factories.actor(cls.power_map, "Chamber of Commerce", 7, -3)
        cls.first = snapshots.take_snapshots(
            cls.session, [cls.team_a], label="After session 2", by=cls.facilitator
        )[0]
        cls.council.power = 8
        cls.council.save()
        cls.chamber.stance = -1
        cls.chamber.save()
        factories.actor(cls.power_map, "Mayor", 9, 0)
        cls.power_map.bump(cls.facilitator)
        cls.second = snapshots.take_snapshots(
            None, [cls.team_a], label="After session 3", by=cls.facilitator
        )[0]
        factories.theory(cls.team_b)
        cls.theirs = snapshots.take_snapshots(None, [cls.team_b], label="B's theory", by=cls.facilitator)[0]

    def diff_url(self, team=None, **params):
        url = reverse("planning:snapshot-diff", args=[(team or self.team_a).public_id])
        return url + "?" + "&".join(f"{key}={value}" for key, value in params.items())


class ListAndDetailTests(SnapshotViewTestCase):
    def test_it_lists_snapshots_by_kind(self):
        self.login(self.member_a)
        response = self.client.get(reverse("planning:snapshots", args=[self.team_a.public_id]))
        self.assertContains(response, "After session 2")
        self.assertContains(response, "Power mapping")
        self.assertContains(response, "Snapshot now")

    def test_it_needs_login(self):
        self.assertNeedsLogin(reverse("planning:snapshots", args=[self.team_a.public_id]))
        self.assertNeedsLogin(reverse("planning:snapshot-detail", args=[self.first.public_id]))

    def test_another_teams_snapshots_are_404(self):
        self.login(self.member_b)
        self.assertEqual(
            self.client.get(reverse("planning:snapshots", args=[self.team_a.public_id])).status_code, 404
        )
        self.assertEqual(
            self.client.get(reverse("planning:snapshot-detail", args=[self.first.public_id])).status_code, 404
        )
        self.assertEqual(
            self.client.get(self.diff_url(a=self.first.public_id, b=self.second.public_id)).status_code, 404
        )

    def test_one_snapshot_reads_as_tables(self):
        self.login(self.member_a)
        response = self.client.get(reverse("planning:snapshot-detail", args=[self.first.public_id]))
        self.assertContains(response, '<th scope="row">City Council</th>', html=False)
        self.assertContains(response, "−3")
        self.assertNotContains(response, "Mayor")


class DiffTests(SnapshotViewTestCase):
    def test_it_shows_what_changed(self):
        self.login(self.member_a)
        response = self.client.get(self.diff_url(a=self.first.public_id, b=self.second.public_id))
        self.assertContains(response, "Power of City Council: 6 → 8")
        self.assertContains(response, "Stance of Chamber of Commerce: −3 → −1")
        self.assertContains(response, "Actor “Mayor” added")

    def test_the_order_of_a_and_b_does_not_matter(self):
        self.login(self.member_a)
        response = self.client.get(self.diff_url(a=self.second.public_id, b=self.first.public_id))
        self.assertContains(response, "Power of City Council: 6 → 8")

    def test_two_kinds_cannot_be_compared(self):
        theory = factories.theory(self.team_a)
        other = snapshots.take_snapshots(None, [self.team_a], label="Theory", by=self.facilitator,
                                         kinds=["theory_of_change"])[0]  # fmt: skip
        self.assertEqual(other.team_id, theory.team_id)
        self.login(self.member_a)
        response = self.client.get(self.diff_url(a=self.first.public_id, b=other.public_id))
        self.assertContains(response, "Choose two snapshots of the same artifact", status_code=400)
        self.assertContains(response, "To snapshot", status_code=400)

    def test_a_snapshot_of_another_team_is_refused_by_field(self):
        self.login(self.facilitator)
        response = self.client.get(self.diff_url(a=self.first.public_id, b=self.theirs.public_id))
        self.assertContains(response, "This team has no snapshot with that id.", status_code=400)

    def test_a_missing_id_names_the_field(self):
        self.login(self.member_a)
        response = self.client.get(self.diff_url(a=self.first.public_id))
        self.assertContains(response, "To snapshot: This field is required.", status_code=400)


class TakeTests(SnapshotViewTestCase):
    def test_a_member_snapshots_their_team(self):
        self.login(self.member_a)
        url = reverse("planning:snapshot-take-team", args=[self.team_a.public_id])
        response = self.client.post(url, {"label": "Mid-session"})
        self.assertRedirects(response, reverse("planning:snapshots", args=[self.team_a.public_id]))
        taken = Snapshot.objects.get(team=self.team_a, label="Mid-session")
        self.assertEqual(taken.version, 2)

    def test_a_read_only_member_gets_403(self):
        reader = team_factories.add_user(self.team_a, self.viewer, can_edit=False).user
        self.login(reader)
        url = reverse("planning:snapshot-take-team", args=[self.team_a.public_id])
        self.assertEqual(self.client.post(url, {"label": "x"}).status_code, 403)
        self.assertFalse(Snapshot.objects.filter(label="x").exists())

    def test_the_facilitator_snapshots_every_team_of_the_cohort(self):
        self.login(self.facilitator)
        url = reverse("planning:snapshot-take", args=[self.cohort.public_id])
        response = self.client.post(url, {"session": str(self.session.public_id), "label": ""})
        self.assertRedirects(response, reverse("planning:cohort-evolution", args=[self.cohort.public_id]))
        taken = Snapshot.objects.filter(session=self.session).exclude(pk=self.first.pk)
        self.assertEqual(
            sorted(taken.values_list("team__name", "kind")),
            [("Team A", "power_map"), ("Team B", "theory_of_change")],
        )
        self.assertEqual(set(taken.values_list("label", flat=True)), {"Session 2: Power mapping"})

    def test_a_member_may_not_snapshot_the_cohort(self):
        self.login(self.member_a)
        url = reverse("planning:snapshot-take", args=[self.cohort.public_id])
        self.assertEqual(self.client.post(url, {"label": "x"}).status_code, 403)
        self.login(self.evaluator)
        self.assertEqual(self.client.post(url, {"label": "x"}).status_code, 403)
        self.assertFalse(Snapshot.objects.filter(label="x").exists())

    def test_an_unknown_session_is_a_field_error(self):
        self.login(self.facilitator)
        url = reverse("planning:snapshot-take", args=[self.cohort.public_id])
        count = Snapshot.objects.count()
        response = self.client.post(url, {"session": "1f0e0a5c-0000-4000-8000-000000000000", "label": "x"})
        self.assertContains(response, "Select a valid choice", status_code=400)
        self.assertEqual(Snapshot.objects.count(), count)


class EvolutionTests(SnapshotViewTestCase):
    def test_it_counts_snapshots_and_links_the_latest_change(self):
        self.login(self.facilitator)
        response = self.client.get(reverse("planning:cohort-evolution", args=[self.cohort.public_id]))
        self.assertContains(response, "2 snapshots")
        self.assertContains(response, f"?a={self.first.public_id}&amp;b={self.second.public_id}")
        self.assertContains(response, "Team B")
        self.assertContains(response, "Snapshot every team")

    def test_a_member_sees_only_their_own_team(self):
        self.login(self.member_b)
        response = self.client.get(reverse("planning:cohort-evolution", args=[self.cohort.public_id]))
        self.assertContains(response, "Team B")
        self.assertNotContains(response, "Team A")
        self.assertNotContains(response, "Snapshot every team")

    def test_it_needs_login(self):
        self.assertNeedsLogin(reverse("planning:cohort-evolution", args=[self.cohort.public_id]))


class DeleteTests(SnapshotViewTestCase):
    def test_only_administrators_delete(self):
        url = reverse("planning:snapshot-delete", args=[self.first.public_id])
        self.login(self.facilitator)
        self.assertEqual(self.client.post(url).status_code, 403)
        self.login(self.administrator)
        self.assertContains(self.client.get(url), "Delete the snapshot")
        response = self.client.post(url)
        self.assertRedirects(response, reverse("planning:snapshots", args=[self.team_a.public_id]))
        self.assertFalse(Snapshot.objects.filter(pk=self.first.pk).exists())
        self.assertTrue(AuditEvent.objects.filter(action="delete", content_type__model="snapshot").exists())
