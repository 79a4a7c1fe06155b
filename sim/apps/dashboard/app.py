"""The workshop page (Solara): two strategies side by side, live charts, network, result card, export.

Mesa's ``SolaraViz`` shows one model at a time; this page holds two models stepped on the same seed,
so it has components of its own.  All state is per browser session (Solara hooks), none global.
Numbers, words and pictures come from ``logic`` and ``figures``; this module only lays them out.
"""

from __future__ import annotations

import html
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import solara

from sim.i18n import LANG_NAMES, LANGS, t
from sim.scenario import ScenarioError

from . import figures, logic
from .server import LANG_ENV

FRAME_SECONDS = 0.25  # the play loop redraws at most this often
SPEED_DEFAULT, SPEED_MAX = 4, 24  # months per second
SIDE_WIDTH = 1  # relative column widths: controls | live view | controls
LIVE_WIDTH = 3


@dataclass
class Session:
    """One browser session's two runs; the lock keeps the play loop and the controls apart."""

    duel: logic.Duel
    lock: threading.Lock = field(default_factory=threading.Lock)
    play: threading.Event = field(default_factory=threading.Event)  # the play loop runs while set
    loop: int = 0  # the running loop's number
    wanted: bool = False  # play pressed and not paused since

    def want(self, on: bool) -> None:
        """Play (True) or pause (False); a pause waits for a step already under way."""
        with self.lock:
            self.wanted = on
            if not on:
                self.play.clear()

    def start(self) -> int | None:
        """Mark a new play loop as the current one (an older one still sleeping then stops);
        None if a pause came between *play* and the loop's thread starting."""
        with self.lock:
            if not self.wanted:
                return None
            self.loop += 1
            self.play.set()
            return self.loop

    def playing(self, loop: int) -> bool:
        return self.play.is_set() and self.loop == loop


def _start_lang() -> str:
    lang = os.environ.get(LANG_ENV, "")
    if lang in LANGS:
        return lang
    from sim.i18n import default_lang

    return default_lang()


