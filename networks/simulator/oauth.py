"""OAuth consent pages and token endpoints: X (OAuth 2.0 + PKCE S256) and Facebook Login.

The pages are plain HTML forms (no JavaScript, no external assets) listing the simulated accounts
one can "log in as"; submitting redirects to the client's ``redirect_uri`` like the real dialogs.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from html import escape
from urllib.parse import urlencode

from networks.simulator.server import Reply, Request, Router, json_error
from networks.simulator.world import FACEBOOK_USERS, PERSONAS, PERSONAS_BY_X, facebook_user, persona_by_key

X_ACCESS_SECONDS = 7200
FB_SHORT_SECONDS = 2 * 3600
FB_LONG_SECONDS = 5183944
X_INVALID_TOKEN = {"error": "invalid_request", "error_description": "Value passed for the token was invalid."}

PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1c1c1c}}
fieldset{{border:1px solid #ccc;border-radius:8px;padding:1rem}}label{{display:block;padding:.5rem 0}}
button{{font-size:1rem;padding:.6rem 1.2rem;margin:1rem .5rem 0 0}}.note{{color:#555;font-size:.9rem}}</style>
</head><body>
<h1>{title}</h1>
<p class="note">Simulateur Over-Graph — aucune donnée réelle. / Over-Graph simulator — no real data.</p>
<p>{intro}</p>
<form method="post" action="{action}">
{hidden}
<fieldset><legend>{legend}</legend>
{choices}
</fieldset>
<button type="submit" name="decision" value="allow">{allow}</button>
<button type="submit" name="decision" value="deny">{deny}</button>
</form></body></html>"""


def _hidden(values: dict[str, str]) -> str:
    return "\n".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in values.items())


def _redirect(target: str, params: dict[str, str]) -> Reply:
    separator = "&" if "?" in target else "?"
    return Reply(302, "", {"Location": f"{target}{separator}{urlencode(params)}"}, "text/html; charset=utf-8")


def _bad_request(message: str) -> Reply:
    return Reply(400, f"<!doctype html><title>Error</title><p>{escape(message)}</p>", {}, "text/html; charset=utf-8")


# --- X -----------------------------------------------------------------------------------------


def x_authorize_page(request: Request) -> Reply:
    query = request.query
    required = ("response_type", "client_id", "redirect_uri", "state", "code_challenge")
    missing = [name for name in required if not query.get(name)]
    if missing or query.get("code_challenge_method", "plain") != "S256":
        return _bad_request("Missing or invalid parameters: " + ", ".join(missing or ["code_challenge_method"]))
    choices = "\n".join(
        f'<label><input type="radio" name="account" value="{p.key}"{" checked" if i == 0 else ""}> '
        f"{escape(p.name)} (@{escape(p.x_username or '')})</label>"
        for i, p in enumerate(PERSONAS_BY_X.values())
    )
    keep = {k: query.get(k, "") for k in (*required, "code_challenge_method", "scope")}
    html = PAGE.format(
        title="Autoriser l'accès à votre compte X / Authorize access to your X account",
        intro=f"L'application <strong>{escape(query['client_id'])}</strong> demande : / The app asks for: "
        f"<code>{escape(query.get('scope', ''))}</code>",
        action=escape(request.raw_path.split("?")[0]),
        hidden=_hidden(keep),
        legend="Se connecter en tant que / Log in as",
        choices=choices,
        allow="Autoriser l'application / Authorize app",
        deny="Annuler / Cancel",
    )
    return Reply(200, html, {}, "text/html; charset=utf-8")


def x_authorize_submit(request: Request) -> Reply:
    form = request.form
    if form.get("decision") != "allow":
        return _redirect(form["redirect_uri"], {"error": "access_denied", "state": form.get("state", "")})
    persona = persona_by_key(form.get("account", ""))
    if persona is None or not persona.x_user_id:
        return _bad_request("Unknown account")
    code = request.sim.vault.mint_code(
        "xcode",
        {
            "p": persona.key,
            "c": form["code_challenge"],
            "r": form["redirect_uri"],
            "i": form["client_id"],
            "s": form.get("scope", ""),
            "t": int(request.now.timestamp()),
        },
    )
    return _redirect(form["redirect_uri"], {"state": form.get("state", ""), "code": code})


