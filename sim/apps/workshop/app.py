"""The workshop's Solara pages: a seat's page (``/seat/<seat>``, phone-sized) and the facilitator's (``/host``).

Both read the room of this process (:data:`sim.apps.workshop.server.STATE`) and redraw when it changes: each
page registers a callback with :meth:`sim.apps.workshop.room.Room.listen` that wakes an asyncio task of its own
kernel (``use_task``), which sets the page's reactive version; Solara then sends the changed widgets over
its websocket.  The seat's secret comes from the browser's cookie (set by the join form, see
``server.RoomGate``) and is checked again here on every read and every submission.
"""

from __future__ import annotations

import asyncio
import html
import io
import threading
from dataclasses import dataclass
from typing import Any, Callable

import solara

from sim import policy as pol
from sim.i18n import LANG_NAMES, LANGS, t
from sim.inputs import Refusal, shown
from sim.params import FIRM_SECTIONS, SCHOOL_SECTIONS
from sim.scenario import ScenarioError
from sim.state import DIMS

from ..dashboard import logic
from . import server
from .room import PARTY_SECTION, REGION, Room, partnership_cells, seat_label, seat_of_slug, seat_slug

PERCENT = 100
SMALL = {"font-size": "0.85em", "word-break": "break-all"}
SIDE_WORDS = {"school": "school", "firm": "firm", "party": "ws.party"}  # a seat's side, as its page names it


def page_session() -> Any:
    """The Solara session (kernel context) of the page being drawn; None outside Solara's server."""
    try:
        from solara.server import kernel_context

        return kernel_context.get_current_context()
    except Exception:  # no server (a test drawing a component alone)
        return None


def on_page_close(session: Any, callback: Callable[[], None]) -> None:
    """Call ``callback`` when the page's session closes (its browser closed the page, or it stayed away
    longer than the reconnect grace, see ``server.RECONNECT_GRACE_S``).  Solara does not stop a task still
    running then, so each of the page's loops stops itself with this."""
    if session is not None:
        session.on_close(callback)


def use_room_version(room: Room, key: Callable[[], Any] | None = None, last: bool = False) -> Any:
    """Redraw the calling component when the room changes in a way it shows: ``key()`` (default: the
    room's version) is read after each change and set as the component's state, so a change that leaves
    it equal draws nothing (30 seat pages need not redraw on every other seat's submission).  ``last``: let
    the other pages woken by the same change redraw first (the facilitator's chart takes a fifth of a
    second; the participants should not wait for it).  The page stops following the room when its session
    closes."""
    read = key or (lambda: room.version)
    version, set_version = solara.use_state(read(), key="room-version")
    session = page_session()

    async def follow() -> None:
        loop = asyncio.get_running_loop()
        event = asyncio.Event()
        closed = threading.Event()

        def poke() -> None:
            loop.call_soon_threadsafe(event.set)

        def close() -> None:
            closed.set()
            try:
                loop.call_soon_threadsafe(event.set)
            except RuntimeError:  # the loop has ended already
                pass

        room.listen(poke)
        on_page_close(session, close)
        try:
            while not closed.is_set():
                set_version(read())  # the same value again is no redraw
                await event.wait()
                event.clear()
                if last:
                    await asyncio.sleep(0)  # to the back of the queue of pages woken together
        finally:
            room.unlisten(poke)

    solara.lab.use_task(follow, dependencies=[])
    return version


def seat_key(room: Room, seat: str) -> tuple:
    """What of the room a seat's page shows besides its own numbers (which change only with the round)."""
    with room.lock:
        s = room.seats[seat]
        return (
            room.round,
            room.paused,
            room.ended,
            room.finished,
            room.debrief_dir is not None,
            s.submitted,
            s.submissions,
            len(room.history),
        )


def _lang_from(search: str | None, default: str) -> str:
    from urllib.parse import parse_qs

    got = parse_qs(search or "").get("lang", [default])[-1]
    return got if got in ("en", "zh") else default


