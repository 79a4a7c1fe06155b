"""analysis/plots.py: language set-up that a long-lived server can call again and again."""

from __future__ import annotations

import pytest


def test_use_language_puts_the_cjk_font_first_once():
    """The workshop's facilitator page calls use_language on every redraw: the font list must not grow."""
    import matplotlib.pyplot as plt

    from analysis import plots

    if plots.use_language("zh") != "zh":
        pytest.skip("no CJK font on this machine")
    n = len(plt.rcParams["font.sans-serif"])
    for _ in range(3):
        plots.use_language("zh")
    assert len(plt.rcParams["font.sans-serif"]) == n
    assert plt.rcParams["font.sans-serif"][0] == plots.cjk_font()
