"""Admin login throttling (issue 16, item 8): django-axes locks a username out from an address
after AXES_FAILURE_LIMIT wrong passwords, even for the right one, until the cool-off."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.admin_support import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def attempt(client: Client, password: str, username: str = "editor", **extra):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        **extra,
    )


def test_the_right_password_is_refused_after_repeated_wrong_ones(settings):
    make_user("editor")
    client = Client()
    statuses = [attempt(client, "wrong").status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    # The form again with its error, until the attempt that reaches the limit locks the pair.
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    locked = attempt(client, PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # More wrong passwords change nothing: still locked, and no password is checked.
    assert attempt(client, "wrong again").status_code == 429


def test_a_few_mistakes_then_the_right_password_logs_in(settings):
    make_user("editor")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "wrong")
    response = attempt(client, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_the_lockout_is_per_username_and_address(settings):
    """A stranger guessing from elsewhere does not lock the editor out."""
    make_user("editor")
    stranger = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        attempt(stranger, "guess", REMOTE_ADDR="203.0.113.9")
    assert attempt(stranger, PASSWORD, REMOTE_ADDR="203.0.113.9").status_code == 429
    editor = Client()
    assert attempt(editor, PASSWORD, REMOTE_ADDR="198.51.100.4").status_code == 302


def test_the_limit_is_small():
    from django.conf import settings

    assert 3 <= settings.AXES_FAILURE_LIMIT <= 10
    assert "axes.backends.AxesStandaloneBackend" in settings.AUTHENTICATION_BACKENDS