def _table(head: list[str], rows: list[list[str]], css: str) -> None:
    th = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    solara.HTML(
        tag="table",
        unsafe_innerHTML=f"<thead><tr>{th}</tr></thead><tbody>{body}</tbody>",
        classes=[css],
        style={"border-collapse": "collapse", "font-size": "0.95em", "width": "100%"},
    )


CSS = """
table.seen td, table.seen th, table.seats td, table.seats th {border-bottom:1px solid #e3e3e3;padding:4px 6px;text-align:left}
table.seen {table-layout:fixed}
table.seen td:nth-child(n+2), table.seen th:nth-child(n+2) {text-align:right;overflow-wrap:anywhere;width:28%}
.v-application .seat-page {max-width:40em;margin:0 auto}
.big {font-size:1.25em;font-weight:600}
.v-application .seat-page.with-submit {padding-bottom:7em !important}
html {scroll-padding-bottom:9em}
.submit-bar {position:fixed;left:0;right:0;bottom:0;z-index:100;background:#fff;border-top:1px solid #ddd;
box-shadow:0 -2px 6px rgba(0,0,0,.08);padding:8px 12px calc(8px + env(safe-area-inset-bottom))}
.submit-bar > * {max-width:40em;margin-left:auto;margin-right:auto}
.submit-bar .v-alert {margin-bottom:6px}
.submit-bar .submit {width:100%}
"""


@solara.component
def Page() -> None:
    router = solara.use_router()
    workshop = server.state()
    room = workshop.room
    lang = solara.use_reactive(_lang_from(router.search, room.lang))
    cookies = solara.lab.cookies.value or {}
    path = router.path.rstrip("/")
    solara.Style(CSS)
    if path == "/host":
        if not room.check_host(cookies.get(server.host_cookie(room))):
            solara.Error(t("ws.refused_host", lang.value), classes=["refusal"])
            return
        FacilitatorPage(workshop, lang)
        return
    slug = path[len("/seat/") :] if path.startswith("/seat/") else ""
    seat = seat_of_slug(slug) if slug else ""
    secret = cookies.get(server.seat_cookie(room, seat)) if seat in room.seats else None
    if not room.check_seat(seat, secret):
        solara.Error(t("ws.refused_seat", lang.value, seat=seat or path), classes=["refusal"])
        return
    SeatPage(room, seat, secret, lang)


@solara.component
def LangSwitch(lang: solara.Reactive[str]) -> None:
    solara.Button(
        t("ws.language", lang.value),
        text=True,
        classes=["language-switch"],
        on_click=lambda: lang.set("en" if lang.value == "zh" else "zh"),
    )


# ------------------------------------------------------------------ a seat
def _pct(v: float) -> str:
    return "–" if v != v else f"{v * PERCENT:.0f}"


def _num(v: float) -> str:
    return "–" if v != v else f"{v:,.1f}"


