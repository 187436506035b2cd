"""How a colour reads: WCAG contrast, CIEDE2000 colour difference, and colour-vision-deficiency simulation.

Small and dependency-free so the palette tests can compute their numbers from `labels.py` alone:
- WCAG 2.x relative luminance and contrast ratio (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio);
- sRGB → CIELAB (D65) and CIEDE2000 (Sharma, Wu & Dalal 2005, the formula their test data checks);
- Machado, Oliveira & Fernandes 2009, "A physiologically-based model for simulation of color vision
  deficiency": the severity-1.0 matrices for protanopia, deuteranopia and tritanopia, applied to
  linear sRGB (as in their paper and in colorspacious).
"""

from __future__ import annotations

import math

Rgb = tuple[float, float, float]

# Machado et al. 2009, table of simulation matrices, severity 1.0 (linear RGB).
MACHADO_2009 = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}
VISIONS = ("normal", *MACHADO_2009)


def hex_to_rgb(colour: str) -> Rgb:
    """'#C8102E' → (0.784, 0.063, 0.180): sRGB channels in 0–1."""
    text = colour.lstrip("#")
    return tuple(int(text[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def _gamma(channel: float) -> float:
    channel = min(1.0, max(0.0, channel))
    return channel * 12.92 if channel <= 0.0031308 else 1.055 * channel ** (1 / 2.4) - 0.055


def relative_luminance(colour: str | Rgb) -> float:
    """WCAG relative luminance (0 black … 1 white)."""
    r, g, b = (_linear(c) for c in (hex_to_rgb(colour) if isinstance(colour, str) else colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str | Rgb, b: str | Rgb) -> float:
    """WCAG contrast ratio, 1 … 21 (black on white)."""
    light, dark = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def simulate(colour: str | Rgb, vision: str) -> Rgb:
    """The sRGB colour as a viewer with `vision` sees it ('normal' or a key of MACHADO_2009)."""
    rgb = hex_to_rgb(colour) if isinstance(colour, str) else colour
    if vision == "normal":
        return rgb
    linear = [_linear(c) for c in rgb]
    seen = (sum(m * c for m, c in zip(row, linear, strict=True)) for row in MACHADO_2009[vision])
    return tuple(_gamma(c) for c in seen)  # type: ignore[return-value]


def to_lab(rgb: Rgb) -> tuple[float, float, float]:
    """sRGB (0–1) → CIELAB with the D65 white of sRGB."""
    r, g, b = (_linear(c) for c in rgb)
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def ciede2000(lab1: tuple[float, float, float], lab2: tuple[float, float, float]) -> float:
    """CIEDE2000 colour difference (kL = kC = kH = 1), as Sharma, Wu & Dalal 2005 write it."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dl, dc = l2 - l1, c2p - c1p
    if c1p * c2p == 0:
        dh = 0.0
    elif abs(h2p - h1p) <= 180:
        dh = h2p - h1p
    else:
        dh = h2p - h1p - 360 if h2p > h1p else h2p - h1p + 360
    d_big_h = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_mean, cp_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_mean = (h1p + h2p) / 2
    else:
        h_mean = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(h_mean - 30))
        + 0.24 * math.cos(math.radians(2 * h_mean))
        + 0.32 * math.cos(math.radians(3 * h_mean + 6))
        - 0.20 * math.cos(math.radians(4 * h_mean - 63))
    )
    d_theta = 30 * math.exp(-(((h_mean - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_mean**7 / (cp_mean**7 + 25**7))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c = 1 + 0.045 * cp_mean
    s_h = 1 + 0.015 * cp_mean * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    return math.sqrt((dl / s_l) ** 2 + (dc / s_c) ** 2 + (d_big_h / s_h) ** 2 + r_t * (dc / s_c) * (d_big_h / s_h))


def difference(a: str, b: str, vision: str = "normal") -> float:
    """ΔE2000 between two hex colours as a viewer with `vision` sees them."""
    return ciede2000(to_lab(simulate(a, vision)), to_lab(simulate(b, vision)))


def least_difference(colours: list[str]) -> tuple[float, str, str, str]:
    """The smallest ΔE2000 between any two of `colours` under any vision: (ΔE, vision, a, b)."""
    worst = (math.inf, "", "", "")
    for vision in VISIONS:
        for i, a in enumerate(colours):
            for b in colours[i + 1 :]:
                worst = min(worst, (difference(a, b, vision), vision, a, b))
    return worst
