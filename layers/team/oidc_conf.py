"""The LemonLDAP::NG configuration (`lmConf-1.json`, its File backend) for briefmap's own
OIDC provider: a portal on loopback whose users come from an SQLite database, issuing signed
ID tokens with a `roles` claim to one relying party. Keys are LemonLDAP::NG's own names (see
`Lemonldap::NG::Common::Conf::DefaultValues`); anything not set keeps Debian's default.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import urlsplit

ROLE_SEPARATOR = ";"
RELYING_PARTY = "briefmap"  # the relying party's key inside LemonLDAP::NG's configuration
SCOPES = "openid profile email roles"  # what briefmap asks for (`roles` is our own scope)


def portal_conf(
    *,
    folder: Path,
    portal_url: str,
    client_id: str,
    client_secret: str,
    redirect_uris: list[str],
    private_key: str,
    public_key: str,
) -> dict:
    """The whole configuration: storage in `folder`, users, the OIDC issuer and the client."""
    domain = urlsplit(portal_url).hostname or ""
    conf = {
        "cfgNum": 1,
        "cfgAuthor": "briefmap",
        "cfgVersion": "2.16.1",
        "cfgDate": str(int(time.time())),  # the portal refuses a configuration without it
        "portal": portal_url,
        "domain": domain,  # required; the portal's host (an IP address here)
        "cookieName": "briefmap_llng",
        "securedCookie": 0,
        "httpOnly": 1,
        "timeout": 8 * 3600,
        "whatToTrace": "uid",
        "notification": 0,
        "loginHistoryEnabled": 0,
        "portalDisplayAppslist": 0,
        "portalDisplayChangePassword": 0,
        "portalDisplayLoginHistory": 0,
        "portalDisplayRegister": 0,
        "portalDisplayResetPassword": 0,
        "portalCheckLogins": 0,
        "multiValuesSeparator": ROLE_SEPARATOR,
        "applicationList": {},
        "locationRules": {},
        "exportedHeaders": {},
        "macros": {},
        "groups": {},
        **_storage(folder),
        **_users(folder),
        **_issuer(portal_url, private_key, public_key),
    }
    conf.update(_relying_party(client_id, client_secret, redirect_uris))
    return conf


def streamlit_auth(
    *, discovery_url: str, client_id: str, client_secret: str, redirect_uri: str, cookie_secret: str
) -> dict:
    """The `[auth]` section of Streamlit's secrets.toml that makes `st.login()` sign in at this
    provider: `redirect_uri` ends in /oauth2callback on the app's own address."""
    return {
        "redirect_uri": redirect_uri,
        "cookie_secret": cookie_secret,
        "client_id": client_id,
        "client_secret": client_secret,
        "server_metadata_url": discovery_url,
        "client_kwargs": {"scope": SCOPES},
    }


def secrets_toml(auth: dict) -> str:
    """`{"auth": ...}` written as TOML (strings as JSON strings, which TOML's basic strings
    accept; one level of inline table)."""

    def value(item: object) -> str:
        if isinstance(item, dict):
            return "{ " + ", ".join(f"{k} = {value(v)}" for k, v in item.items()) + " }"
        return json.dumps(str(item), ensure_ascii=False)

    return "[auth]\n" + "".join(f"{key} = {value(item)}\n" for key, item in auth.items())


def _storage(folder: Path) -> dict:
    def files(name: str) -> dict:
        return {
            "Directory": str(folder / name),
            "LockDirectory": str(folder / name / "lock"),
            "generateModule": "Lemonldap::NG::Common::Apache::Session::Generate::SHA256",
        }

    return {
        "globalStorage": "Apache::Session::File",
        "globalStorageOptions": files("sessions"),
        "persistentStorage": "Apache::Session::File",
        "persistentStorageOptions": files("psessions"),
        "localSessionStorage": "Cache::FileCache",
        "localSessionStorageOptions": {
            "cache_root": str(folder / "cache"),
            "cache_depth": 3,
            "default_expires_in": 600,
            "directory_umask": 0o077,  # a number: Perl reads "077" as decimal 77
            "namespace": "briefmap-llng-sessions",
        },
    }


def _users(folder: Path) -> dict:
    """The DBI backend over the SQLite file the provider writes (one table `users`)."""
    return {
        "authentication": "DBI",
        "userDB": "Same",
        "passwordDB": "Null",
        "registerDB": "Null",
        "dbiAuthChain": f"dbi:SQLite:dbname={folder / 'users.sqlite'}",
        "dbiAuthUser": "",
        "dbiAuthPassword": "",
        "dbiAuthTable": "users",
        "dbiUserTable": "users",
        "dbiAuthLoginCol": "uid",
        "dbiAuthPasswordCol": "password",
        "dbiAuthPasswordHash": "",
        "dbiExportedVars": {"uid": "uid", "cn": "cn", "mail": "mail", "roles": "roles"},
        "exportedVars": {},
    }


