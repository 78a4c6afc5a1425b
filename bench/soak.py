"""`make soak`: a compressed week of the applet, as its own process, against a real Synapse.

Two applet processes run side by side: one in **tray** mode (a private Xvfb with the `trayer`
tray host, QT_QPA_PLATFORM=xcb) and one in **window** mode (the no-tray window, `--window`),
each signed in to its own ACCOUNTS accounts on one Synapse with the override module and
Synapse's **default** `rc_presence` limit (0.1/s, burst 1: most changes meet a 429 first; only
the login limits are relaxed so that 2×ACCOUNTS sign-ins work). After a warm-up (each kind of
event once: the menu opened, a Synapse restart, a login revoked and signed back in), for MINUTES:

- clicks on the state items of random accounts through the applets' real menu actions / window
  buttons (tray_app/ui/control_channel.py, a test-only channel the applet opens only when
  PRESENCE_TRAY_CONTROL_SOCKET is set), and changes made from another device (a plain PUT with
  the user's other login), together CHANGES override changes;
- Synapse restarted every RESTART_EVERY seconds;
- once, half-way, every applet's login of one account revoked on the server (admin API: its
  device deleted), the applet seeing it, and the account signed back in through the applet;
- after every fault a checkpoint: each account of each applet gets one more click, and the
  server's override must then equal that click (nothing lost);
- every SAMPLE_EVERY seconds the applets' RSS, open fds, threads, QObjects, asyncio tasks /
  timers / socket notifiers and None's reference count are sampled; at every checkpoint (taken
  when the applet says it is quiet) also the QObjects by class, and the summary names the
  classes, task kinds and timer kinds that grew.

Short periods are injected (tick, poll, sync timeout: PRESENCE_TRAY_CONTROL_INTERVALS) so a
week of ticks and polls fits; every code path is the shipped one. Prints a table per applet and a
summary; asserts nothing about time. `--json FILE` writes the figures for tests
(tests/desktop/test_soak_short.py runs a few minutes of this and asserts flat counts and the
server state).

Here the run: setup, faults, changes and checkpoints. The desktop and the applet processes:
bench/soak_applet.py; the table, the growth between checkpoints and the summary:
bench/soak_report.py.
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import shutil
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Sibling modules: this script's directory (bench/) is on sys.path too.
from soak_applet import Account, Applet, Display  # noqa: E402
from soak_report import print_report, summarise  # noqa: E402

from tests.harness.synapse import OVERRIDE_MODULE, SynapseOptions, SynapseServer  # noqa: E402

STATES = ("online", "unavailable", "offline", "disabled", "")  # "" = no override
OVERRIDE_PATH = "/_matrix/client/v1/presence/{}/override"
RELAXED = {"per_second": 1000, "burst_count": 10000}


def q(user_id: str) -> str:
    return urllib.parse.quote(user_id, safe="")


# -- the soak ---------------------------------------------------------------------------------


def wait_until(what: str, probe, timeout: float, interval: float = 0.5):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            return last
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")


class Soak:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.rng = random.Random(args.seed)
        self.work = Path(tempfile.mkdtemp(prefix="presence-tray-soak-"))
        self.server: SynapseServer | None = None
        self.display: Display | None = None
        self.applets: list[Applet] = []
        self.admin_token = ""
        self.t0 = time.monotonic()
        self.other_changes = 0
        self.other_429 = 0
        self.other_failed = 0
        self.restarts = 0
        self.revocations = 0
        self.menu_opens = 0
        self.checkpoints: list[dict[str, Any]] = []
        # Changes from the other device that met a 429: sent again once the server allows.
        self.retry_other: list[tuple[float, Account]] = []

    def now(self) -> float:
        return time.monotonic() - self.t0

    def log(self, text: str) -> None:
        print(f"[{self.now():7.1f}s] {text}", flush=True)

    # setup

    def setup(self) -> None:
        a = self.args
        options = SynapseOptions(
            relaxed_rate_limits=False,  # rc_presence stays Synapse's default: 0.1/s, burst 1
            modules=[{"module": OVERRIDE_MODULE, "config": {}}],
            extra_config={"rc_login": {"address": RELAXED, "account": RELAXED, "failed_attempts": RELAXED}},
        )
        self.server = SynapseServer(self.work / "synapse", options=options).start()
        self.log(f"Synapse with the module at {self.server.base_url} (default rc_presence)")
        self.admin_token = self.server.register_user("soak-admin", secrets.token_hex(8), admin=True).access_token
        modes = [m for m in a.modes.split(",") if m]
        if "tray" in modes:
            (self.work / "desktop").mkdir()
            self.display = Display(self.work / "desktop")
        for mode in modes:
            accounts = []
            for n in range(a.accounts):
                pw = secrets.token_hex(12)
                other = self.server.register_user(f"soak-{mode}-{n}", pw)
                accounts.append(Account(other.user_id, pw, other.access_token))
            applet = Applet(mode, self.work / mode, accounts)
            applet.sign_in_all(self.server.base_url)
            self.applets.append(applet)
        for applet in self.applets:
            applet.start(self.display)
        self.log(f"{len(self.applets)} applet(s) started ({', '.join(modes)}), {a.accounts} accounts each")
        for applet in self.applets:
            wait_until(f"{applet.mode}: all accounts connected", lambda ap=applet: self.all_connected(ap), 180)

    def all_connected(self, applet: Applet) -> bool:
        st = applet.states()
        return len(st) == len(applet.accounts) and all(s["connection"] == "connected" for s in st.values())

    # faults

    def restart_synapse(self) -> None:
        assert self.server is not None
        self.log("restarting Synapse")
        self.server.restart()
        self.restarts += 1

    def revoke_and_sign_in_again(self) -> None:
        """Every applet's login of its first account is revoked on the server, then signed in."""
        assert self.server is not None
        for applet in self.applets:
            acct = applet.accounts[0]
            status, body = self.server.request(
                "GET", f"/_synapse/admin/v2/users/{q(acct.user_id)}/devices", token=self.admin_token
            )
            devices = [d["device_id"] for d in body.get("devices", []) if d.get("display_name") == "Presence Tray"]
            for dev in devices:
                self.server.request(
                    "DELETE", f"/_synapse/admin/v2/users/{q(acct.user_id)}/devices/{q(dev)}", token=self.admin_token
                )
            self.log(f"{applet.mode}: revoked {acct.user_id}'s applet login ({len(devices)} device)")
            # The applet finds out on its next request to the server (the override poll).
            wait_until(
                f"{applet.mode}: {acct.user_id} signed out",
                lambda ap=applet, u=acct.user_id: ap.states()[u]["connection"] == "signed_out",
                120,
            )
            applet.call(
                {
                    "cmd": "sign_in",
                    "user_id": acct.user_id,
                    "password": acct.password,
                    "homeserver": self.server.base_url,
                }
            )
            acct.last = None  # the click that met the revoked token is not expected to hold
            self.revocations += 1
        self.log("signed back in")

    # changes

    def fresh_state(self, acct: Account) -> str:
        return self.rng.choice([s for s in STATES if s != acct.last])

    def other_device_change(self, acct: Account | None = None) -> None:
        assert self.server is not None
        if acct is None:
            acct = self.rng.choice(self.rng.choice(self.applets).accounts)
        value = self.fresh_state(acct)
        try:
            status, body = self.server.request(
                "PUT",
                OVERRIDE_PATH.format(q(acct.user_id)),
                token=acct.other_token,
                body={"presence_override": value},
                timeout=10,
            )
        except OSError:
            self.other_failed += 1
            return
        if status == 200:
            acct.last, acct.last_source = value, "other device"
            self.other_changes += 1
        elif status == 429:
            self.other_429 += 1
            wait = (body.get("retry_after_ms") or 10_000) / 1000 if isinstance(body, dict) else 10.0
            self.retry_other.append((self.now() + wait, acct))
        else:
            self.other_failed += 1

    def click_random(self) -> None:
        applet = self.rng.choice(self.applets)
        acct = self.rng.choice(applet.accounts)
        applet.click(acct, self.fresh_state(acct))

    def server_value(self, acct: Account) -> str | None:
        assert self.server is not None
        status, body = self.server.request("GET", OVERRIDE_PATH.format(q(acct.user_id)), token=acct.other_token)
        return body.get("presence_override") if status == 200 and isinstance(body, dict) else None

    def checkpoint(self, after: str) -> dict[str, Any]:
        """One last click per account; then the server must hold exactly those clicks."""
        t = self.now()
        self.retry_other.clear()  # the other device gives up what the server refused
        for applet in self.applets:
            wait_until(f"{applet.mode}: reconnected after {after}", lambda ap=applet: self.all_connected(ap), 180)
        for applet in self.applets:
            for acct in applet.accounts:
                applet.click(acct, self.fresh_state(acct))
        lost = []
        for applet in self.applets:
            applet.call({"cmd": "idle"}, timeout=300)

            def settled(ap=applet) -> bool:
                st = ap.states()
                return all(st[a.user_id]["pending"] is None for a in ap.accounts)

            try:
                wait_until(f"{applet.mode}: changes confirmed", settled, 120)
            except TimeoutError:
                pass
            st = applet.states()
            for acct in applet.accounts:
                server = self.server_value(acct)
                if server != acct.last:
                    lost.append(
                        {
                            "mode": applet.mode,
                            "user_id": acct.user_id,
                            "clicked": acct.last,
                            "server": server,
                            "applet": st[acct.user_id],
                        }
                    )
        for applet in self.applets:
            applet.sample(self.now(), "checkpoint")
        cp = {"after": after, "t": round(t), "accounts": sum(len(a.accounts) for a in self.applets), "lost": lost}
        self.checkpoints.append(cp)
        self.log(
            f"checkpoint after {after}: {cp['accounts'] - len(lost)}/{cp['accounts']} server overrides equal the last click"
            + (f"; LOST: {lost[:3]}" if lost else "")
        )
        return cp

    # the run

    def warm_up(self) -> None:
        """Every kind of event once before the first checkpoint: the menu opened, a Synapse
        restart, a login revoked and signed back in. RSS counts the pages of code run for the
        first time and the buffers of a menu shown for the first time (measured: +2.5 MiB of
        library pages at the first sign-in, +1.3 MiB of X11 shared memory at the first menu); from
        the first checkpoint after this on, growth is growth. Not counted in the run's figures."""
        for applet in self.applets:
            applet.call({"cmd": "open_menu"})
        self.server.restart()  # type: ignore[union-attr]
        for applet in self.applets:
            wait_until(f"{applet.mode}: reconnected (warm-up)", lambda ap=applet: self.all_connected(ap), 180)
        revocations = self.revocations
        self.revoke_and_sign_in_again()
        self.revocations = revocations
        for applet in self.applets:
            wait_until(f"{applet.mode}: signed in again (warm-up)", lambda ap=applet: self.all_connected(ap), 180)
        self.log("warm-up done: menu opened, Synapse restarted, a login revoked and signed back in")

    def run(self) -> dict[str, Any]:
        a = self.args
        self.setup()
        self.warm_up()
        self.checkpoint("start (warm-up)")
        duration = a.minutes * 60
        changes_target = a.changes
        start = self.now()
        next_restart = start + a.restart_every
        next_sample = start
        revoked = False
        other_share = a.other_share
        # Spread the changes evenly over the run.
        gap = duration / max(1, changes_target)
        next_change = start
        while True:
            t = self.now()
            total = sum(ap.clicks for ap in self.applets) + self.other_changes
            if t - start >= duration and total >= changes_target:
                break
            for ap in self.applets:
                if ap.proc is not None and ap.proc.poll() is not None:
                    raise RuntimeError(f"{ap.mode} applet died with {ap.proc.returncode}: {ap.log_tail()}")
            if t >= next_sample:
                for ap in self.applets:
                    ap.sample(t, "run")
                next_sample = t + a.sample_every
            if t >= next_restart:
                self.restart_synapse()
                self.checkpoint(f"Synapse restart {self.restarts}")
                next_restart = self.now() + a.restart_every
                continue
            if not revoked and t - start >= duration / 2:
                revoked = True
                self.revoke_and_sign_in_again()
                self.checkpoint("token revoked, signed back in")
                continue
            due = [r for r in self.retry_other if r[0] <= t]
            if due:
                self.retry_other = [r for r in self.retry_other if r[0] > t]
                for _, acct in due:
                    self.other_device_change(acct)
                continue
            if t >= next_change:
                if self.rng.random() < 0.02:  # now and then someone opens the menu (a re-read)
                    self.rng.choice(self.applets).call({"cmd": "open_menu"})
                    self.menu_opens += 1
                if self.rng.random() < other_share:
                    self.other_device_change()
                else:
                    self.click_random()
                next_change += gap
                if next_change < t - 5:  # far behind (a checkpoint): don't burst to catch up
                    next_change = t
            else:
                time.sleep(min(0.05, next_change - t))
        self.checkpoint("the end")
        return self.report()

    def report(self) -> dict[str, Any]:
        clicks = sum(ap.clicks for ap in self.applets)
        out = {
            "minutes": round(self.now() / 60, 1),
            "changes": clicks + self.other_changes,
            "clicks": clicks,
            "other_device_changes": self.other_changes,
            "other_device_429": self.other_429,
            "other_device_failed": self.other_failed,
            "synapse_restarts": self.restarts,
            "revocations": self.revocations,
            "menu_opens": self.menu_opens,
            "checkpoints": self.checkpoints,
            "applets": {ap.mode: {"samples": ap.samples, "exit_code": None} for ap in self.applets},
        }
        return out

    def close(self, out: dict[str, Any] | None) -> None:
        for ap in self.applets:
            code = ap.stop()
            if out is not None and ap.mode in out["applets"]:
                out["applets"][ap.mode]["exit_code"] = code
                out["applets"][ap.mode]["log_tail"] = ap.log_tail(15)
        if self.display is not None:
            self.display.close()
        if self.server is not None:
            self.server.stop()
        if self.args.keep:
            print(f"kept {self.work}")
        else:
            shutil.rmtree(self.work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--minutes", type=float, default=25.0)
    p.add_argument("--changes", type=int, default=10_000, help="override changes (clicks + other device), at least")
    p.add_argument("--accounts", type=int, default=20, help="accounts per applet")
    p.add_argument("--modes", default="tray,window")
    p.add_argument("--restart-every", type=float, default=180.0, help="seconds between Synapse restarts")
    p.add_argument("--sample-every", type=float, default=30.0)
    p.add_argument("--other-share", type=float, default=0.1, help="share of changes made from another device")
    p.add_argument("--seed", type=int, default=8)
    p.add_argument("--json", type=Path, help="write the figures here")
    p.add_argument("--keep", action="store_true", help="keep the work dir (logs)")
    args = p.parse_args(argv)

    soak = Soak(args)
    out = None
    try:
        out = soak.run()
    finally:
        soak.close(out)
    growth = summarise(out)
    print_report(out, growth)
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
