"""The palette of analytics/labels.py, measured: colour-blind eyes and a washed-out projector (issue 21).

The measuring code (analytics/colour_vision.py) is checked first on published values, so the palette's
numbers rest on something other than the code under test.
"""

import itertools

import pytest

from analytics import labels
from analytics.colour_vision import (
    VISIONS,
    ciede2000,
    contrast_ratio,
    difference,
    hex_to_rgb,
    least_difference,
    relative_luminance,
    simulate,
)

# --- the measuring code against published figures -------------------------------------------------


def test_wcag_contrast_of_known_pairs():
    # WCAG 2.1: black on white is 21:1, a colour on itself 1:1; #767676 is the well-known lightest
    # grey that passes AA on white (4.54:1).
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#C8102E", "#C8102E") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)
    assert relative_luminance("#FFFFFF") == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("lab1", "lab2", "expected"),
    [
        # Sharma, Wu & Dalal (2005), "The CIEDE2000 color-difference formula", table 1: pairs 1, 7, 17, 25
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ],
)
def test_ciede2000_matches_sharmas_test_data(lab1, lab2, expected):
    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert ciede2000(lab2, lab1) == pytest.approx(expected, abs=1e-4)  # symmetric


def test_machado_simulation_matches_an_independent_implementation():
    # colorspacious 1.1.2 (cspace_convert to "sRGB1+CVD", severity 100), run once by hand on the
    # old 达标 green #3C8D2F: the same Machado 2009 matrices, written independently of this module.
    expected = {
        "deuteranopia": (0.526461, 0.476726, 0.216394),
        "protanopia": (0.567037, 0.503639, 0.137756),
        "tritanopia": (0.193808, 0.535694, 0.476582),
    }
    for vision, rgb in expected.items():
        assert simulate("#3C8D2F", vision) == pytest.approx(rgb, abs=1e-5)
    assert simulate("#3C8D2F", "normal") == hex_to_rgb("#3C8D2F")


def test_the_old_palette_fails_where_the_issue_says_it_did():
    # issue 21: under deuteranopia 达标 #3C8D2F and 差距较大 #C8102E became the same olive; the 失分
    # bars #E4DDD6 were 1.35:1 on white and the funnel's white text on #D98C7A 2.6:1.
    assert difference("#3C8D2F", "#C8102E", "deuteranopia") < 5
    assert difference("#3C8D2F", "#C8102E", "normal") > 20
    assert contrast_ratio("#E4DDD6", "#FFFFFF") == pytest.approx(1.35, abs=0.01)
    assert contrast_ratio("#FFFFFF", "#D98C7A") == pytest.approx(2.63, abs=0.01)


# --- the palette itself ---------------------------------------------------------------------------


@pytest.mark.parametrize("group", sorted(labels.SHOWN_TOGETHER))
def test_colours_shown_together_stay_apart_for_every_vision(group):
    colours = labels.SHOWN_TOGETHER[group]
    assert len(set(colours)) == len(colours), group
    if len(colours) < 2:
        return
    delta, vision, a, b = least_difference(colours)
    assert delta >= 20, f"{group}: {a} and {b} differ by ΔE2000 {delta:.1f} under {vision}"


def test_every_vision_is_checked():
    assert set(VISIONS) == {"normal", "protanopia", "deuteranopia", "tritanopia"}


def test_every_branch_type_and_status_has_its_colour():
    assert set(labels.BRANCH_TYPE_LABEL_COLOURS) == set(labels.BRANCH_TYPE_SHORT)
    assert set(labels.STATUS_COLOURS) == set(labels.STATUS_SYMBOLS) == {"达标", "接近", "差距较大"}
    assert len(set(labels.STATUS_SYMBOLS.values())) == 3  # three shapes, not only three colours


@pytest.mark.parametrize("colour", labels.MARKS)
def test_every_mark_stands_out_on_the_background(colour):
    assert contrast_ratio(colour, labels.BACKGROUND) >= 3.0, colour


@pytest.mark.parametrize(("text", "ground"), labels.TEXT_ON)
def test_every_text_reads_on_what_it_sits_on(text, ground):
    assert contrast_ratio(text, ground) >= 4.5, (text, ground)


def test_short_branch_types_fit_a_narrow_axis():
    # at most five characters: 18 px CJK text stays under 90 px, a sixth of a phone's width
    assert all(len(short) <= 5 for short in labels.BRANCH_TYPE_SHORT.values())
    assert labels.short_branch_type("非公有制经济组织党支部") == "非公企业"
    assert labels.short_branch_type(None) == "镇党委"
    assert labels.short_branch_type("别的类型") == "别的类型"
    assert len(set(labels.BRANCH_TYPE_SHORT.values())) == len(labels.BRANCH_TYPE_SHORT)


def test_pairs_are_compared_both_ways():
    # difference is symmetric, so the pairwise loop of least_difference need not look both ways
    for a, b in itertools.combinations(labels.BRANCH_TYPE_COLOURS.values(), 2):
        assert difference(a, b, "tritanopia") == pytest.approx(difference(b, a, "tritanopia"))
