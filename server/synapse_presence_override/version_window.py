"""The Synapse releases this module is tested against: the one place that says so.

Makefile targets, CI and the README read these names; the module's start-up check uses them to
decide between "tested", "untested but compatible" and "incompatible".
"""

# Every Synapse minor series from the last presence-handler change (1.157) to the newest,
# each with the exact release the matrix installs.
TESTED_RELEASES: dict[tuple[int, int], str] = {
    (1, 157): "1.157.2",
    (1, 158): "1.158.0",
    (1, 159): "1.159.0",
    (1, 160): "1.160.0",
    (1, 161): "1.161.0",
    (1, 162): "1.162.0",
    (1, 163): "1.163.2",
}
OLDEST = min(TESTED_RELEASES)
NEWEST = max(TESTED_RELEASES)


def describe() -> str:
    """'1.157–1.163', for log lines and messages."""
    return f"{OLDEST[0]}.{OLDEST[1]}–{NEWEST[0]}.{NEWEST[1]}"


if __name__ == "__main__":  # `python -m synapse_presence_override.version_window` for scripts
    import sys

    if sys.argv[1:] == ["oldest"]:
        print(TESTED_RELEASES[OLDEST])
    elif sys.argv[1:] == ["newest"]:
        print(TESTED_RELEASES[NEWEST])
    else:
        print(" ".join(TESTED_RELEASES[k] for k in sorted(TESTED_RELEASES)))
