"""Draw bake-tracker's icon and write every file the app and the bundles need.

Run from the repository root with Pillow installed (it is in the ``dev`` extra)::

    python packaging/make_icons.py

It writes what the window uses, shipped in the wheel (``src/bake_tracker/assets/icon-*.png`` and
``bake-tracker.ico``, which is also the Windows bundle's .exe icon), and the macOS bundle's
``packaging/icons/bake-tracker.icns``. The outputs are committed, so building the app never needs
Pillow; run this again only when the drawing changes. The drawing: a chocolate-chip cookie with a
bite out of it on a rounded berry-red square, drawn large and scaled down so small sizes stay crisp.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "src" / "bake_tracker" / "assets"
ICONS = ROOT / "packaging" / "icons"
CANVAS = 1024
WINDOW_SIZES = (16, 32, 48, 256)  # the PNGs Tk's iconphoto gets (the window manager picks one)
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]
BACKGROUND = (178, 34, 52, 255)  # berry red
DOUGH = (226, 170, 96, 255)
DOUGH_EDGE = (176, 112, 48, 255)
CHIP = (74, 42, 24, 255)
CHIPS = (
    (-0.45, -0.35),
    (0.05, -0.55),
    (-0.05, 0.0),
    (0.5, 0.1),
    (-0.5, 0.3),
    (0.15, 0.5),
    (-0.15, -0.2),
    (0.35, -0.15),
    (-0.2, 0.62),
)


def draw(size: int = CANVAS) -> Image.Image:
    """The icon at ``size`` pixels, square, with a transparent margin outside the rounded tile."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    margin = size // 16
    pen.rounded_rectangle(
        (margin, margin, size - margin, size - margin), radius=size // 5, fill=BACKGROUND
    )
    centre, radius = size // 2, int(size * 0.34)
    box = (centre - radius, centre - radius, centre + radius, centre + radius)
    pen.ellipse(box, fill=DOUGH_EDGE)
    inner = int(radius * 0.92)
    pen.ellipse((centre - inner, centre - inner, centre + inner, centre + inner), fill=DOUGH)
    r = size // 20
    for dx, dy in CHIPS:  # fractions of the dough's radius from the centre
        x, y = centre + int(dx * inner), centre + int(dy * inner)
        pen.ellipse((x - r, y - r, x + r, y + r), fill=CHIP)
    bite = int(radius * 0.34)  # the bite: the tile colour over the top-right edge of the cookie
    bx, by = centre + int(radius * 0.78), centre - int(radius * 0.78)
    pen.ellipse((bx - bite, by - bite, bx + bite, by + bite), fill=BACKGROUND)
    return image.filter(ImageFilter.SMOOTH)


def main() -> None:
    big = draw()
    ASSETS.mkdir(parents=True, exist_ok=True)
    ICONS.mkdir(parents=True, exist_ok=True)
    for size in WINDOW_SIZES:
        big.resize((size, size), Image.Resampling.LANCZOS).save(ASSETS / f"icon-{size}.png")
    # One .ico serves the window on Windows (shipped in the package) and the bundle's .exe.
    big.resize((256, 256), Image.Resampling.LANCZOS).save(
        ASSETS / "bake-tracker.ico", sizes=ICO_SIZES
    )
    big.resize((512, 512), Image.Resampling.LANCZOS).save(ICONS / "bake-tracker.icns")
    print(f"icons written to {ASSETS} and {ICONS}")


if __name__ == "__main__":
    main()