def seen_rows(view: dict[str, Any], lang: str) -> list[list[str]]:
    """What the seat's agent sees, each row: what, this year, last year (plain words and numbers)."""
    now, before = view["now"], view["before"] or {}
    side = view["side"]

    def partners(v: dict | None) -> str:
        if not v:
            return "–"
        ps = v["partners"]
        return ", ".join(f"{seat_label(p, lang)} ({_pct(w)})" for p, w in ps.items()) or t("none", lang)

    def get(key: str, fmt: Callable[[float], str], v: dict | None) -> str:
        return fmt(v[key]) if v else "–"

    rows = [
        [t("ws.partners", lang), partners(now), partners(before)],
        *partnership_rows(now, before, lang),
        [t("ws.interns", lang), str(now["interns"]), str(before["interns"]) if before else "–"],
    ]
    from sim.metrics import metric_label

    for d in DIMS:
        rows.append(
            [
                t("ws.intern_skill", lang, dim=metric_label(f"skill_{d}", lang)),
                _pct(now["intern_skills"][d]),
                _pct(before["intern_skills"][d]) if before else "–",
            ]
        )
    if side in ("school", "party"):  # a party branch sees its school's numbers
        rows += [
            [t("ws.net_benefit_school", lang), get("net_benefit", _num, now), get("net_benefit", _num, before)],
            [
                t("ws.hired", lang),
                str(now["graduates_hired_by_partners"]),
                str(before["graduates_hired_by_partners"]) if before else "–",
            ],
            [
                t("ws.placement", lang),
                get("placement", lambda v: f"{_pct(v)}%", now),
                get("placement", lambda v: f"{_pct(v)}%", before),
            ],
            [t("ws.reputation", lang), get("reputation", _pct, now), get("reputation", _pct, before)],
        ]
    else:
        rows += [
            [t("ws.net_benefit_firm", lang), get("net_benefit", _num, now), get("net_benefit", _num, before)],
            [t("ws.strength", lang), get("strength", _pct, now), get("strength", _pct, before)],
            [t("ws.reputation", lang), get("reputation", _pct, now), get("reputation", _pct, before)],
        ]
    return rows


def partnership_rows(now: dict[str, Any], before: dict[str, Any] | None, lang: str) -> list[list[str]]:
    """The seat page's rows of the year's partnerships: what, this year, last year."""
    heads = [t("ws.kept_all_year", lang), t("ws.partnerships_ended", lang), t("ws.begun", lang)]
    return [[h, a, b] for h, a, b in zip(heads, partnership_cells(now, lang), partnership_cells(before, lang))]


def controls_for(view: dict[str, Any]) -> list[logic.Control]:
    keys = set(view["keys"])
    sections = {"school": SCHOOL_SECTIONS, "party": (PARTY_SECTION,), "firm": FIRM_SECTIONS}[view["side"]]
    return [c for c in logic.controls(sections) if c.key in keys]


def hire_most(room: Room) -> int:
    """The most graduates a firm may hire at one graduation: the region's graduates a year (as the room
    checks it, sim.policy.check_decision)."""
    pop = room.model.params.population
    return pop.schools * pop.cohort_size


def rule_words() -> set[str]:
    """What a firm may type for "as many as the scenario's rule asks for": the word in either language."""
    return {t("ws.rule_word", lang).casefold() for lang in LANGS}


def hire_shown(value: Any, lang: str) -> str:
    """Graduates to hire as its box shows it: a number, or the rule's word in ``lang``."""
    return t("ws.rule_word", lang) if value == pol.RULE else str(value)


def hire_allowed(most: int, lang: str) -> str:
    return t("dash.allowed", lang, allowed=t("ws.hire_allowed", lang, most=most, rule=t("ws.rule_word", lang)))


def parse_hire(text: Any, most: int, lang: str) -> Any:
    """Graduates to hire as typed: the rule's word (either language) or a whole number 0..``most``; else a
    :class:`~sim.inputs.Refusal` in the page's language."""
    if isinstance(text, str) and text.strip().casefold() in rule_words():
        return pol.RULE
    typed = shown(text.strip() if isinstance(text, str) else text, raw=True)

    def refuse(key: str) -> Refusal:
        return Refusal(
            lambda said: (
                f"{t('ws.hire', said)} = {typed}: "
                f"{t(key, said, text=typed, rule=t('ws.rule_word', said))}; {hire_allowed(most, said)}"
            ),
            lang,
        )

    if isinstance(text, bool) or not isinstance(text, (str, int)):
        raise refuse("ws.not_a_hire")
    try:
        number = int(text.strip().replace(",", "").replace("，", "")) if isinstance(text, str) else text
    except (ValueError, OverflowError):
        raise refuse("ws.not_a_hire") from None
    if not 0 <= number <= most:
        raise refuse("ws.out_of_range")
    return number