@solara.component
def Table(head: list[str], rows: list[list[str]], css_class: str, groups: list[tuple[str, int]] | None = None) -> None:
    """A plain HTML table (escaped text); ``groups`` is an optional upper header of (text, columns spanned)."""
    th = "<th style='text-align:left;padding:2px 10px'{span}>{text}</th>"
    upper = (
        (
            "<tr>"
            + "".join(th.format(span=f" colspan='{n}'" if n > 1 else "", text=html.escape(text)) for text, n in groups)
            + "</tr>"
        )
        if groups
        else ""
    )
    cells = "".join(th.format(span="", text=html.escape(h)) for h in head)
    body = "".join(
        "<tr>" + "".join(f"<td style='padding:2px 10px'>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows
    )
    solara.HTML(
        tag="table",
        unsafe_innerHTML=f"<thead>{upper}<tr>{cells}</tr></thead><tbody>{body}</tbody>",
        classes=[css_class],
    )


@solara.component
def LeverControl(c: logic.Control, value: Any, lang: str, on_value: Callable[[Any], str | None]) -> None:
    """A switch, a menu, or a slider with a number box, with the schema's meaning as tooltip.

    ``on_value`` returns an error message when the value is refused; the box shows it."""
    error, set_error = solara.use_state(None, key=f"{c.key}-error")

    def submit(raw: Any) -> None:
        set_error(on_value(raw))

    label = c.label(lang)
    with solara.Tooltip(c.tooltip(lang)):
        with solara.Column(gap="0px", classes=[f"lever-{c.key.replace('.', '-')}"]):
            if c.kind == "switch":
                solara.Switch(label=label, value=bool(value), on_value=submit)
            elif c.kind == "menu":
                names = {logic.choice_label(x, lang): x for x in c.choices}
                solara.Select(
                    label,
                    values=list(names),
                    value=logic.choice_label(value, lang),
                    on_value=lambda shown: submit(names.get(shown, shown)),
                )
            else:
                solara.InputText(
                    f"{label} ({c.allowed(lang)})",
                    value=logic.format_value(c, value, lang),
                    on_value=submit,
                    error=bool(error),
                    message=error,
                    dense=True,
                )
                if c.slider:
                    slider = solara.SliderInt if c.kind == "int" else solara.SliderFloat
                    slider("", value=value, min=c.lo, max=c.hi, step=c.step, on_value=submit)


@solara.component
def Panels(titles: list[str], render: Callable[[int], None]) -> None:
    """Folding panels, one open at a time, whose content exists only while open: the page starts with a
    few dozen widgets instead of a few hundred, so it draws sooner."""
    opened, set_opened = solara.use_state(None)
    with solara.v.ExpansionPanels(v_model=opened, on_v_model=set_opened):
        for k, title in enumerate(titles):
            with solara.v.ExpansionPanel():
                solara.v.ExpansionPanelHeader(children=[title])
                with solara.v.ExpansionPanelContent():
                    if opened == k:
                        render(k)


def _refusing(
    apply: Callable[[Any], None], on_error: Callable[[str | None], None], lang: str
) -> Callable[[Any], str | None]:
    """``apply`` for a control: a refused value shows its message (returned for the box and sent to the
    page's message slot) and changes nothing."""

    def guarded(raw: Any) -> str | None:
        try:
            apply(raw)
        except ScenarioError as e:
            on_error(f"{t('refused', lang)}: {e}")
            return str(e)
        on_error(None)
        return None

    return guarded


def _lever_values(setup: logic.Setup, world: dict[str, Any], sections: tuple[str, ...]) -> dict[str, Any]:
    scn = logic.make_scenario(setup, world)
    return {c.key: logic.value_of(scn, c.key) for c in logic.controls(sections)}


@solara.component
def StrategyPanel(
    index: int,
    setup: logic.Setup,
    world: dict[str, Any],
    lang: str,
    on_setup: Callable[[logic.Setup], None],
    on_error: Callable[[str | None], None],
) -> None:
    """Pick a named strategy and move its levers; export its settings as a scenario file."""
    titles = logic.strategy_titles(lang)
    by_title = {t: n for n, t in titles.items()}
    values = _lever_values(setup, world, logic.POLICY_SECTIONS)

    def choose(title: str) -> None:
        on_setup(logic.Setup(by_title.get(title, setup.strategy)))

    def change(c: logic.Control) -> Callable[[Any], str | None]:
        def apply(raw: Any) -> None:
            new = logic.with_lever(setup, world, c, raw, lang)
            if new != setup:
                on_setup(new)

        return _refusing(apply, on_error, lang)

    with solara.Card(
        t("dash.strategy_a" if index == 0 else "dash.strategy_b", lang), margin=0, classes=[f"strategy-{'ab'[index]}"]
    ):
        solara.Select(
            t("title_col", lang),
            values=list(titles.values()),
            value=titles[setup.strategy],
            on_value=choose,
            classes=[f"select-strategy-{'ab'[index]}"],
        )
        changed = ", ".join(f"{k} = {v}" for k, v in sorted(setup.levers.items()))
        solara.Text(
            f"{t('dash.changed', lang)}: {changed}" if changed else t("dash.no_changes", lang),
            style={"font-size": "0.85em"},
        )

        def levers(k: int) -> None:
            for c in logic.controls((logic.POLICY_SECTIONS[k],)):
                LeverControl(c, values[c.key], lang, change(c))

        Panels([logic.section_label(sec, lang) for sec in logic.POLICY_SECTIONS], levers)
        solara.FileDownload(
            lambda: logic.export_toml(setup, world).encode("utf-8"),
            filename=logic.export_filename(setup),
            label=f"{t('dash.export', lang)}: {t('dash.export_toml', lang)}",
            mime_type="application/toml",
        )


@solara.component
def WorldPanel(
    world: dict[str, Any],
    setups: tuple[logic.Setup, logic.Setup],
    lang: str,
    on_world: Callable[[dict[str, Any]], None],
    on_error: Callable[[str | None], None],
) -> None:
    """The population and run settings both strategies share."""
    values = _lever_values(setups[0], world, logic.WORLD_SECTIONS)

    def change(c: logic.Control) -> Callable[[Any], str | None]:
        return _refusing(lambda raw: on_world(logic.with_world(world, setups, c, raw, lang)), on_error, lang)

    def settings(_: int) -> None:
        with solara.Row(style={"flex-wrap": "wrap"}):
            for c in logic.controls(logic.WORLD_SECTIONS):
                with solara.Column(style={"width": "220px"}):
                    LeverControl(c, values[c.key], lang, change(c))

    Panels([t("dash.world", lang)], settings)


@solara.component
def LiveView(session: Session, tick: solara.Reactive[int], lang: str, names: tuple[str, str]) -> None:
    """Charts, network and result card of the two runs; redrawn on every tick of the play loop."""
    _ = tick.value  # subscribe: this component redraws when the months tick
    with session.lock:
        duel = session.duel
        series = (duel.series(0), duel.series(1))
        month, horizon, finished = duel.month, duel.horizon, duel.finished
        scenarios, seed = tuple(duel.scenarios), duel.seed
        views = tuple(logic.network_view(m) for m in duel.models)
    charts = figures.charts_png(series, names, horizon, lang)
    status = t("dash.month_of", lang, month=month, horizon=horizon) + (
        f" — {t('dash.finished', lang)}" if finished else ""
    )
    solara.Text(status, classes=["month-status"], style={"font-weight": "bold", "font-size": "1.2em"})
    with solara.Card(t("dash.charts", lang), margin=0):
        solara.Image(charts, classes=["live-charts"])
        solara.FileDownload(
            charts,
            filename="sesim-dashboard-charts.png",
            label=f"{t('dash.export', lang)}: {t('dash.export_png', lang)}",
            mime_type="image/png",
        )
        from sim.metrics import metric_label

        rows = [[t("dash.months_shown", lang), *(str(len(x["firm_retention"])) for x in series)]]
        for metric in logic.CHART_METRICS:
            rows.append(
                [metric_label(metric, lang), *(logic.format_metric(metric, logic.latest(x[metric])) for x in series)]
            )
        Table([t("dash.latest", lang, month=month, seed=seed), *names], rows, "latest-values")
    ResultCard(series, scenarios, seed, month, lang, names)
    with solara.Card(t("dash.network", lang), margin=0):
        solara.Image(figures.network_png(views, names, lang), classes=["network"])
        solara.Text(t("dash.network_note", lang), style={"font-size": "0.85em"})


@solara.component
def ResultCard(
    series: tuple[dict, dict], scenarios: tuple, seed: int, month: int, lang: str, names: tuple[str, str]
) -> None:
    """Headline outcomes of both strategies and their difference in words, saying what they come from:
    one run (its seed and months), or, once replicates were run for the run shown, their 95% intervals."""
    replicates, set_replicates = solara.use_state(logic.DEFAULT_REPLICATES)
    hidden, set_hidden = solara.use_state(None)  # the replicates whose intervals the user switched off

    def compute() -> logic.Replicates:
        return logic.run_replicates(scenarios, max(month, 1), replicates, seed, lang)

    task = solara.lab.use_task(compute, dependencies=None)
    reps = task.value if not task.pending and not task.error else None
    fresh = reps is not None and reps.matches(scenarios, seed, month)
    with solara.Card(t("dash.result", lang), margin=0, classes=["result-card"]):
        if month == 0:
            solara.Text(t("dash.result_empty", lang))
        else:
            if fresh:
                solara.Switch(
                    label=t("dash.show_intervals", lang, n=len(reps.seeds)),
                    value=hidden is not reps,
                    on_value=lambda on: set_hidden(None if on else reps),
                    classes=["show-intervals"],
                )
            elif reps is not None:
                solara.Text(
                    t("dash.stale", lang, months=logic.months_label(reps.months, lang)),
                    classes=["stale"],
                    style={"font-size": "0.85em"},
                )
            card = logic.result_card(
                series[0], series[1], names, seed, lang, reps if fresh and hidden is not reps else None
            )
            solara.Text(card.headline, classes=["result-headline"], style={"font-style": "italic"})
            Table(card.head, card.cells(), "result-table", card.groups)
            with solara.Column(gap="0px", classes=["intervals" if card.replicated else "one-run"]):
                for r in card.rows:
                    solara.Text(r.sentence, style={"display": "block"})
        with solara.Row(style={"align-items": "center"}):
            solara.SliderInt(
                t("dash.replicates", lang),
                value=replicates,
                min=logic.MIN_REPLICATES,
                max=logic.MAX_REPLICATES,
                on_value=set_replicates,
            )
            solara.Button(
                t("dash.run_replicates", lang),
                on_click=task,
                disabled=task.pending or month == 0,
                color="primary",
                classes=["run-replicates"],
            )
        if task.pending:
            solara.Text(t("dash.running_replicates", lang, n=replicates))
        elif task.error:
            solara.Error(str(task.exception))


@solara.component
def Controller(
    session: Session,
    tick: solara.Reactive[int],
    playing: solara.Reactive[bool],
    speed: solara.Reactive[int],
    lang: str,
    step: Callable[[], None],
    reset: Callable[[], None],
    toggle: Callable[[], None],
) -> None:
    """Play / pause, step, reset and the speed; redrawn with the months (to know when the run is over)."""
    _ = tick.value
    with session.lock:
        finished = session.duel.finished
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}, classes=["controller"]):
        solara.Button(
            t("pause" if playing.value else "dash.play", lang),
            color="primary",
            classes=["play"],
            on_click=toggle,
            disabled=finished and not playing.value,
        )
        solara.Button(t("dash.step", lang), on_click=step, disabled=playing.value or finished, classes=["step"])
        solara.Button(t("dash.reset", lang), on_click=reset, classes=["reset"])
        with solara.Column(style={"width": "260px"}):
            solara.SliderInt(t("dash.speed", lang), value=speed, min=1, max=SPEED_MAX)


