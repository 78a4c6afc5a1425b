"""`make demo`: a throwaway Synapse, a demo account, and the tray signed in to it.

    python -m tests.harness.demo            # the newcomer's first command
    python -m tests.harness.demo --stock    # a stock Synapse: see emulated mode

It starts Synapse on 127.0.0.1 with the project's override module (a stock Synapse in emulated
mode if the module cannot be imported), registers `@demo:localhost`, signs the applet in and runs
it until you choose Quit (or press Ctrl-C). Then the server and all its data are removed.

Nothing touches your own setup: the demo's login lives in an in-memory keyring of this process,
its settings (and "Start on login") in a temporary config dir, and it does not hand over to a
Presence Tray you may already be running.

The demo account's password is fixed and printed (a throwaway account on a throwaway server),
so a newcomer who tries "Sign out" can sign back in. The demo also prints a one-line command
that plays "another device" (tests/harness/another_device.py): run it in a second terminal and
watch the tray follow.

`--homeserver URL --user ID --password-stdin` signs in to a server that is already running
instead (the desktop tests use this); `--signed-out` starts the applet with no account, so its
sign-in dialog opens; `--quit-after SECONDS` quits by itself (smoke tests).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import shutil
import signal
import sys
import tempfile
import threading
from pathlib import Path

DEMO_LOCALPART = "demo"
# Printed on purpose: a throwaway account on a throwaway server on 127.0.0.1, removed at exit.
DEMO_PASSWORD = "presence-tray-demo"
ROOT = Path(__file__).resolve().parents[2]
DEMO_INSTANCE = "presence-tray-demo"


def _parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m tests.harness.demo", description=__doc__.split("\n\n")[0])
    p.add_argument("--stock", action="store_true", help="a stock Synapse (emulated mode), even if the module is there")
    p.add_argument("--window", action="store_true", help="show the no-tray window instead of a tray icon")
    p.add_argument("--homeserver", metavar="URL", help="use this running server instead of starting one")
    p.add_argument("--user", metavar="USER_ID", help="with --homeserver: the account to sign in")
    p.add_argument("--password-stdin", action="store_true", help="with --homeserver: read the password from stdin")
    p.add_argument("--quit-after", type=float, metavar="SECONDS", help="quit by itself after this long")
    p.add_argument(
        "--away-after-minutes",
        type=float,
        metavar="MINUTES",
        help="automatic presence: away after this long idle (tests shorten it)",
    )
    p.add_argument("--signed-out", action="store_true", help="start the applet signed out: its sign-in dialog opens")
    args = p.parse_args(argv)
    if args.homeserver and not args.signed_out and not (args.user and args.password_stdin):
        p.error("--homeserver needs --user and --password-stdin (or --signed-out)")
    return args


# What the "another device" command takes (tests/harness/another_device.py): with the override
# module it sets or clears the override; on a stock server it syncs as a present device.
ANOTHER_DEVICE_STATES = ("online", "away", "offline", "disabled", "clear")
ANOTHER_DEVICE_STATES_STOCK = ("online", "away", "offline")


def another_device_command(homeserver: str, user_id: str, state: str) -> str:
    """The one line a person pastes into a second terminal (from anywhere: it changes dir)."""
    python = os.path.relpath(sys.executable, ROOT) if sys.executable.startswith(str(ROOT)) else sys.executable
    return (
        f"cd {shlex.quote(str(ROOT))} && {shlex.quote(python)} -m tests.harness.another_device "
        f"--homeserver {homeserver} --user {shlex.quote(user_id)} {state}"
    )


def _has_display() -> bool:
    if sys.platform != "linux":
        return True
    return bool(
        os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM", "").startswith(("offscreen", "minimal", "vnc"))
    )


def _start_server(data_dir: Path, stock: bool):
    from tests.harness.synapse import OVERRIDE_MODULE, SynapseOptions, SynapseServer, check_module_importable

    modules = []
    why_stock = "as asked (--stock)" if stock else None
    if not stock:
        error = check_module_importable(OVERRIDE_MODULE)
        if error is None:
            modules = [{"module": OVERRIDE_MODULE, "config": {}}]
        else:
            last = error.strip().splitlines()[-1] if error.strip() else "unknown error"
            why_stock = f"the override module could not be imported ({last})"
    # Synapse's default rc_presence, as on a real server: the demo shows what a user meets.
    server = SynapseServer(data_dir / "synapse", options=SynapseOptions(modules=modules))
    print("Starting a throwaway Synapse on 127.0.0.1 …", flush=True)
    server.start()
    if modules:
        print(f"  {server.base_url}: Synapse with the override module (the server keeps your choice)")
    else:
        print(f"  {server.base_url}: stock Synapse, {why_stock}: the tray runs in emulated mode")
    return server


def _show_applet_log() -> None:
    """What the applet does (e.g. "connected to …" once its first read worked), on stdout."""
    import logging

    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("applet: %(message)s"))
    for name in (
        "tray_app.ui",
        "tray_app.idle",
        "tray_app.dnd",
    ):  # idle sources and DND switch chosen, automatic changes
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    if not _has_display():
        print(
            "No display: the demo shows a tray icon, so run it in a desktop session "
            "(or under Xvfb, e.g. `xvfb-run make demo`, with a tray host such as trayer).",
            file=sys.stderr,
        )
        return 2

    scratch = Path(tempfile.mkdtemp(prefix="presence-tray-demo-"))
    # Keep the demo's settings and autostart entry out of the real config dir.
    os.environ["XDG_CONFIG_HOME"] = str(scratch / "config")
    server = None
    try:
        if args.homeserver:
            homeserver, user_id = args.homeserver, args.user
            password = "" if args.signed_out else sys.stdin.readline().rstrip("\n")
        else:
            server = _start_server(scratch, args.stock)
            password = DEMO_PASSWORD
            user_id = server.register_user(DEMO_LOCALPART, password).user_id
            homeserver = server.base_url

        from tests.support.memory_keyring import MemoryKeyring
        from tray_app.accounts import Accounts
        from tray_app.credentials import CredentialStore
        from tray_app.settings import Settings

        accounts = Accounts(CredentialStore(MemoryKeyring()), Settings.load(scratch / "config" / "settings.json"))
        if args.away_after_minutes is not None:
            accounts.settings.set_preference("away_after_minutes", args.away_after_minutes)

        async def sign_in() -> None:
            # `del password` below confuses pyflakes; sign_in runs before it.
            session = await accounts.login_password(user_id, password, homeserver=homeserver)  # noqa: F821
            await session.close()

        if args.signed_out:
            print("Not signed in: the applet opens its sign-in dialog.")
        else:
            asyncio.run(sign_in())
            print(f"Signed in as {user_id}.")
        del password
        if args.window:
            print("In the window: pick a state (its “For…” button: a duration), a status message.")
        else:
            print("Right-click (or click) the tray icon: pick a state, a duration, a status message.")
        if server is not None:
            print(
                f"To sign in again after “Sign out”: user ID {user_id}, homeserver {homeserver}, password {DEMO_PASSWORD}"
            )
            follows = (
                "at once: the module pushes the change"
                if server.options.modules
                else "when its menu opens, or within a minute"
            )
            shown = "the window" if args.window else "the tray"
            print(f"Play “another device” from a second terminal ({shown} follows {follows}):")
            print("  " + another_device_command(homeserver, user_id, "online"))
            states = ANOTHER_DEVICE_STATES if server.options.modules else ANOTHER_DEVICE_STATES_STOCK
            print(f"  (instead of “online”: {', '.join(states[1:-1])} or {states[-1]})")
        where = "in the window" if args.window else "from the menu"
        print(f"Quit {where} or press Ctrl-C; the demo server and its data are then removed.", flush=True)

        if args.quit_after:
            pid = os.getpid()
            timer = threading.Timer(args.quit_after, lambda: os.kill(pid, signal.SIGTERM))
            timer.daemon = True
            timer.start()

        _show_applet_log()
        from tray_app.ui.app import run

        code = run(
            argparse.Namespace(autostarted=False, window=args.window),
            accounts=accounts,
            instance_name=DEMO_INSTANCE,
        )
        print("The applet quit.", flush=True)
        return code
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # a start or sign-in failure: say what, not a traceback
        from tray_app.errors import PresenceTrayError

        text = e.message if isinstance(e, PresenceTrayError) else f"{type(e).__name__}: {e}"
        print(f"demo: {text}", file=sys.stderr)
        return 1
    finally:
        if server is not None:
            server.stop()
            print("Stopped the demo server.", flush=True)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