def parse_draft(view: dict[str, Any], draft: dict[str, Any], lang: str, most: int | None = None) -> dict[str, Any]:
    """The draft's values checked as the page shows them (one line on the first bad one, a
    :class:`~sim.inputs.Refusal` the page says in its language), as decisions.  Graduates to hire are
    checked here when ``most`` (:func:`hire_most`) is given, else by the room."""
    by_key = {c.key: c for c in controls_for(view)}
    out = {}
    for key, raw in draft.items():
        c = by_key.get(key)
        if c is not None:
            out[key] = logic.parse_value(c, raw, lang)
        elif key == pol.HIRE and most is not None:
            out[key] = parse_hire(raw, most, lang)
        else:
            out[key] = raw
    return out


def draft_error(view: dict[str, Any], key: str, raw: Any, most: int, lang: str) -> str | None:
    """What a box's text would be refused for, as the participant types it (None: it would be taken)."""
    try:
        parse_draft(view, {key: raw}, lang, most)
    except ScenarioError as e:
        return said(e, lang)
    return None


def said(e: ScenarioError, lang: str) -> str:
    """A refusal in ``lang``: a :class:`~sim.inputs.Refusal` in whatever language the page now shows,
    anything else as it was raised."""
    return e.text(lang) if isinstance(e, Refusal) else " ".join(str(e).split())


@dataclass(frozen=True)
class Answer:
    """The page's answer to a submission, said in whatever language the page shows when it is drawn:
    the levers changed (``None``: refused, see ``refusal``) and the year they are for."""

    changed: tuple[str, ...] | None
    year: int
    refusal: Callable[[str], str] | None = None

    def text(self, lang: str) -> str:
        if self.changed is None:
            assert self.refusal is not None
            text, refused = self.refusal(lang), t("refused", lang)
            return text if text.lower().startswith(refused.lower()) or refused in text else f"{refused}: {text}"
        if self.changed:
            return t("ws.accepted", lang, n=len(self.changed), year=self.year)
        return t("ws.accepted_none", lang, year=self.year)


def answer_draft(room: Room, seat: str, secret: str, view: dict[str, Any], draft: dict[str, Any], lang: str) -> Answer:
    """Submit a seat's draft for the year its page shows; the page's answer.  Whatever was typed, the page
    gets a line, never a traceback."""
    year = view["round"] + 1 if view["round"] is not None else view["played"]
    try:
        decisions = parse_draft(view, draft, lang, hire_most(room))  # its one line already says "refused"
        return Answer(tuple(room.submit(seat, secret, decisions, round=view["round"])), year)
    except ScenarioError as e:
        return Answer(None, year, lambda lang, refused=e: said(refused, lang))
    except (ValueError, OverflowError, RecursionError):  # a value too long or deep for any check to read
        return Answer(None, year, lambda lang: t("ws.unreadable", lang))


def submit_draft(
    room: Room, seat: str, secret: str, view: dict[str, Any], draft: dict[str, Any], lang: str
) -> tuple[list[str] | None, str | None]:
    """Submit a seat's draft for the year its page shows: (the levers it changed, None), or (None, the
    refusal in one line, in ``lang``)."""
    answer = answer_draft(room, seat, secret, view, draft, lang)
    if answer.changed is None:
        return None, answer.text(lang)
    return list(answer.changed), None


