"""Icons: every state and mark from resources/*.svg, drawn at exactly the size asked for."""

from __future__ import annotations

import itertools
import re

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QIcon, QPixmap

from tray_app.ui.icons import APP_ICON_FILE, BASE_FILES, MARK_FILES, IconFactory, render_image, renderer, svg_bytes
from tray_app.ui.presenter import BASES, MARKS, IconSpec

pytestmark = pytest.mark.ui

SIZES = (16, 20, 22, 24, 32, 44, 48, 64, 96, 128, 256)


def test_every_svg_is_valid_vector_art(qapp):
    for name in [*BASE_FILES.values(), *MARK_FILES.values(), APP_ICON_FILE]:
        text = svg_bytes(name).decode()
        assert "<image" not in text, f"{name} embeds a bitmap; it would not stay crisp"
        assert re.search(r'viewBox="0 0 (64 64|32 32)"', text), name
        assert renderer(name).isValid(), name


@pytest.mark.parametrize("size", SIZES)
def test_rendered_at_the_requested_size_not_scaled(qapp, size):
    icons = IconFactory()
    for base, mark in itertools.product(BASES, (None, *MARKS)):
        icon = icons.icon(IconSpec(base, mark))
        pm = icon.pixmap(QSize(size, size))
        assert (pm.width(), pm.height()) == (size, size), (base, mark, size)
    # HiDPI: twice the pixels for a 2x screen, drawn from the vector, not upscaled.
    img = render_image(IconSpec("online"), 22, dpr=2.0)
    assert (img.width(), img.height(), img.devicePixelRatio()) == (44, 44, 2.0)


def _opaque(pm: QPixmap) -> set[tuple[int, int]]:
    img = pm.toImage()
    return {(x, y) for x in range(img.width()) for y in range(img.height()) if img.pixelColor(x, y).alpha() > 128}


def test_states_and_marks_look_different_even_at_16px(qapp):
    icons = IconFactory()
    images = {}
    for base, mark in itertools.product(BASES, (None, *MARKS)):
        images[(base, mark)] = icons.icon(IconSpec(base, mark)).pixmap(16).toImage()
    keys = list(images)
    for a, b in itertools.combinations(keys, 2):
        assert images[a] != images[b], (a, b)


def test_mark_sits_in_the_bottom_right_corner_and_leaves_the_rest_alone(qapp):
    size = 64
    plain = render_image(IconSpec("online"), size)
    marked = render_image(IconSpec("online", "disconnected"), size)
    top_left_same = all(plain.pixelColor(x, y) == marked.pixelColor(x, y) for x in range(24) for y in range(24))
    assert top_left_same
    corner = marked.pixelColor(37, 56)  # inside the orange triangle, left of the "!"
    assert corner.red() > 200 and 100 < corner.green() < 170 and corner.blue() < 100, corner.name()


def test_the_state_colours(qapp):
    centre = lambda base: render_image(IconSpec(base), 64).pixelColor(20, 44)  # noqa: E731  (left half, below the middle)
    assert centre("online").name() == QColor("#2ea043").name()
    assert centre("away").name() == QColor("#e3a008").name()
    assert centre("none").name() == QColor("#388bfd").name()
    assert render_image(IconSpec("offline"), 64).pixelColor(32, 32).alpha() == 0  # a ring, empty inside


def test_app_icon_and_unknown_keys(qapp):
    icons = IconFactory()
    assert icons.app_icon().pixmap(48).size() == QSize(48, 48)
    with pytest.raises(ValueError):
        icons.icon("gone-fishing")
    assert isinstance(icons.icon("away+pending"), QIcon)
    assert icons.icon("away+pending") is icons.icon(IconSpec("away", "pending"))  # built once
