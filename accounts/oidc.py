"""Reading what an organisation's OpenID Connect provider says: whether the sign-in used two factors
(`amr`, RFC 8176, or an agreed `acr`), and whether it still vouches for an account (a refresh token
it no longer accepts, as Entra ID and others do for disabled or deleted users)."""

import logging
from dataclasses import dataclass

import requests
from django.conf import settings

logger = logging.getLogger(__name__)

# RFC 8176: "mfa" says so outright; two or more different methods are two factors by definition.
MFA_AMR = "mfa"


def claims_say_two_factor(*, claims: dict, acr_values: set[str]) -> bool:
    """True when the ID token (or userinfo) says the person used two factors at their provider."""
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = amr.split()
    methods = {str(method).lower() for method in amr}
    if MFA_AMR in methods or len(methods) >= 2:
        return True
    acr = str(claims.get("acr") or "")
    return bool(acr) and acr in acr_values


@dataclass(frozen=True)
class RefreshResult:
    accepted: bool
    refused: bool  # the provider said no (invalid_grant): the account is disabled or gone there
    detail: str = ""


def refresh_token_check(*, token_endpoint: str, client_id: str, client_secret: str, refresh_token: str):
    """Ask the provider for new tokens with the stored refresh token. A refusal (`invalid_grant`) is the
    provider saying it no longer vouches for the person; a network or server error says nothing."""
    try:
        response = requests.post(
            token_endpoint,
            data={"grant_type": "refresh_token", "refresh_token": refresh_token},
            auth=(client_id, client_secret),
            timeout=settings.ACCOUNTS_PROVIDER_TIMEOUT_SECONDS,
        )
    except requests.RequestException as exc:
        logger.warning("provider check failed at %s: %s", token_endpoint, exc)
        return RefreshResult(accepted=False, refused=False, detail=str(exc)[:200]), None
    if response.status_code == 200:
        return RefreshResult(accepted=True, refused=False), response.json()
    try:
        error = response.json().get("error", "")
    except ValueError:
        error = ""
    if response.status_code in (400, 401) and error in ("invalid_grant", "unauthorized_client"):
        return RefreshResult(accepted=False, refused=True, detail=error), None
    return RefreshResult(accepted=False, refused=False, detail=f"{response.status_code} {error}".strip()), None


def discovery(*, issuer_url: str) -> dict:
    """The provider's published configuration (endpoints), from its well-known address."""
    url = issuer_url.rstrip("/")
    if "/.well-known/" not in url:
        url += "/.well-known/openid-configuration"
    response = requests.get(url, timeout=settings.ACCOUNTS_PROVIDER_TIMEOUT_SECONDS)
    response.raise_for_status()
    return response.json()