@solara.component
def SeatPage(room: Room, seat: str, secret: str, lang: solara.Reactive[str]) -> None:
    L = lang.value
    use_room_version(room, lambda: seat_key(room, seat))
    view = room.seat_view(seat, secret)
    most = hire_most(room)
    # the draft and the last answer belong to the round they were made in (a new year starts clean,
    # without a second redraw); the answer is said in the language the page shows when it is drawn
    rnd = view["round"]
    drafted, set_drafted = solara.use_state((rnd, {}), key="draft")
    answered, set_answered = solara.use_state((rnd, None), key="answer")
    draft = drafted[1] if drafted[0] == rnd else {}
    answer: Answer | None = answered[1] if answered[0] == rnd else None

    def set_draft(d: dict) -> None:
        set_drafted((rnd, d))

    # the form's callback keeps its identity across redraws (it reads the round and draft of the latest
    # one), so a new year that leaves the seat's levers as they were does not redraw the form
    latest = solara.use_ref((rnd, draft))
    latest.current = (rnd, draft)

    def change(key: str, value: Any) -> None:
        r, d = latest.current
        set_drafted((r, {**d, key: value}))

    on_value = solara.use_ref(change).current

    year = (view["round"] + 1) if view["round"] is not None else view["played"]
    side_word = t(SIDE_WORDS[view["side"]], L)

    def submit() -> None:
        got = answer_draft(room, seat, secret, view, draft, L)
        if got.changed is not None:
            set_draft({})
        set_answered((rnd, got))

    solara.Title(f"{seat_label(seat, L)} — sesim")
    page_css = ["seat-page"] if view["finished"] else ["seat-page", "with-submit"]
    with solara.Column(classes=page_css, style={"padding": "8px", "max-width": "40em", "margin": "0 auto"}):
        with solara.Row(style={"align-items": "center", "justify-content": "space-between"}):
            solara.HTML(
                tag="div",
                unsafe_innerHTML=html.escape(f"{seat_label(seat, L)} · {t('ws.room', L, code=room.code)}"),
                classes=["big", "seat-name"],
            )
            LangSwitch(lang)
        if view["ended"] or view["finished"]:
            status = t("ws.all_played", L, rounds=view["rounds"]) + " — " + t("ws.ended", L)
        else:
            status = t("ws.year_of", L, year=year, rounds=view["rounds"])
        solara.HTML(
            tag="div",
            unsafe_innerHTML=html.escape(status),
            classes=["year-status", f"year-{year}"],
            style={"font-size": "1.15em", "font-weight": "600"},
        )
        if view["debrief"]:
            DebriefLinks(L)
        elif view["ended"]:
            solara.Text(t("ws.debrief_wait", L))
        if view["paused"]:
            solara.Warning(t("ws.paused", L), classes=["paused"])
        if not view["finished"]:
            if view["submitted"]:
                solara.Success(t("ws.submitted", L, year=year), classes=["submitted"])
            else:
                solara.Info(t("ws.not_submitted", L, year=year), classes=["not-submitted"])
        with solara.Card(t("ws.seen", L, side=side_word), margin=0, classes=["seen-card"]):
            played = view["played"]
            head = ["", t("ws.this_year", L) if played else t("ws.start", L), t("ws.last_year", L)]
            _table(head, seen_rows(view, L), "seen")
        if not view["finished"]:
            with solara.Card(t("ws.decisions", L), margin=0, classes=["decisions-card"]):
                solara.Text(t("ws.decisions_note", L), style={"font-size": "0.9em"})
                DecisionForm(view["side"], tuple(view["keys"]), view["levers"], draft, on_value, most, L)
            # the answer and Submit in a bar fixed to the bottom of the screen: reachable without scrolling
            # through the form, and nothing of Solara's drawn over it (its banner is off, see server.build_app)
            with solara.Column(classes=["submit-bar"], gap="0px"):
                if answer is not None and answer.changed is None:
                    solara.Error(answer.text(L), classes=["refusal"], dense=True)
                elif answer is not None:
                    solara.Success(answer.text(L), classes=["accepted"], dense=True)
                solara.Button(
                    t("ws.submit", L, year=year),
                    color="primary",
                    on_click=submit,
                    disabled=view["paused"],
                    classes=["submit"],
                )