@solara.component
def Page() -> None:
    lang = solara.use_reactive(solara.use_memo(_start_lang, []))
    setups = solara.use_reactive((logic.Setup(logic.DEFAULT_STRATEGIES[0]), logic.Setup(logic.DEFAULT_STRATEGIES[1])))
    world = solara.use_reactive(solara.use_memo(logic.default_world, []))
    error = solara.use_reactive(None)
    playing = solara.use_reactive(False)
    speed = solara.use_reactive(SPEED_DEFAULT)
    tick = solara.use_reactive(0)
    session = solara.use_memo(
        lambda: Session(logic.Duel(tuple(logic.make_scenario(s, world.value) for s in setups.value))), []
    )
    L = lang.value
    names = tuple(logic.strategy_title(s.strategy, L) for s in setups.value)

    def rebuild() -> None:
        with session.lock:
            session.duel = logic.Duel(tuple(logic.make_scenario(s, world.value) for s in setups.value))
        tick.value += 1

    def set_setup(i: int) -> Callable[[logic.Setup], None]:
        def apply(new: logic.Setup) -> None:
            old = setups.value
            setups.value = tuple(new if k == i else s for k, s in enumerate(old))
            if new.strategy != old[i].strategy or new.levers != old[i].levers:
                with session.lock:
                    session.duel.replace(i, logic.make_scenario(new, world.value))
                tick.value += 1

        return apply

    def pause() -> None:
        session.want(False)  # after a step under way, so the page showing "play" shows its month
        tick.value += 1
        playing.value = False

    def toggle() -> None:
        if playing.value:  # also before the play loop's thread has started
            pause()
        else:
            session.want(True)
            playing.value = True  # starts play_loop (a task that depends on it)

    def set_world(new: dict[str, Any]) -> None:
        world.value = new
        pause()
        rebuild()

    def reset() -> None:
        pause()
        rebuild()

    def step() -> None:
        with session.lock:
            session.duel.step(1)
        tick.value += 1

    def play_loop() -> None:
        # the loop's own flag, not the reactive variable: a pause must stop this thread at once
        if not playing.value:
            return
        me = session.start()
        if me is None:
            return
        owed, last = 0.0, time.monotonic()
        while session.playing(me):
            time.sleep(FRAME_SECONDS)
            now = time.monotonic()
            owed += speed.value * (now - last)
            last = now
            months = int(owed)
            if not months:
                continue
            owed -= months
            with session.lock:
                if not session.playing(me):
                    break
                session.duel.step(months)
                done = session.duel.finished
            tick.value += 1
            if done:
                pause()

    solara.lab.use_task(play_loop, dependencies=[playing.value], prefer_threaded=True)

    solara.Title(t("dash.app_title", L))
    with solara.Column(style={"padding": "8px"}):
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
            solara.HTML(tag="h2", unsafe_innerHTML=html.escape(t("dash.app_title", L)))
            solara.v.Spacer()
            with solara.ToggleButtonsSingle(value=lang, classes=["language-switch"]):
                for code in ("zh", "en"):
                    solara.Button(LANG_NAMES[code], value=code)
        Controller(session, tick, playing, speed, L, step, reset, toggle)
        with solara.Column():  # a fixed slot, so a message does not rebuild (and fold) the panels
            if error.value:
                solara.Error(error.value, classes=["refusal"])
        WorldPanel(world.value, setups.value, L, set_world, error.set)
        with solara.Columns([SIDE_WIDTH, LIVE_WIDTH, SIDE_WIDTH]):
            StrategyPanel(0, setups.value[0], world.value, L, set_setup(0), error.set)
            with solara.Column():
                LiveView(session, tick, L, names)
            StrategyPanel(1, setups.value[1], world.value, L, set_setup(1), error.set)
