"""The workshop dashboard (``sesim dashboard``): two strategies side by side in the browser.

``logic`` and ``figures`` hold everything that decides a number, a word or a picture and need no
browser; ``app`` lays them out with Solara; ``server`` starts the page on loopback.
"""
