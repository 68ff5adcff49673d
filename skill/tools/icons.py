"""The skill's icons, drawn here rather than downloaded: a heart in two halves, one for each partner, with
a sliver of evening between them.

`closer icons` writes the 108x108 and 512x512 PNGs that the skill manifest names
(`file://assets/images/…`, which the ASK CLI uploads with the skill package); `--check` only compares the
committed files with a fresh drawing. Pillow is a development dependency: the Lambda never draws.
"""

import math
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

IMAGES_DIR = Path(__file__).resolve().parents[1] / "package" / "assets" / "images"
# Amazon's two sizes: the small icon for lists, the large one for the skill's page.
ICON_SIZES = {"icon-108.png": 108, "icon-512.png": 512}
# Drawn this many times larger, then scaled down, so the edges are smooth at 108 pixels too.
SUPERSAMPLING = 4
BACKGROUND = (46, 28, 66)  # a late-evening plum
HALF_COLOURS = ((255, 122, 107), (255, 190, 92))  # coral on the left, amber on the right
# The heart in fractions of the icon's side: its two lobes (centre x offset from the middle, centre y,
# radius), its point, and the gap between its halves. It stays inside the middle 70%, so it survives the
# circular crop of the Alexa app.
LOBE_OFFSET, LOBE_Y, LOBE_RADIUS = 0.15, 0.40, 0.17
POINT_Y = 0.80
GAP = 0.035
# How far a committed icon's pixels may stray from a fresh drawing (out of 255) and still be the same icon.
SHADE = 2

Point = tuple[float, float]


def _outer_tangent(centre: Point, radius: float, point: Point, side: int) -> Point:
    """Where a line from `point` touches the circle on its outer side (`side` -1 for left, 1 for right)."""
    dx, dy = centre[0] - point[0], centre[1] - point[1]
    towards_centre = math.atan2(dy, dx) + math.pi  # the direction from the centre back to the point
    spread = math.acos(radius / math.hypot(dx, dy))
    touches = [
        (centre[0] + radius * math.cos(angle), centre[1] + radius * math.sin(angle))
        for angle in (towards_centre - spread, towards_centre + spread)
    ]
    return min(touches, key=lambda touch: side * -touch[0])


def _heart(width: int) -> Image.Image:
    """A mask holding the whole heart: two lobes and the shape that joins them to the point."""
    mask = Image.new("L", (width, width), 0)
    pen = ImageDraw.Draw(mask)
    radius, point = LOBE_RADIUS * width, (width / 2, POINT_Y * width)
    outline: list[Point] = []
    for side in (-1, 1):
        centre = (width / 2 + side * LOBE_OFFSET * width, LOBE_Y * width)
        left, top = centre[0] - radius, centre[1] - radius
        pen.ellipse((left, top, left + 2 * radius, top + 2 * radius), fill=255)
        outline += [centre, _outer_tangent(centre, radius, point, side)]
    pen.polygon([outline[0], outline[1], point, outline[3], outline[2]], fill=255)
    return mask


def draw(size: int) -> Image.Image:
    """The icon at `size` x `size` pixels, opaque RGB."""
    width = size * SUPERSAMPLING
    image = Image.new("RGB", (width, width), BACKGROUND)
    heart = _heart(width)
    gap = GAP * width / 2
    halves = ((0, width / 2 - gap), (width / 2 + gap, width))
    for colour, (left, right) in zip(HALF_COLOURS, halves, strict=True):
        half = Image.new("L", (width, width), 0)
        ImageDraw.Draw(half).rectangle((left, 0, right, width), fill=255)
        image.paste(colour, mask=ImageChops.multiply(heart, half))
    return image.resize((size, size), Image.Resampling.LANCZOS)


def _close(committed: Image.Image, drawn: Image.Image) -> bool:
    """Whether no pixel of any channel differs by more than SHADE."""
    extrema = ImageChops.difference(committed, drawn).getextrema()
    return all(high <= SHADE for _, high in extrema)


def write_icons(directory: Path = IMAGES_DIR) -> list[Path]:
    """Draw every icon into `directory`; return the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, size in ICON_SIZES.items():
        path = directory / name
        draw(size).save(path, format="PNG", optimize=True)
        written.append(path)
    return written


def stale(directory: Path = IMAGES_DIR) -> list[Path]:
    """The icon files that are missing or differ, pixel for pixel, from what `draw` makes now.

    Pixels, not bytes, and within a shade: PNG's compression and Pillow's scaling may differ a little
    between builds while the picture is the same."""
    differing = []
    for name, size in ICON_SIZES.items():
        path = directory / name
        if not path.is_file():
            differing.append(path)
            continue
        with Image.open(path) as committed:
            same = committed.mode == "RGB" and committed.size == (size, size)
            same = same and _close(committed, draw(size))
        if not same:
            differing.append(path)
    return differing


def run(check: bool) -> None:
    """`closer icons`: write the icons, or with `check` exit 1 if the committed ones are not what is drawn."""
    if not check:
        for path in write_icons():
            print(f"Wrote {path}")
        return
    differing = stale()
    for path in differing:
        print(f"{path} is not what skill/tools/icons.py draws: run `closer icons`")
    if differing:
        raise SystemExit(1)
