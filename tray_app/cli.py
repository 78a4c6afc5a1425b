"""The `presence-tray` command: the tray with no subcommand, one-shot commands otherwise.

Exit codes: 0 ok, 2 usage, 3 not signed in or token rejected, 4 server
unreachable, 5 the server refused (its errcode and error are printed).
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import sys
from collections.abc import Awaitable, Callable
from typing import TypeVar

from tray_app import __version__
from tray_app.errors import PresenceTrayError, ServerRefused, UsageError
from tray_app.session_state import ApiMode, SessionState
from tray_app.states import parse_state_name

T = TypeVar("T")

STATE_CHOICES = "online, unavailable (or away), offline, disabled, busy (where the server has it)"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="presence-tray",
        description="Set one authoritative Matrix presence override (MSC4043) from the desktop. "
        "With no command, starts the tray applet.",
    )
    p.add_argument("--version", action="version", version=f"presence-tray {__version__}")
    p.add_argument("--account", metavar="USER_ID", help="which signed-in account (when there are several)")
    p.add_argument("-v", "--verbose", action="store_true", help="log what happens to stderr")
    p.add_argument("--autostarted", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--selftest", action="store_true", help="check Qt, icons and the keyring backend, then exit")
    p.add_argument("--window", action="store_true", help="show a small window instead of a tray icon")
    # --account is accepted after the subcommand too (`status --account X`).
    account = argparse.ArgumentParser(add_help=False)
    account.add_argument("--account", metavar="USER_ID", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    login = sub.add_parser("login", help="sign in and store the login in the system keyring")
    login.add_argument("user_id", metavar="USER_ID", help="e.g. @alice:example.org")
    login.add_argument("--homeserver", metavar="URL", help="skip .well-known discovery and use this URL")
    login.add_argument("--password-stdin", action="store_true", help="read the password from standard input")

    status = sub.add_parser("status", parents=[account], help="show the override and presence")
    status.add_argument("--json", action="store_true", help="machine-readable output")

    set_ = sub.add_parser("set", parents=[account], help=f"set the override: {STATE_CHOICES}")
    set_.add_argument("state", metavar="STATE", help=STATE_CHOICES)
    set_.add_argument("--message", metavar="TEXT", help="status message to go with it")

    sub.add_parser("clear", parents=[account], help="remove the override (back to automatic presence)")
    logout = sub.add_parser("logout", parents=[account], help="sign out on the server and remove the stored login")
    logout.add_argument(
        "--local", action="store_true", help="only remove the login from this computer (server gone for good)"
    )

    auto = sub.add_parser("autostart", help="start the tray when you log in")
    auto.add_argument("action", choices=["on", "off", "status"])
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if args.selftest:
        from tray_app.ui.selftest import run_selftest

        return run_selftest()
    if args.command is None:
        from tray_app.ui.app import run

        return run(args)
    if args.command == "autostart":
        from tray_app import autostart

        return autostart.run_cli(args.action)
    handler = _COMMANDS[args.command]
    import asyncio  # noqa: PLC0415 (the applet's start reads the keyring before this import)

    try:
        return asyncio.run(handler(args))
    except PresenceTrayError as e:
        _print_error(e)
        return e.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # a bug of ours: say so briefly; the traceback only with -v
        logging.getLogger(__name__).debug("unexpected error", exc_info=True)
        print(f"presence-tray: unexpected error: {type(e).__name__}: {e} (run with -v for details)", file=sys.stderr)
        return 1


def _print_error(e: PresenceTrayError) -> None:
    text = e.message
    if isinstance(e, ServerRefused) and e.errcode not in text:
        text = f"{text} ({e.errcode}{': ' + e.error if e.error else ''})"
    print(f"presence-tray: {text}", file=sys.stderr)


async def _with_session(args: argparse.Namespace, work: Callable[..., Awaitable[T]]) -> T:
    from tray_app.accounts import Accounts

    accounts = Accounts()
    session = accounts.restore(accounts.pick(args.account))
    try:
        return await work(session)
    finally:
        await session.close()


async def cmd_login(args: argparse.Namespace) -> int:
    from tray_app.accounts import Accounts

    accounts = Accounts()
    accounts.store.check()  # say "no keyring" before asking for a password
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = getpass.getpass(f"Password for {args.user_id}: ")
    else:
        raise UsageError("no terminal to ask for the password on; use --password-stdin")
    if not password:
        raise UsageError("the password is empty")
    session = await accounts.login_password(args.user_id, password, homeserver=args.homeserver)
    try:
        state = await session.refresh()
    finally:
        await session.close()
    print(f"Signed in as {state.user_id} on {state.homeserver} ({state.api_label}).")
    return 0


async def cmd_status(args: argparse.Namespace) -> int:
    async def work(session):
        return await session.refresh()

    state = await _with_session(args, work)
    if args.json:
        print(json.dumps(state.to_json(), indent=2))
    else:
        print(render_status(state))
    return 0


async def cmd_set(args: argparse.Namespace) -> int:
    try:
        state = parse_state_name(args.state)
    except ValueError as e:
        raise UsageError(str(e)) from None

    async def work(session):
        return await session.set_override(state, args.message)

    result = await _with_session(args, work)
    print(render_status(result))
    if args.message is not None and not result.status_msg_supported:
        print("Note: this server does not take a status message with the override; it was not sent.")
    return 0


async def cmd_clear(args: argparse.Namespace) -> int:
    async def work(session):
        return await session.set_override(None)

    result = await _with_session(args, work)
    print(render_status(result))
    return 0


async def cmd_logout(args: argparse.Namespace) -> int:
    async def work(session):
        await (session.forget() if args.local else session.logout())
        return session.user_id

    user_id = await _with_session(args, work)
    where = "from this computer only" if args.local else "on the server and from the keyring"
    print(f"Signed out {user_id} {where}.")
    return 0


_COMMANDS = {
    "login": cmd_login,
    "status": cmd_status,
    "set": cmd_set,
    "clear": cmd_clear,
    "logout": cmd_logout,
}


def render_status(state: SessionState) -> str:
    if state.override is None:
        override = "none (automatic)"
    elif state.override.state is None:
        override = f"{state.override.raw!r} (a value this version does not know)"
    else:
        override = state.override.state.label
        if state.api is ApiMode.EMULATED:
            override += " (held by this device only)"
    if state.status_msg:
        override += f' — "{state.status_msg}"'
    lines = [
        f"Account:   {state.user_id}",
        f"Server:    {state.homeserver} ({state.api_label})",
        f"Override:  {override}",
        f"Presence:  {state.presence or 'unknown'}",
    ]
    if state.contested:
        lines.append(f"Note:      {state.last_error}")
    return "\n".join(lines)
