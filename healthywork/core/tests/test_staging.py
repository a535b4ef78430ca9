"""Staging an upload until its owner confirms the import preview."""

from django.test import TestCase

from healthywork.accounts.roles import Role
from healthywork.core.models import StagedUpload
from healthywork.core.staging import stage_upload
from healthywork.core.tests.base import make_user


class StageUploadTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.owner = make_user("olga", Role.ADMINISTRATOR)
        cls.other = make_user("otto", Role.ADMINISTRATOR)

    def test_it_keeps_one_upload_per_owner_and_kind(self):
        stage_upload(self.owner, "ties", "first.csv", b"a,b\n")
        stage_upload(self.owner, "codes", "codes.csv", b"code\n")
        stage_upload(self.other, "ties", "theirs.csv", b"x\n")
        staged = stage_upload(self.owner, "ties", "second.csv", b"c,d\n")
        mine = StagedUpload.objects.filter(owner=self.owner)
        self.assertEqual(sorted(mine.values_list("filename", flat=True)), ["codes.csv", "second.csv"])
        self.assertEqual(bytes(StagedUpload.objects.get(pk=staged.pk).data), b"c,d\n")
        self.assertTrue(StagedUpload.objects.filter(owner=self.other, kind="ties").exists())

    def test_it_cuts_a_long_file_name_to_the_column(self):
        staged = stage_upload(self.owner, "ties", "n" * 300 + ".csv", b"a\n")
        self.assertEqual(len(staged.filename), 255)