def _basic_client_id(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("basic "):
        return None
    try:
        return base64.b64decode(header[6:]).decode().split(":", 1)[0]
    except (ValueError, UnicodeDecodeError):
        return None


def _x_tokens(request: Request, persona_key: str, scope: str) -> Reply:
    vault, now = request.sim.vault, int(request.now.timestamp())
    body = {
        "token_type": "bearer",
        "expires_in": X_ACCESS_SECONDS,
        "access_token": vault.mint("xat", persona_key, now + X_ACCESS_SECONDS),
        "scope": scope,
    }
    if "offline.access" in scope.split():
        body["refresh_token"] = vault.mint("xrt", f"{persona_key}~{scope.encode().hex()}")
    return Reply(200, body)


def x_token(request: Request) -> Reply:
    form, vault = request.form, request.sim.vault
    client_id = _basic_client_id(request) or form.get("client_id")
    if not client_id:
        raise json_error(
            401, {"error": "unauthorized_client", "error_description": "Missing valid authorization header"}
        )
    grant = form.get("grant_type")
    if grant == "authorization_code":
        payload = vault.read_code(form.get("code", ""), "xcode")
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
        if (
            payload is None
            or payload["r"] != form.get("redirect_uri")
            or payload["i"] != client_id
            or not hmac.compare_digest(challenge, payload["c"])
            or request.now.timestamp() - payload["t"] > 30
            or not vault.use_once(form["code"])
        ):
            raise json_error(
                400,
                {
                    "error": "invalid_request",
                    "error_description": "Value passed for the authorization code was invalid.",
                },
            )
        return _x_tokens(request, payload["p"], payload["s"])
    if grant == "refresh_token":
        raw = form.get("refresh_token", "")
        token = vault.read(raw, "xrt")
        if token is None or request.sim.faults.is_revoked(raw, token.subject.split("~")[0]) or not vault.use_once(raw):
            raise json_error(400, X_INVALID_TOKEN)
        persona_key, _, encoded_scope = token.subject.partition("~")
        scope = bytes.fromhex(encoded_scope).decode()
        return _x_tokens(request, persona_key, scope)
    raise json_error(400, {"error": "invalid_request", "error_description": "Missing required parameter [grant_type]."})


# --- Facebook Login ------------------------------------------------------------------------------


def fb_dialog_page(request: Request) -> Reply:
    query = request.query
    if not query.get("client_id") or not query.get("redirect_uri"):
        return _bad_request("Missing client_id or redirect_uri")
    choices = []
    for index, user in enumerate(FACEBOOK_USERS.values()):
        pages = ", ".join(
            PERSONAS[key].name + (f" + Instagram @{PERSONAS[key].ig_username}" if PERSONAS[key].ig_user_id else "")
            for key in user.page_keys
        )
        checked = " checked" if index == 0 else ""
        choices.append(
            f'<label><input type="radio" name="user" value="{user.id}"{checked}> '
            f"<strong>{escape(user.name)}</strong><br><small>{escape(pages)}</small></label>"
        )
    keep = {k: query.get(k, "") for k in ("client_id", "redirect_uri", "state", "scope", "response_type")}
    html = PAGE.format(
        title="Se connecter avec Facebook / Log in with Facebook",
        intro=f"<strong>{escape(query['client_id'])}</strong> demande l'accès à vos Pages et comptes Instagram. / "
        "wants to access your Pages and Instagram accounts.",
        action=escape(request.raw_path.split("?")[0]),
        hidden=_hidden(keep),
        legend="Continuer en tant que / Continue as",
        choices="\n".join(choices),
        allow="Continuer / Continue",
        deny="Annuler / Cancel",
    )
    return Reply(200, html, {}, "text/html; charset=utf-8")


def fb_dialog_submit(request: Request) -> Reply:
    form = request.form
    if form.get("decision") != "allow":
        return _redirect(
            form["redirect_uri"],
            {
                "error": "access_denied",
                "error_code": "200",
                "error_description": "Permissions error",
                "error_reason": "user_denied",
                "state": form.get("state", ""),
            },
        )
    user = facebook_user(form.get("user", ""))
    if user is None:
        return _bad_request("Unknown user")
    code = request.sim.vault.mint_code(
        "fbcode", {"u": user.id, "r": form["redirect_uri"], "i": form["client_id"], "t": int(request.now.timestamp())}
    )
    return _redirect(form["redirect_uri"], {"code": code, "state": form.get("state", "")})


def _fb_error(message: str, code: int = 100, subcode: int | None = None) -> Exception:
    error = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "SimTraceOAuth"}
    if subcode:
        error["error_subcode"] = subcode
    return json_error(400, {"error": error})


def fb_access_token(request: Request) -> Reply:
    vault, now = request.sim.vault, int(request.now.timestamp())
    if not request.arg("client_id") or not request.arg("client_secret"):
        raise _fb_error("Missing client_id or client_secret parameter.", 101)
    if request.arg("grant_type") == "fb_exchange_token":
        token = vault.read(request.arg("fb_exchange_token") or "", "fbu")
        if token is None or (token.expiry and token.expiry < now):
            raise _fb_error("Error validating access token: Session has expired.", 190, 463)
        return Reply(
            200,
            {
                "access_token": vault.mint("fbu", token.subject, now + FB_LONG_SECONDS),
                "token_type": "bearer",
                "expires_in": FB_LONG_SECONDS,
            },
        )
    payload = vault.read_code(request.arg("code") or "", "fbcode")
    if (
        payload is None
        or payload["r"] != request.arg("redirect_uri")
        or payload["i"] != request.arg("client_id")
        or now - payload["t"] > 600
        or not vault.use_once(request.arg("code") or "")
    ):
        raise _fb_error("This authorization code has expired or has been used.", 100, 36007)
    return Reply(
        200,
        {
            "access_token": vault.mint("fbu", payload["u"], now + FB_SHORT_SECONDS),
            "token_type": "bearer",
            "expires_in": FB_SHORT_SECONDS,
        },
    )


def register(router: Router) -> None:
    router.add("GET", r"^/i/oauth2/authorize$", x_authorize_page)
    router.add("POST", r"^/i/oauth2/authorize$", x_authorize_submit)
    router.add("POST", r"^/2/oauth2/token$", x_token)
    router.add("GET", r"^/dialog/oauth$", fb_dialog_page)
    router.add("POST", r"^/dialog/oauth$", fb_dialog_submit)
    router.add("GET", r"^/oauth/access_token$", fb_access_token)
    router.add("POST", r"^/oauth/access_token$", fb_access_token)
