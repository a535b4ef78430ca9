from io import StringIO
from unittest import mock

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from healthywork.accounts.models import User
from healthywork.accounts.roles import Role
from healthywork.partners.models import Organization, Person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "static"  # `serve` makes this folder
    return tmp_path


def run_demo(*args: str) -> str:
    output = StringIO()
    call_command("demo", "--no-serve", *args, stdout=output)
    return output.getvalue()


def test_it_prints_the_address_and_a_login_for_every_role(data_dir):
    output = run_demo("--port", "8123", "--host", "0.0.0.0")

    assert "http://0.0.0.0:8123/" in output
    assert "login" in output and "password" in output
    password = (data_dir / "demo-password").read_text().strip()
    for role in Role:
        user = User.objects.get(role=role, username__startswith="demo-")
        assert f"{role.label}: login {user.username}, password {password}" in output


def test_the_port_defaults_to_the_port_variable(monkeypatch):
    monkeypatch.setenv("PORT", "5055")
    assert "http://127.0.0.1:5055/" in run_demo()


def test_every_demo_user_signs_in_with_the_password_in_the_file(data_dir):
    run_demo()
    password = (data_dir / "demo-password").read_text().strip()

    for role in Role:
        user = User.objects.get(role=role, username__startswith="demo-")
        assert authenticate(username=user.username, password=password) == user
    administrator = User.objects.get(role=Role.ADMINISTRATOR, username__startswith="demo-")
    assert administrator.is_staff and administrator.is_superuser
    assert not User.objects.filter(is_superuser=True).exclude(pk=administrator.pk).exists()


def test_the_password_is_generated_kept_private_and_not_a_fixed_string(data_dir, settings, tmp_path_factory):
    run_demo()
    password_file = data_dir / "demo-password"
    password = password_file.read_text().strip()

    assert password_file.stat().st_mode & 0o777 == 0o600
    assert len(password) >= 12
    assert password.lower() not in {"password", "demo", "healthywork", "admin"}
    settings.DATA_DIR = tmp_path_factory.mktemp("other")
    run_demo()
    assert (settings.DATA_DIR / "demo-password").read_text().strip() != password


def test_running_twice_creates_nothing_new_and_keeps_the_password(data_dir):
    first = run_demo()
    counts = (User.objects.count(), Organization.objects.count(), Person.objects.count())
    password = (data_dir / "demo-password").read_text()

    second = run_demo()

    assert (User.objects.count(), Organization.objects.count(), Person.objects.count()) == counts
    assert (data_dir / "demo-password").read_text() == password
    assert first.splitlines()[-8:] == second.splitlines()[-8:]


def test_a_changed_password_is_set_back_to_the_one_in_the_file(data_dir):
    run_demo()
    user = User.objects.get(username__startswith="demo-", role=Role.VIEWER)
    user.set_password("something-else-entirely")
    user.save()

    run_demo()

    password = (data_dir / "demo-password").read_text().strip()
    assert authenticate(username=user.username, password=password) == user


def test_without_no_serve_it_hands_over_to_the_production_server():
    with mock.patch("healthywork.core.management.commands.serve.os.execvp") as execvp:
        call_command("demo", "--port", "8124", stdout=StringIO())

    executable, argv = execvp.call_args.args
    assert argv[0] == executable and executable.endswith("gunicorn")
    assert argv[1] == "healthywork.wsgi:application"
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:8124"
    assert argv[argv.index("--workers") + 1] == "2"
    assert argv[argv.index("--access-logfile") + 1] == "-"


def test_serve_brackets_an_ipv6_host():
    with mock.patch("healthywork.core.management.commands.serve.os.execvp") as execvp:
        call_command("serve", "--host", "::1", "--port", "8125", "--workers", "3", stdout=StringIO())

    argv = execvp.call_args.args[1]
    assert argv[argv.index("--bind") + 1] == "[::1]:8125"
    assert argv[argv.index("--workers") + 1] == "3"
