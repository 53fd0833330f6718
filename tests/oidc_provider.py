"""A real OpenID Connect provider for the sign-in tests: oidc-provider-mock (authlib, signed RS256
ID tokens, discovery, JWKS, userinfo, PKCE, refresh tokens) served by werkzeug on 127.0.0.1, in this process."""

import os
import threading
from datetime import timedelta
from urllib.parse import quote, urlsplit

import oidc_provider_mock
import pytest
import requests
import werkzeug.serving


class Provider:
    """The provider as a test drives it: who its users are, and the person's click on its sign-in form."""

    def __init__(self, url: str):
        self.url = url

    def user_set(self, sub: str, **claims) -> None:
        response = requests.put(f"{self.url}/users/{quote(sub)}", json=claims, timeout=5)
        assert response.status_code == 204

    def user_disable(self, sub: str) -> None:
        """What a provider does for a disabled or deleted account: its tokens stop working."""
        response = requests.post(f"{self.url}/users/{quote(sub)}/revoke-tokens", timeout=5)
        assert response.status_code == 204

    def sign_in(self, authorize_url: str, sub: str) -> str:
        """The person signs in at the provider: returns where it sends the browser back (path and query)."""
        assert authorize_url.startswith(self.url), authorize_url
        response = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=5)
        assert response.status_code == 302, response.text[:500]
        back = urlsplit(response.headers["Location"])
        return f"{back.path}?{back.query}"


@pytest.fixture(scope="session")
def oidc_provider():
    os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")  # plain http, on 127.0.0.1 only
    app = oidc_provider_mock.app(access_token_max_age=timedelta(days=30))
    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    yield Provider(f"http://127.0.0.1:{server.server_port}")
    server.shutdown()
    thread.join(2)
