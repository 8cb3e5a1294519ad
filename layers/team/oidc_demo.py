"""Run briefmap's own OIDC provider until stopped, for demonstrations and `make team`:

    python -m layers.team.oidc_demo --app-url http://127.0.0.1:8501 \\
        --secrets .streamlit/secrets.toml

It prints the issuer and the test users with this run's passwords, writes the `[auth]`
section Streamlit's st.login needs (readable by its owner only), and stops the portal on
Ctrl-C or SIGTERM. Every run makes a new key, client secret and passwords.
"""

from __future__ import annotations

import argparse
import secrets
import shutil
import signal
import sys
import tempfile
import threading
from pathlib import Path

from layers.atomic import write_text_atomic
from layers.errors import BriefmapError
from layers.team.cluster import free_port
from layers.team.oidc import Provider


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m layers.team.oidc_demo")
    parser.add_argument(
        "--app-url",
        default="http://127.0.0.1:8501",
        help="where people open briefmap (its /oauth2callback is registered)",
    )
    parser.add_argument("--port", type=int, default=0, help="the portal's port (default: free)")
    parser.add_argument(
        "--folder",
        type=Path,
        help="the portal's folder, kept (default: a new one in /tmp, removed)",
    )
    parser.add_argument("--secrets", type=Path, help="write Streamlit's secrets.toml here")
    return parser.parse_args(argv)  # fmt: skip


def _write_private(path: Path, text: str) -> None:
    write_text_atomic(path, text, make_parents=True, mode=0o600)  # readable by its owner only


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    folder = args.folder or Path(tempfile.mkdtemp(dir="/tmp", prefix="briefmap-oidc-"))
    redirect_uri = f"{args.app_url.rstrip('/')}/oauth2callback"
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    try:
        provider = Provider(folder, args.port or free_port(), [redirect_uri]).start()
    except BriefmapError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    try:
        print(f"issuer: {provider.issuer}")
        print(f"client: {provider.client_id} (redirect {redirect_uri})")
        for user in provider.users.values():
            print(f"user: {user.login} {user.password} roles={','.join(user.roles)}")
        print(f"log: {provider.log}", flush=True)
        if args.secrets:
            toml = provider.streamlit_secrets(redirect_uri, secrets.token_urlsafe(32))
            _write_private(args.secrets, toml)
            print(f"secrets: {args.secrets}", flush=True)
        while not stop.wait(1.0):
            if not provider.running():
                print(f"error: the portal stopped; see {provider.log}", file=sys.stderr)
                return 1
        return 0
    finally:
        provider.stop()
        if args.folder is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
