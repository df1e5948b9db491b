"""The /settings panel's buttons (ChangeSetting "s:<name>:<value>"): one small change per
setting, then the panel drawn again as it is now."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Literal, Unpack

from bot.catalog.models import TOOLS
from bot.domain.times_of_day import format_time
from bot.services import reminders
from bot.services.accounts import Account, SettingsChange, save_settings
from bot.telegram import pressed, render
from bot.telegram.bot_profile import set_chat_menu
from bot.telegram.button_handlers import UserPress
from bot.telegram.callback_fields import HourMinute
from bot.telegram.handlers import safety_profile
from bot.telegram.handlers.settings import settings_view

# One setting's change: the user as they are afterwards, or None when the press has been
# answered already (the value refused, or something else shown instead of the panel).
Change = Callable[[UserPress, str], Awaitable[Account | None]]


async def change_setting(press: UserPress, name: str, value: str) -> None:
    user = await _CHANGES.get(name, _refuse)(press, value)
    if user is None:
        return
    await pressed.answer(press.query, press.svc.catalog.text(user.language, "settings_saved"))
    text, keyboard = await settings_view(press.svc, user)
    # Unchanged when the same choice is pressed twice: nothing new to show then.
    await pressed.replace(press.query, text, keyboard)


async def _refuse(press: UserPress, value: str) -> Account | None:
    """An unknown setting or value (forged, or an older version's button): nothing changes."""
    await press.refuse()
    return None


async def _save(press: UserPress, **changes: Unpack[SettingsChange]) -> Account:
    return await save_settings(press.svc, press.user.id, **changes) or press.user


async def _language(press: UserPress, value: str) -> Account | None:
    """Everything in the new language at once: the texts from now on, and the chat's menu."""
    if value not in press.catalog.locales:
        return await _refuse(press, value)
    user = await _save(press, language=value)
    await set_chat_menu(press.query.get_bot(), press.catalog, user.chat_id, value)
    return user


async def _default_routine(press: UserPress, value: str) -> Account | None:
    # catalog.daily falls back to another routine for an unknown id: only an exact match.
    chosen = press.catalog.daily(press.locale, value)
    if chosen is None or chosen.id != value:
        return await _refuse(press, value)
    return await _save(press, default_routine=value)


def _on_off(setting: Literal["nudges", "ratings", "animations"]) -> Change:
    async def change(press: UserPress, value: str) -> Account | None:
        if value not in ("on", "off"):
            return await _refuse(press, value)
        on = value == "on"
        if setting == "nudges":
            return await _save(press, nudges=on)
        if setting == "ratings":
            return await _save(press, ratings=on)
        return await _save(press, animations=on)

    return change


async def _show_profile(press: UserPress, value: str) -> Account | None:
    if value != "show":
        return await _refuse(press, value)
    await press.answer()
    await safety_profile.show(press.svc, press.query.get_bot(), press.user)
    return None


async def _toggle_tool(press: UserPress, value: str) -> Account | None:
    if value not in TOOLS:
        return await _refuse(press, value)
    have = set(press.user.tools) ^ {value}
    return await _save(press, tools=",".join(tool for tool in TOOLS if tool in have))


async def _toggle_reminder(press: UserPress, value: str) -> Account | None:
    """A reminder preset (written as HourMinute writes it, "0730") on or off."""
    try:
        at = HourMinute().load(value)
    except ValueError:
        return await _refuse(press, value)
    if at not in render.REMINDER_PRESETS:
        return await _refuse(press, value)
    user = press.user
    if reminders.inside_quiet_hours(user, at):
        await press.answer(
            "remind_in_quiet_hours",
            time=format_time(at),
            window=render.window_label(user.quiet_hours),
        )
        return None
    try:
        await reminders.toggle(press.svc, user, at)
    except reminders.TooManyReminders:
        await press.answer("reminders_limit")
        return None
    return user


_CHANGES: dict[str, Change] = {
    "lang": _language,
    "routine": _default_routine,
    "ratings": _on_off("ratings"),
    "profile": _show_profile,
    "tool": _toggle_tool,
    "nudge": _on_off("nudges"),
    "anim": _on_off("animations"),
    "rem": _toggle_reminder,
}
