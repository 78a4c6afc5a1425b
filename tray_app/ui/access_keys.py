"""Access keys (the underlined letter of a menu item, "&X" in Qt, "_X" over dbusmenu): one fixed
key per item and language, so a key does the same thing in every state and with any number of
accounts (Qt-free).

The key belongs to what an item does (its role: the model key without the account part, or the
item's `access` where one key has two meanings), not to its place: each role's letter is a
translatable text of the "AccessKey" context (the comment names the item), so each language
picks letters from its own words. The view marks the first word-initial occurrence of the letter
in the item's text (else its first occurrence; an item whose text lacks it gets none, which the
tests catch for every shipped language).

The items of one account get their key only where no other account's items share the menu level
(one account, or an account's own submenu); where several accounts' items share a level they get
none, so no key picks one account's item by chance. A level's letters differ across every state
and account count, so a key never means two things at one level
(tests/ui/test_access_keys.py builds them all).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from tray_app.translation import translate
from tray_app.ui.view_model import Kind, MenuItem

_PICKABLE = (Kind.ACTION, Kind.CHECK, Kind.SUBMENU)

# Role -> its letter in the current language. Top level: the account's items and the app's.
# Their letters are all different (they share the top level with one account).
ACCESS_KEYS: dict[str, Callable[[], str]] = {
    "state:online": lambda: translate("AccessKey", "o", "Online"),
    "state:unavailable": lambda: translate("AccessKey", "a", "Away"),
    "state:busy": lambda: translate("AccessKey", "b", "Busy"),
    "state:offline": lambda: translate("AccessKey", "f", "Offline"),
    "state:disabled": lambda: translate("AccessKey", "d", "Disabled"),
    "state:none": lambda: translate("AccessKey", "n", "No override (automatic)"),
    "endnow": lambda: translate("AccessKey", "e", "End now"),
    "extend": lambda: translate("AccessKey", "x", "Extend"),
    "statusmsg": lambda: translate("AccessKey", "s", "Status message…"),
    "refresh": lambda: translate("AccessKey", "r", "Refresh"),
    "signout": lambda: translate("AccessKey", "u", "Sign out"),
    # "Remove from this computer…" and, for a signed-out account, "Remove this account": one
    # meaning (never shown together), one key.
    "forget": lambda: translate("AccessKey", "h", "Remove from this computer… / Remove this account"),
    "signin": lambda: translate("AccessKey", "i", "Sign in… / Sign in again…"),
    "idle": lambda: translate("AccessKey", "t", "Automatic presence"),
    "all": lambda: translate("AccessKey", "l", "Set all accounts"),
    "add-account": lambda: translate("AccessKey", "c", "Add account…"),
    "autostart": lambda: translate("AccessKey", "g", "Start on login"),
    "pause-banners": lambda: translate("AccessKey", "p", "Pause notifications while Busy"),
    "quit": lambda: translate("AccessKey", "q", "Quit"),
    # Kept free for the items other branches add: an account's "Server details…" and
    # "Clear message".
    "details": lambda: translate("AccessKey", "v", "Server details…"),
    "clearmsg": lambda: translate("AccessKey", "m", "Clear message"),
    # A state's durations and "Extend"'s choices (one submenu each).
    "for:until_changed": lambda: translate("AccessKey", "u", "Until I change it"),
    "for:30m": lambda: translate("AccessKey", "3", "30 minutes / 30 more minutes"),
    "for:1h": lambda: translate("AccessKey", "1", "1 hour / 1 more hour"),
    "for:4h": lambda: translate("AccessKey", "4", "4 hours / 4 more hours"),
    "for:tomorrow_morning": lambda: translate("AccessKey", "t", "Until tomorrow morning"),
    # The automatic-presence submenu ("Apply to @you:…" gets none: one per account).
    "idle:enabled": lambda: translate("AccessKey", "w", "When I'm idle or locked"),
    "idle:dnd": lambda: translate("AccessKey", "d", "When do not disturb is on: Busy"),
    "idle:after:1": lambda: translate("AccessKey", "1", "Set me away after 1 min idle"),
    "idle:after:2": lambda: translate("AccessKey", "2", "Set me away after 2 min idle"),
    "idle:after:5": lambda: translate("AccessKey", "5", "Set me away after 5 min idle"),
    "idle:after:10": lambda: translate("AccessKey", "0", "Set me away after 10 min idle"),
    "idle:after:15": lambda: translate("AccessKey", "i", "Set me away after 15 min idle"),
    "idle:after:30": lambda: translate("AccessKey", "3", "Set me away after 30 min idle"),
    "idle:locked:offline": lambda: translate("AccessKey", "o", "While the screen is locked: Offline"),
    "idle:locked:unavailable": lambda: translate("AccessKey", "a", "While the screen is locked: Away"),
    "idle:locked:none": lambda: translate("AccessKey", "n", "While the screen is locked: No change"),
}


def role(item: MenuItem) -> str:
    """What the item does, whatever its account: "acct:@a:hs:state:busy" and "all:state:busy"
    are "state:busy"; a state's or Extend's durations are "for:1h"."""
    if item.access:
        return item.access
    key = item.key
    if item.account is not None and key.startswith(f"acct:{item.account}:"):
        key = key[len(f"acct:{item.account}:") :]
    key = key.removeprefix("all:")
    if ":for:" in key:
        return "for:" + key.rsplit(":for:", 1)[1]
    if key.startswith("extend:"):
        return "for:" + key.removeprefix("extend:")
    return key


def access_key(item: MenuItem) -> str | None:
    """The item's letter in the current language (lower case), or None (no fixed key)."""
    letter = ACCESS_KEYS.get(role(item))
    return letter().strip().lower()[:1] or None if letter is not None else None


def shared_by_accounts(items: Iterable[MenuItem]) -> bool:
    """Several accounts' items at one level: theirs get no key."""
    return len({i.account for i in items if i.account is not None}) > 1


def marked(text: str, letter: str | None) -> str:
    """`text` with "&" before its first word-initial `letter` (else its first `letter`; else
    none), a literal "&" escaped."""
    lower = text.lower()
    at = -1
    if letter:
        at = next(
            (i for i, ch in enumerate(lower) if ch == letter and (i == 0 or not lower[i - 1].isalnum())),
            lower.find(letter),
        )
    if at < 0:
        return text.replace("&", "&&")
    return text[:at].replace("&", "&&") + "&" + text[at:].replace("&", "&&")


def keyed(item: MenuItem, shared: bool) -> bool:
    """Whether the item gets its key at a level (`shared`: several accounts' items there)."""
    return item.kind in _PICKABLE and item.enabled and item.visible and not (shared and item.account is not None)


def access_texts(items: tuple[MenuItem, ...]) -> dict[str, str]:
    """The display text of each item of one menu level ("&" before its access key)."""
    shared = shared_by_accounts(items)
    return {i.key: marked(i.text, access_key(i) if keyed(i, shared) else None) for i in items}