def _issuer(portal_url: str, private_key: str, public_key: str) -> dict:
    return {
        "issuerDBOpenIDConnectActivation": 1,
        "oidcServiceMetaDataIssuer": portal_url.rstrip("/"),
        "oidcServicePrivateKeySig": private_key,
        "oidcServicePublicKeySig": public_key,
        "oidcServiceKeyIdSig": "briefmap-1",
        "oidcServiceAllowAuthorizationCodeFlow": 1,
        "oidcServiceAllowImplicitFlow": 0,
        "oidcServiceAllowHybridFlow": 0,
        "oidcServiceIgnoreScopeForClaims": 0,
    }


def _relying_party(client_id: str, client_secret: str, redirect_uris: list[str]) -> dict:
    rp = RELYING_PARTY
    return {
        "oidcRPMetaDataOptions": {
            rp: {
                "oidcRPMetaDataOptionsDisplayName": "briefmap",
                "oidcRPMetaDataOptionsClientID": client_id,
                "oidcRPMetaDataOptionsClientSecret": client_secret,
                "oidcRPMetaDataOptionsPublic": 0,
                "oidcRPMetaDataOptionsRedirectUris": " ".join(redirect_uris),
                # st.logout sends its redirect URI as post_logout_redirect_uri
                "oidcRPMetaDataOptionsPostLogoutRedirectUris": " ".join(
                    [*redirect_uris, *(uri.removesuffix("oauth2callback") for uri in redirect_uris)]
                ),
                "oidcRPMetaDataOptionsIDTokenSignAlg": "RS256",
                "oidcRPMetaDataOptionsIDTokenForceClaims": 1,  # st.user reads the ID token
                "oidcRPMetaDataOptionsBypassConsent": 1,
                "oidcRPMetaDataOptionsRequirePKCE": 0,
                "oidcRPMetaDataOptionsUserIDAttr": "uid",
                "oidcRPMetaDataOptionsLogoutBypassConfirm": 1,
            }
        },
        "oidcRPMetaDataExportedVars": {
            rp: {
                "name": "cn",
                "email": "mail",
                "preferred_username": "uid",
                "roles": "roles;string;always",
            }
        },
        "oidcRPMetaDataOptionsExtraClaims": {rp: {"roles": "roles"}},
        "oidcRPMetaDataMacros": {},
        "oidcRPMetaDataScopeRules": {},
    }


def portal_ini(*, conf_dir: Path, templates: Path) -> str:
    """The portal's own lemonldap-ng.ini (read through LLNG_DEFAULTCONFFILE): logs to stderr,
    configuration from the File backend in `conf_dir`."""
    return _INI.format(conf=conf_dir, templates=templates)


def portal_psgi(*, htdocs: Path, closed_routes: tuple[str, ...]) -> str:
    """The PSGI file plackup runs: Debian's portal, its static files, closed REST routes."""
    return _PSGI.format(htdocs=htdocs, closed="|".join(closed_routes))


_INI = """\
; Written by briefmap (layers/team/oidc.py) for a portal of its own: nothing in /etc.
[all]
logLevel = notice
logger = Lemonldap::NG::Common::Logger::Std
userLogger = Lemonldap::NG::Common::Logger::Std
checkTime = 600

[configuration]
type = File
dirName = {conf}

[portal]
staticPrefix = /static
templateDir = {templates}
languages = en, ar
"""

_PSGI = """\
# Written by briefmap (layers/team/oidc.py): Debian's portal, with the static files and the
# closed routes of Debian's own nginx site for it (/etc/lemonldap-ng/portal-nginx.conf).
use strict;
use Plack::Builder;
use Lemonldap::NG::Portal::Main;

my $portal = Lemonldap::NG::Portal::Main->run( {{}} );
builder {{
    # paths only: query strings carry codes and ID tokens (id_token_hint)
    enable 'AccessLog', format => '%h %t "%m %U %H" %>s %b';
    enable 'Static', path => qr{{^/static/}}, root => '{htdocs}';
    enable 'Static', path => qr{{^/javascript/}}, root => '/usr/share';
    enable sub {{
        my $app = shift;
        sub {{
            my $env = shift;
            return [ 403, [ 'Content-Type' => 'text/plain' ], ['closed'] ]
              if $env->{{PATH_INFO}} =~ m{{^/(?:{closed})(?:/|$)}};
            return $app->($env);
        }};
    }};
    $portal;
}};
"""
