"""`briefmap team up|down|status|nginx-config`: briefmap for a team on this machine
(`layers.team.stack`), and the nginx configuration for a real host."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from layers.team.stack import DEFAULT_FOLDER, DEFAULT_PORT, Stack, down, static_files, status
from layers.team.stackstate import read_state


def add_team_command(sub) -> None:
    team = sub.add_parser(
        "team",
        help="start, stop or show briefmap for a team (PostgreSQL, sign-in, N servers, nginx)",
        description="`up` starts PostgreSQL, the OIDC provider with its test users, N app "
        "servers and nginx in front, as the current user on loopback, from the shipped data; "
        "`status` asks each part; `down` stops them all; `nginx-config` prints the nginx "
        "configuration for a real host's app servers.",
    )
    team.add_argument("action", choices=("up", "down", "status", "nginx-config"))
    team.add_argument(
        "--folder",
        type=Path,
        default=DEFAULT_FOLDER,
        help=f"the stack's folder: database, logs, state (default ./{DEFAULT_FOLDER})",
    )
    team.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"nginx's port (default {DEFAULT_PORT})"
    )
    team.add_argument("--servers", type=int, default=2, help="app servers (default 2)")
    team.add_argument(
        "--server-ports",
        metavar="P,P",
        help="the app servers' ports (nginx-config: default 8501, 8502, …; up: free ports)",
    )
    team.add_argument(
        "--listen",
        default="127.0.0.1",
        metavar="ADDRESS",
        help="nginx-config only: the address nginx listens on (default 127.0.0.1; `up` "
        "always serves on loopback)",
    )
    team.add_argument("--tls-cert", type=Path, help="certificate chain (PEM) for nginx's TLS")
    team.add_argument("--tls-key", type=Path, help="its private key (PEM)")
    team.add_argument("--geodata", type=Path, help="geodata folder (default: shipped)")
    team.add_argument("--basemap", type=Path, help="basemap archive (default: shipped)")
    team.set_defaults(run=run_team)


def run_team(args: argparse.Namespace) -> int:
    if args.servers < 1:
        print("briefmap team: --servers: at least 1", file=sys.stderr)
        return 2
    if (args.tls_cert is None) != (args.tls_key is None):
        print("briefmap team: give --tls-cert and --tls-key together", file=sys.stderr)
        return 2
    return {"up": _up, "down": _down, "status": _status, "nginx-config": _nginx_config}[
        args.action
    ](args)


def _ports(args: argparse.Namespace) -> list[int]:
    if not args.server_ports:
        return []
    try:
        return [int(p) for p in args.server_ports.split(",")]
    except ValueError:
        raise SystemExit(f"briefmap team: --server-ports {args.server_ports!r}: P,P,…") from None


def _tls(args: argparse.Namespace) -> tuple[Path, Path] | None:
    return (args.tls_cert.absolute(), args.tls_key.absolute()) if args.tls_cert else None


def _up(args: argparse.Namespace) -> int:
    stack = Stack(args.folder, args.port, args.servers, args.settings,
                  server_ports=_ports(args), tls=_tls(args))  # fmt: skip
    state = stack.up(say=lambda line: print(line, flush=True))
    for part in state.parts:
        print(f"  {part.name:<10} up  port {part.port:<5} pid {part.pid}  log {part.log}")
    print("test users (this run's passwords):")
    for user in state.users:
        print(f"  {user['login']:<11} {user['password']}  roles {','.join(user['roles'])}")
    print(f"open {state.url}  (stop: briefmap team down --folder {args.folder})")
    return 0


def _down(args: argparse.Namespace) -> int:
    stopped = down(args.folder)
    print(f"stopped: {', '.join(stopped)}" if stopped else "nothing was running")
    return 0


def _status(args: argparse.Namespace) -> int:
    found = status(args.folder)
    if not found:
        print(f"no team stack in {args.folder.absolute()}")
        return 3
    state = read_state(args.folder.absolute())
    print(f"address {state.url if state else '?'}")
    for part, up in found:
        print(f"  {part.name:<10} {'up' if up else 'down':<4} port {part.port:<5} pid {part.pid}")
    return 0 if all(up for _, up in found) else 3


def _nginx_config(args: argparse.Namespace) -> int:
    """nginx's configuration for app servers on this host's ports (a real host: the
    systemd units in deploy/systemd), its folder `--folder`."""
    from layers.team.front import Front, render

    ports = _ports(args) or [8501 + n for n in range(args.servers)]
    front = Front(args.folder.absolute(), args.port, ports, args.listen,
                  static=static_files(args.settings), tls=_tls(args))  # fmt: skip
    sys.stdout.write(render(front))
    return 0
