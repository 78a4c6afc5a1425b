"""Tray icons drawn from the SVGs in resources/, at exactly the size asked for.

A `QIconEngine` renders the state's SVG (and the mark, in the bottom-right
corner, over a knocked-out halo so it reads at 16 px) with `QSvgRenderer` at
the requested pixel size and device pixel ratio: crisp at every size, no
scaled bitmaps.
"""

from __future__ import annotations

import importlib.resources
from functools import cache

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize
from PySide6.QtGui import QIcon, QIconEngine, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from tray_app.ui.view_model import BASES, MARKS, IconSpec, icon_key, parse_icon_key

BASE_FILES = {
    "online": "online.svg",
    "away": "away.svg",
    "offline": "offline.svg",
    "disabled": "disabled.svg",
    "busy": "busy.svg",
    "none": "no-override.svg",
}
MARK_FILES = {
    "pending": "mark-pending.svg",
    "disconnected": "mark-disconnected.svg",
    "signed-out": "mark-signed-out.svg",
    "overruled": "mark-overruled.svg",
    "automatic": "mark-automatic.svg",
}
APP_ICON_FILE = "presence-tray.svg"

# The mark covers this fraction of the icon's side, in the bottom-right corner.
MARK_FRACTION = 0.56
# A last known, unconfirmed override (IconSpec.unconfirmed) draws its base this faint; the mark
# (pending while checking, disconnected when the server can't be reached) stays at full strength.
UNCONFIRMED_OPACITY = 0.4
# Sizes advertised to code that asks an icon which sizes it has (e.g. the D-Bus tray).
ADVERTISED_SIZES = (16, 22, 24, 32, 48, 64, 128, 256)


# The halo knocked out of the base under a mark: a disc, drawn like the icons themselves.
HALO_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2 2"><circle cx="1" cy="1" r="1"/></svg>'


@cache
def svg_bytes(name: str) -> bytes:
    return importlib.resources.files("tray_app.resources").joinpath(name).read_bytes()


@cache
def renderer(name: str) -> QSvgRenderer:
    r = QSvgRenderer(QByteArray(HALO_SVG if name == "halo" else svg_bytes(name)))
    if not r.isValid():
        raise ValueError(f"resources/{name} is not a valid SVG")
    return r


def render_image(spec: IconSpec | None, size: int, dpr: float = 1.0, app_icon: bool = False) -> QImage:
    """The icon as an ARGB image of `size` device-independent pixels at `dpr`."""
    px = max(1, round(size * dpr))
    # No `Qt.` names here, and no call whose overloads take one (QImage.fill, QBrush from a
    # colour): PySide6 builds all ~100 enums of the `Qt` namespace on its first use (~15 ms of
    # CPU) and nothing before the first icon needs them (see window.py). Hence a transparent
    # image from zeroed bytes (copied: Qt then owns its pixels) and the halo drawn from an SVG.
    img = QImage(bytes(px * px * 4), px, px, px * 4, QImage.Format.Format_ARGB32_Premultiplied).copy()
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    if app_icon or spec is None:
        renderer(APP_ICON_FILE).render(p, QRectF(0, 0, px, px))
    else:
        if spec.unconfirmed:
            p.setOpacity(UNCONFIRMED_OPACITY)
        renderer(BASE_FILES[spec.base]).render(p, QRectF(0, 0, px, px))
        p.setOpacity(1.0)
        if spec.mark:
            m = px * MARK_FRACTION
            box = QRectF(px - m, px - m, m, m)
            # Knock a halo out of the base so the mark stays legible at tray sizes.
            r = m / 2 + m * 0.09
            centre = box.center()
            p.setCompositionMode(QPainter.CompositionMode.CompositionMode_DestinationOut)
            renderer("halo").render(p, QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r))
            p.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
            renderer(MARK_FILES[spec.mark]).render(p, box)
    p.end()
    img.setDevicePixelRatio(dpr)
    return img


class SvgIconEngine(QIconEngine):
    """Renders on demand at the size asked for (Qt calls pixmap()/paint() with it)."""

    def __init__(self, spec: IconSpec | None, app_icon: bool = False) -> None:
        super().__init__()
        self.spec = spec
        self.app_icon = app_icon
        self._cache: dict[tuple[int, int, int], QPixmap] = {}

    def _pixmap(self, w: int, h: int, dpr: float) -> QPixmap:
        side = max(1, min(w, h))
        key = (side, round(dpr * 100), 0)
        pm = self._cache.get(key)
        if pm is None:
            pm = QPixmap.fromImage(render_image(self.spec, side, dpr, self.app_icon))
            if len(self._cache) > 32:
                self._cache.clear()
            self._cache[key] = pm
        return pm

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        # The state is what the server confirmed; a disabled menu header still shows it in colour.
        return self._pixmap(size.width(), size.height(), 1.0)

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float) -> QPixmap:
        # Qt 6: `size` is in device pixels here; return a pixmap of that many pixels.
        scale = scale or 1.0
        pm = self._pixmap(round(size.width() / scale), round(size.height() / scale), scale)
        return pm

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        dpr = painter.device().devicePixelRatioF() if painter.device() else 1.0
        side = min(rect.width(), rect.height())
        pm = self._pixmap(side, side, dpr)
        x = rect.x() + (rect.width() - side) // 2
        y = rect.y() + (rect.height() - side) // 2
        painter.drawPixmap(QRect(x, y, side, side), pm)

    def actualSize(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QSize:
        side = min(size.width(), size.height())
        return QSize(side, side)

    def availableSizes(self, mode: QIcon.Mode = QIcon.Mode.Normal, state: QIcon.State = QIcon.State.Off) -> list[QSize]:
        return [QSize(s, s) for s in ADVERTISED_SIZES]

    def key(self) -> str:
        return "presence-tray-svg"

    def iconName(self) -> str:
        # No theme name: no icon theme or package installs one per state and mark, and tray
        # hosts (StatusNotifierItem) prefer a name over the pixels, showing a broken icon.
        # Without a name Qt publishes only the pixmaps drawn here.
        return ""

    def clone(self) -> SvgIconEngine:
        return SvgIconEngine(self.spec, self.app_icon)


class IconFactory:
    """One QIcon per state+mark, built once and reused (the tray swaps between them)."""

    def __init__(self) -> None:
        self._icons: dict[str, QIcon] = {}
        self._engines: list[SvgIconEngine] = []  # keep the Python side alive alongside each QIcon

    def _make(self, spec: IconSpec | None, app_icon: bool = False) -> QIcon:
        engine = SvgIconEngine(spec, app_icon)
        self._engines.append(engine)
        return QIcon(engine)

    def icon(self, spec: IconSpec | str) -> QIcon:
        if isinstance(spec, str):
            spec = parse_icon_key(spec)
        if spec.base not in BASES or (spec.mark is not None and spec.mark not in MARKS):
            raise ValueError(f"no icon for {spec}")
        k = icon_key(spec)
        if k not in self._icons:
            self._icons[k] = self._make(spec)
        return self._icons[k]

    def app_icon(self) -> QIcon:
        if "app" not in self._icons:
            self._icons["app"] = self._make(None, app_icon=True)
        return self._icons["app"]