@solara.component
def DecisionForm(
    side: str,
    keys: tuple[str, ...],
    levers: dict[str, Any],
    draft: dict[str, Any],
    on_value: Callable[[str, Any], None],
    most: int,
    lang: str,
) -> None:
    """The seat's levers as inputs, each showing the draft's value or the one in force; redrawn only when
    one of its arguments changes.  A number box says its range (and unit) under it, and as the participant
    types, whether Submit would refuse the value and why (checked on every keystroke, docs/odd.md §11)."""
    view = {"side": side, "keys": keys}

    def setter(key: str) -> Callable[[Any], None]:
        return lambda v: on_value(key, v)

    def box(key: str, label: str, shown: str, allowed: str, css: list[str]) -> None:
        error = draft_error(view, key, draft[key], most, lang) if key in draft else None
        solara.InputText(
            label,
            value=shown,
            on_value=setter(key),
            error=error or False,
            message=allowed,
            classes=[*css, "refused-box"] if error else css,
            continuous_update=True,
        )

    for c in controls_for(view):
        value = draft.get(c.key, levers[c.key])
        label = c.label(lang)
        css = [f"lever-{c.key.replace('.', '-')}"]
        if c.kind == "switch":
            solara.Switch(label=label, value=bool(value), on_value=setter(c.key), classes=css)
        elif c.kind == "menu":
            names = {logic.choice_label(x, lang): x for x in c.choices}
            solara.Select(
                label,
                values=list(names),
                value=logic.choice_label(value, lang),
                on_value=lambda shown, k=c.key, names=names: setter(k)(names.get(shown, shown)),
                classes=css,
            )
        else:
            shown = value if isinstance(value, str) else logic.format_value(c, value, lang)
            box(c.key, label, shown, t("dash.allowed", lang, allowed=c.allowed(lang)), css)
    if side == "firm":
        for key in keys:
            if key.startswith("partnership:school") and key.endswith(":leave"):
                school = f"school:{key.split(':')[1][len('school') :]}"
                solara.Switch(
                    label=t("ws.leave", lang, school=seat_label(school, lang)),
                    value=bool(draft.get(key, levers.get(key, False))),
                    on_value=setter(key),
                    classes=[f"decision-leave-{seat_slug(school)}"],
                )
        solara.Switch(
            label=t("ws.accept_new", lang),
            value=bool(draft.get(pol.ACCEPT_NEW, levers[pol.ACCEPT_NEW])),
            on_value=setter(pol.ACCEPT_NEW),
            classes=["decision-accept-new"],
        )
        hire = draft[pol.HIRE] if pol.HIRE in draft else hire_shown(levers[pol.HIRE], lang)
        box(pol.HIRE, t("ws.hire", lang), str(hire), hire_allowed(most, lang), ["decision-hire"])


@solara.component
def DebriefLinks(lang: str) -> None:
    """The debrief report's links, one per language (every page shows them once it is written)."""
    with solara.Row(style={"flex-wrap": "wrap"}):
        for code in ("zh", "en"):
            solara.Button(
                f"{t('ws.debrief_link', lang)} ({LANG_NAMES[code]})",
                href=f"/debrief/report-{code}.html",
                target="_blank",
                color="primary",
                classes=[f"debrief-{code}"],
            )


