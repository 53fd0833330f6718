import pytest
from django.contrib.auth.models import Group
from django.test import Client

from partnerships.models import Role
from tests.partnerships.factories import OrganisationFactory, StaffUserFactory
from tests.sign_in import SecondFactorClient

# A real OpenID Connect provider on 127.0.0.1 (the `oidc_provider` fixture) for the sign-in tests.
pytest_plugins = ["tests.oidc_provider"]


@pytest.fixture(autouse=True)
def _plain_http_and_simple_static(settings):
    """Tests use the test client over plain http and unhashed static files (no collectstatic)."""
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _celery_eager():
    """Tasks run in-process in tests (the worker tests start a real worker and switch this off)."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def client():
    """The test client; `force_login` counts as a full sign-in, second factor included (tests/sign_in.py)."""
    return SecondFactorClient()


@pytest.fixture
def plain_client():
    """Django's own test client, for the tests of the sign-in rules themselves."""
    return Client()


@pytest.fixture
def council(db):
    return OrganisationFactory(name="Northshire County Council", kind="council")


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(name="Southshire County Council", kind="council")


def _user_with(organisation, *roles):
    user = StaffUserFactory(membership__organisation=organisation)
    # get_or_create: a transactional test flushes the tables, taking the migration's role groups with it.
    user.groups.set([Group.objects.get_or_create(name=role)[0] for role in roles])
    return user


@pytest.fixture
def officer(council):
    return _user_with(council, Role.VISITING_OFFICER)


@pytest.fixture
def manager(council):
    return _user_with(council, Role.TEAM_MANAGER)


@pytest.fixture
def finance_user(council):
    return _user_with(council, Role.FINANCE_OFFICER)


@pytest.fixture
def outsider(other_organisation):
    """A visiting officer of another organisation: sees none of the council's clients."""
    return _user_with(other_organisation, Role.VISITING_OFFICER, Role.TEAM_MANAGER)


@pytest.fixture
def user_with_roles():
    return _user_with


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Letters and notices write PDFs under MEDIA_ROOT: keep them in the test's own folder."""
    settings.MEDIA_ROOT = tmp_path