# ------------------------------------------------------------------ the facilitator
def region_chart(history: list[tuple[int, dict[str, float]]], lang: str) -> bytes:
    """Two panels by year: the region (firm retention, graduate retention, skill) and 互利·同强·齐荣
    (both sides' net benefit; strength and reputation)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis import plots
    from sim.metrics import metric_label

    with plots.DRAWING:  # the debrief may be drawing in its own thread
        cjk = plots.use_language("zh") == "zh"  # 互利·同强·齐荣 is in both languages' titles
        shown = lang if cjk else "en"
        years = [r + 1 for r, _ in history]
        fig, axes = plt.subplots(1, 3, figsize=(13, 3.6))
        ax = axes[0]
        for m in REGION[:3]:
            ax.plot(years, [h[m] * PERCENT for _, h in history], marker="o", label=metric_label(m, shown))
        ax.set_title(t("ws.region", shown), loc="left", fontsize=10)
        ax.set_ylim(0, PERCENT)
        ax.legend(fontsize=7.5, loc="lower left")
        ax = axes[1]
        for m, word in (("firm_net_benefit", "ws.firms_side"), ("school_net_benefit", "ws.schools_side")):
            ax.plot(
                years, [h[m] for _, h in history], marker="o", label=f"{t(word, shown)}: {t('ws.net_benefit', shown)}"
            )
        ax.axhline(0, color="0.5", lw=0.8)
        mutual = t("ws.mutual", shown) if cjk else t("ws.mutual_words", "en")  # no font draws 互利·同强·齐荣
        ax.set_title(f"{mutual} — {t('ws.net_benefit', shown)}", loc="left", fontsize=10)
        ax.legend(fontsize=7.5)
        ax = axes[2]
        for m in ("firm_strength", "school_strength", "reputation", "firm_reputation"):
            ax.plot(years, [h[m] * PERCENT for _, h in history], marker="o", label=metric_label(m, shown))
        ax.set_title(f"{mutual} — {t('ws.strength', shown)}", loc="left", fontsize=10)
        ax.legend(fontsize=7.5)
        for ax in axes:
            ax.set_xlabel(t("ws.per_year", shown), fontsize=8)
            ax.set_xticks(years, [t("ws.start", shown) if y == 0 else str(y) for y in years])
            ax.grid(color="0.92")
            ax.tick_params(labelsize=8)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=90)
        plt.close(fig)
        return buf.getvalue()


def _clock(seconds: float) -> str:
    m, s = divmod(int(seconds), 60)
    return f"{m:02d}:{s:02d}"


@solara.component
def Timer(room: Room, lang: str) -> None:
    now, set_now = solara.use_state(room.timer(), key="timer")
    session = page_session()

    async def tick() -> None:
        closed = threading.Event()
        on_page_close(session, closed.set)
        while not closed.is_set():
            await asyncio.sleep(1)
            if not closed.is_set():
                set_now(room.timer())

    solara.lab.use_task(tick, dependencies=[])
    solara.Text(t("ws.timer", lang, time=_clock(now)), classes=["timer"], style={"font-size": "1.1em"})


@solara.component
def FacilitatorPage(workshop: "server.Workshop", lang: solara.Reactive[str]) -> None:
    L = lang.value
    room = workshop.room
    use_room_version(room, last=True)
    view = room.facilitator_view()
    confirm, set_confirm = solara.use_state(False)
    error, set_error = solara.use_state(None)
    played = view["played"]
    chart = solara.use_memo(lambda: region_chart(view["history"], L), [played, L, view["ended"]])
    qr = solara.use_memo(lambda: server.qr_svg(workshop.join_url), [workshop.join_url])

    shown_round = view["round"]

    def advance() -> None:
        try:
            room.advance(round=shown_round)  # the year this page showed: a second click plays nothing
            set_error(None)
        except ScenarioError as e:
            set_error(e)

    def end() -> None:
        if not confirm:
            set_confirm(True)
            return
        set_confirm(False)
        workshop.end()

    solara.Title(t("ws.host_title", L, code=room.code))
    with solara.Column(style={"padding": "10px"}, classes=["host-page"]):
        with solara.Row(style={"align-items": "center", "justify-content": "space-between"}):
            solara.HTML(tag="h2", unsafe_innerHTML=html.escape(t("ws.host_title", L, code=room.code)))
            LangSwitch(lang)
        with solara.Row(style={"align-items": "flex-start", "flex-wrap": "wrap", "gap": "24px"}):
            with solara.Column(style={"min-width": "20em", "flex": "1"}):
                status = (
                    t("ws.all_played", L, rounds=view["rounds"])
                    if view["finished"]
                    else t("ws.year_of", L, year=view["round"] + 1, rounds=view["rounds"])
                )
                solara.HTML(
                    tag="div",
                    unsafe_innerHTML=html.escape(status),
                    classes=["year-status"],
                    style={"font-size": "1.6em", "font-weight": "700"},
                )
                # only what can still act: a year to play has its timer, count, Advance and Pause; a game
                # not ended has End; an ended one its debrief (docs/odd.md §11)
                if not view["finished"]:
                    Timer(room, L)
                    if view["paused"]:
                        solara.Warning(t("ws.paused", L))
                    people = [s for s in view["seats"] if s["taken"]]
                    solara.Text(
                        t("ws.submitted_count", L, n=sum(s["submitted"] for s in people), m=len(people)),
                        classes=["submitted-count"],
                    )
                if not view["ended"]:
                    with solara.Row(style={"flex-wrap": "wrap"}):
                        if not view["finished"]:
                            solara.Button(t("ws.advance", L), color="primary", on_click=advance, classes=["advance"])
                            solara.Button(
                                t("ws.resume" if view["paused"] else "pause", L),
                                on_click=lambda: room.set_paused(not room.paused),
                                classes=["pause"],
                            )
                        solara.Button(
                            t("ws.end_confirm" if confirm else "ws.end", L),
                            color="error" if confirm else None,
                            on_click=end,
                            classes=["end"],
                        )
                if error is not None and not view["finished"]:
                    solara.Error(said(error, L))
                if workshop.journal_error:
                    solara.Error(t("ws.journal_error", L, error=workshop.journal_error), classes=["journal-error"])
                if view["debrief"]:
                    DebriefLinks(L)
                    solara.Text(t("ws.debrief_at", L, path=str(view["debrief"])), classes=["debrief-at"], style=SMALL)
                else:
                    if workshop.debrief_error:
                        solara.Error(t("ws.debrief_failed", L, error=workshop.debrief_error), classes=["debrief-error"])
                        solara.Button(t("ws.debrief_retry", L), on_click=workshop.end, classes=["debrief-retry"])
                    elif view["ended"]:
                        solara.Text(t("ws.debrief_wait", L), classes=["debrief-wait"])
                        if workshop.debrief_runs is not None:
                            done, total = workshop.debrief_runs
                            solara.Text(t("ws.debrief_runs", L, done=done, total=total), classes=["debrief-runs"])
                    solara.Text(t("ws.journal_at", L, path=str(workshop.journal)), classes=["journal-at"], style=SMALL)
            with solara.Column(style={"align-items": "center"}):
                if qr:
                    solara.HTML(tag="div", unsafe_innerHTML=qr, classes=["qr"])
                solara.HTML(
                    tag="div",
                    unsafe_innerHTML=f"<b>{html.escape(t('ws.join_at', L))}</b> "
                    f"<code class='join-url'>{html.escape(workshop.join_url)}</code>",
                    style={"max-width": "26em", "word-break": "break-all", "font-size": "0.85em"},
                )
        rows = [
            [
                seat_label(s["seat"], L),
                t("ws.joined", L) if s["taken"] else t("ws.rule", L),
                (t("ws.done", L) if s["submitted"] else t("ws.waiting", L)) if s["taken"] else "–",
            ]
            for s in view["seats"]
        ]
        with solara.Card(t("ws.seats", L), margin=0):
            _table([t("seat", L), t("ws.who", L), t("ws.state", L)], rows, "seats")
        solara.Image(chart, classes=["region-chart"])


@solara.component
def Bare(children: list = []) -> None:  # noqa: B006  (Solara's layout signature)
    """The pages' layout: the page itself, without Solara's app bar and route tabs (a seat must not see
    a link to the facilitator's page, nor the facilitator a seat's)."""
    solara.Column(children=children, style={"padding": "0", "margin": "0"})


# Solara's router: /host and /seat/<seat> (RoomGate answers every other path before Solara sees it)
routes = [
    solara.Route(path="host", component=Page, layout=Bare),
    solara.Route(path="seat", component=Page, layout=Bare),
]
