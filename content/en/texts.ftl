# Interface texts for English, in Project Fluent (https://projectfluent.org): Telegram HTML
# (b, i, u, s, code, pre, a, blockquote). { $variables } are filled in by the bot (texts
# escaped, numbers written the locale's way); a count picks its words with a select on its
# plural form ({ $days -> [one] ... *[other] ... }). This file is the reference locale: every
# other locale translates every message, with the same variables and its own plural forms.

language_name = English

# The command menu (setMyCommands): short, no HTML.
cmd_routine = Start today's face routine
cmd_depuff = De-puff after a flight or a late night
cmd_settings = Language, routine length and reminders
cmd_safety = When not to massage, and when to see a doctor
cmd_remind = Daily reminder: /remind 7:30 or /remind off
cmd_flight = Flying? /flight now or /flight 18:30 (landing time)
cmd_quiet = Quiet hours: /quiet 22:00-07:00 or /quiet off
cmd_timezone = Your time zone: /timezone Europe/Berlin or +03:00
cmd_streak = Your streak and calendar
cmd_progress = Routines per week and puffiness over time
cmd_profile = Your safety answers, and what they change
cmd_daystart = When your day starts: /daystart 04:00
cmd_export = Everything I keep about you, as a file
cmd_delete = Erase everything I keep about you
cmd_help = What I can do
cmd_start = Introduction

# The bot's profile (setMyDescription: on an empty chat, at most 512 characters;
# setMyShortDescription: on the profile and in shares, at most 120). Plain text, no HTML.
bot_description =
    A daily facial self-massage coach: gentle routines step by step, with a picture of every stroke, reminders at your own local time, and a careful check after flights and late nights.

    General wellbeing guidance, not medical advice. Press Start to begin.
bot_short_description = Gentle facial self-massage, step by step, every day. Not medical advice.

welcome_new =
    Hello, { $name }! I'm your face-massage coach.

    A few minutes of gentle self-massage every day can help your skin feel fresher and ease puffiness. The effect builds up slowly, over weeks, so the secret is doing it regularly. I'll walk you through each routine one step at a time: press a button for the next step, or let me move on by myself while your hands are busy.

    First, please read the safety note below.
welcome_back = Welcome back, { $name }! Here is the safety note again, then you're all set.
onboarding_defaults =
    <b>You're ready.</b> I've set you up with the <b>{ $routine }</b> and { $language }; change either in /settings.

    /routine starts today's routine
    /depuff helps after a flight or a late night
    /safety shows the note above any time
    /help lists everything
# The zones offered as buttons at onboarding (IANA names, comma-separated), those this
# language's users most often live in; each button shows the city in the user's language.
onboarding_zones = Europe/London, Europe/Berlin, Europe/Moscow, America/New_York, America/Chicago, America/Los_Angeles, Asia/Kolkata, Asia/Tokyo, Australia/Sydney
onboarding_timezone = One more thing, for reminders at your own local time: which time zone are you in? I've assumed <b>{ $zone }</b>. Tap one below, or type e.g. <code>/timezone Asia/Singapore</code> or <code>/timezone +03:00</code>. Then <code>/remind 7:30</code> sets a daily reminder.
help =
    <b>What I can do</b>

    /routine: today's routine, step by step (or <code>/routine quick</code>; <code>/routine help</code> explains every step in full)
    /depuff: a de-puffing routine after a flight or a late night (<code>/depuff flight</code>, <code>/depuff party</code>)
    /remind 7:30: a daily reminder at your local time; if you have others, I ask whether to replace them or add it (<code>/remind add 21:00</code> adds one, <code>/remind off</code> stops them)
    /flight: flying today? I'll check in after you land (<code>/flight now</code> or <code>/flight 18:30</code>)
    /quiet 22:00-07:00: quiet hours, when snoozes and check-ins wait
    /timezone: your time zone, e.g. <code>/timezone Europe/Berlin</code> or <code>/timezone +03:00</code>
    /settings: language, your usual routine, up to three daily reminders, evening nudges, and the tools you have (vacuum cups, gua sha)
    /streak: days in a row, your best, freezes, and a calendar of the last 12 weeks
    /progress: routines per week and how puffy your face felt over time
    /daystart 04:00: when your day starts (a routine before then counts for the day before)
    /profile: your safety answers (recent injections, sensitive skin, thyroid, pregnancy) and what they change
    /export: everything I keep about you, as a file
    /delete: erase everything I keep about you
    /safety: when not to massage, and when to see a doctor
    /start: the introduction again

    During a routine, <b>Next</b> moves on, <b>Pause</b> holds the step, <b>More</b> shows the step in detail, <b>Stop</b> ends the routine. With <b>hands-free</b> each step moves on by itself when its time is up, so you don't have to touch the phone with oily fingers.

safety_number = Where you are (going by your time zone), call <b>{ $number }</b>.
safety_see_a_doctor_if = <b>See a doctor first, not a massage:</b>
safety_do_not_massage_if = <b>Not today: skip the massage when</b>
safety_ask_first_if = <b>Ask your doctor first if:</b>
safety_good_practice = <b>Good practice:</b>

routine_intro_header = <b>{ $title }</b> · { $minutes } · { $steps ->
        [one] { $steps } step
       *[other] { $steps } steps
    }
routine_intro_header_fitted = <b>{ $title }</b> · { $minutes } · { $steps ->
        [one] { $steps } step
       *[other] { $steps } steps
    } (shortened from { $full }: { $left_out } left out for your safety profile)
routine_intro_modes = Press <b>Start</b> to go step by step, or <b>Hands-free</b> to have each step follow the last when its time is up.
routine_choose = Which routine would you like?
routine_choice_item = { $title } · { $minutes }
routine_unknown = I don't have a routine called “{ $name }”. Here is what I have:
run_in_progress = You're in the middle of <b>{ $title }</b>: step { $step } of { $total }. Continue where you left off, or start again?
routine_stopped = Routine stopped. That's fine: come back whenever you like with /routine.
routine_done = <b>Well done!</b> “{ $title }” is complete.
routine_recorded = ✅ Counted for your day { $day }.
routine_already_recorded = ✅ Already counted for { $day }; doing it twice is a treat, not a must.

streak_in_a_row = 🔥 Days in a row: <b>{ $days }</b> (best: { $best }).
streak_milestone = 🎉 <b>{ $days ->
        [one] { $days } day in a row!
       *[other] { $days } days in a row!
    }</b> That is real regularity, and regularity is what this care is about.
streak_freeze_used = ❄️ Streak freezes covered the days you missed ({ $count }), so your run goes on.
streak_freeze_earned = ❄️ Seven days in a row earned you a streak freeze: it covers one missed day. You hold { $held } of { $most }.
streak_fresh_start = A new run starts today. Your best stays on record, and every day still counts.
streak_caption =
    <b>Your streak</b>
    🔥 Days in a row: <b>{ $current }</b>
    🏆 Best: { $best } · 📅 Days in total: { $total }
    ❄️ Freezes held: { $freezes } of { $most }
    📈 Last 30 days: { $consistency } of 30
    { $week }
streak_today_done = Today is counted ✅
streak_today_rest = 🌿 Today is a rest day: it counts neither way, so your run goes on.
streak_today_open = Today is still open: a routine before { $day_start } tomorrow morning counts for it.
streak_freezes_pending = ❄️ Days you missed: { $count }. Your next routine uses a streak freeze for each, and the run goes on.
streak_ended = Your last run has ended; the next routine starts a new one.
streak_none_yet = No days yet: your first routine starts your streak. /routine
button_streak_rules = How streaks work
button_log_yesterday = ✅ I did it yesterday
streak_rules =
    <b>How streaks work</b>

    • A day counts when you finish any routine on it, daily or de-puffing. Doing two on one day still counts one day.
    • Your day ends at <b>{ $day_start }</b>, not at midnight: a routine at 1 a.m. counts for the evening before. Change it with <code>/daystart 05:00</code>.
    • Your streak is the days in a row up to today, or up to yesterday while today is still open.
    • Every 7 days in a row earn a <b>freeze</b>, and you can hold { $most }. A freeze covers one missed day by itself. If you miss more days than you have freezes, a new run starts and your freezes stay.
    • Forgot to tell me? “I did it yesterday” on /streak counts yesterday, until your day ends today.
    • Changing time zone or travelling never breaks a day or counts one twice.
    • “Last 30 days” shows how regular you are: one missed day barely moves it.
streak_logged = Counted ✅ for { $day }.
streak_log_too_late = Only yesterday can be logged, and that day has passed. Today is a fresh chance: /routine
streak_already_counted = { $day } is already counted.
calendar_weekdays = Mon Tue Wed Thu Fri Sat Sun
calendar_months = Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec
calendar_done = done
calendar_frozen = freeze
calendar_missed = missed
calendar_rest = rest
calendar_today = today

progress_caption =
    <b>Your progress</b>
    Routines in the last { $weeks ->
        [one] week
       *[other] { $weeks } weeks
    }: { $routines } · days with a routine: { $days }
    This week so far: { $this_week } · weekly average: { $average }
    Check-ins of puffiness or tightness: { $checkins }
progress_puffiness_change = After a routine, your puffiness or tightness rating changed by { $change } on average (routines rated before and after: { $pairs }).
progress_nothing_yet = Nothing to show yet. Your first routine starts the picture: /routine
chart_weeks_title = Routines per week
chart_checkins_title = Puffiness or tightness (0 to 10)
chart_no_checkins = No check-ins yet
chart_red_flag = doctor first
chart_change = before and after a routine
chart_cause_flight = after a flight
chart_cause_party = after a late night

daystart_current = Your day starts at <b>{ $time }</b>: a routine before then counts for the day before. Change it with, for example, <code>/daystart 05:00</code>.
daystart_set = Your day now starts at <b>{ $time }</b>. Your streak was recounted with it.
daystart_invalid = Please give a time between 00:00 and 06:00, like <code>/daystart 04:00</code>. Nothing was changed.
tips_header = <b>A few tips:</b>

depuff_ask_cause = What's behind the puffiness today?
depuff_unknown_cause = I don't know “{ $cause }”. I have de-puffing routines for after a flight and after a late night:
checkin_rating = How puffy does your face feel right now? <b>0</b> is not at all, <b>10</b> is very puffy.
checkin_rating_after = How puffy does your face feel now, from 0 to 10?
routine_rating_before = Before we start: how puffy or tight does your face feel, from <b>0</b> (not at all) to <b>10</b> (very)? Comparing it with afterwards shows what the routine does for you. (Turn these questions off in /settings.)
routine_rating_after = And now: how puffy or tight does your face feel, from 0 to 10?
button_rating_skip = Skip
chart_cause_daily = before a routine
redflags_question = <b>Before any massage, a quick safety check.</b> Do you have any of these right now? Tap the first heading that fits, or “None of these”.
rest_day_again = <b>Today is a rest day.</b> Earlier today you told me about a sign that needs care rather than massage, so no routine today. Here is the advice again:
rest_day_note = <i>So today is a rest day: no massage, and no reminders until tomorrow. Your streak is safe, as a rest day never counts as missed.</i>
checkin_suggest = Thank you. For puffiness of { $rating }/10 after { $cause }, here is the routine I suggest:
cause_flight = a flight
cause_party = a late night
checkin_after_skipped = Skipped: nothing noted this time.
checkin_nothing_to_depuff = 0 out of 10: nothing to de-puff today. Good news! Here is your usual routine instead, if you'd like it.
checkin_after_thanks = Thanks, noted: { $before } before, { $after } now.
checkin_after_noted = Thanks, noted: { $after } now.
step_header = Step { $number } of { $total } · { $title } · ⏱ { $duration }
step_cue = <b>{ $cue }</b>
step_more = <blockquote>{ $more }</blockquote>
step_fitted_note = 🛡 { $note }
routine_fitted_header = 🛡 <b>Fitted to your safety profile:</b>
routine_left_out = Left out today: { $steps }.
routine_nothing_left = With today's safety answers, no step of this routine is suitable. /routine offers the others; /profile shows your answers.
stop_sign_today = <b>No massage today.</b> You told me about a fever, an infection, an open wound, a recent injury or a blood clot. Massage could make these worse, so today is a rest day: gentle cleansing, your usual moisturiser, plenty of water and sleep, and no reminders until tomorrow. Your streak is safe, as a rest day never counts as missed. See a doctor if it doesn't settle; /safety lists the signs that need help sooner. I'll ask again tomorrow.
step_direction = <i>Direction:</i> { $direction }
step_avoid = <i>Avoid:</i> { $avoid }
step_hands_free = <i>Hands-free: the next step comes by itself in { $duration }. Pause if you need longer.</i>

# A routine's length as people say it (never shorter than it takes): under ten minutes to
# the nearest minute, then the five-minute span it falls in.
duration_about = about { $minutes } min
duration_span = { $low }–{ $high } min
duration_seconds = { $seconds } s
duration_minutes = { $minutes } min
duration_minutes_seconds = { $minutes } min { $seconds } s

button_start = ▶️ Start
button_start_hands_free = 🙌 Hands-free
button_other_routines = Other routines
button_continue = ▶️ Continue
button_start_over = 🔄 Start again
button_next = Next ▶️
button_done = Done ✅
button_pause = ⏸ Pause
button_more = ℹ️ More
button_less = ℹ️ Less
routine_help_header = <b>{ $title }</b> · { $minutes }: every step in full
routine_help_step = <b>{ $number }. { $title }</b>: { $cue }
routine_help_unknown = I don't have a routine called “{ $name }”. <code>/routine help</code> explains your usual one; <code>/routine help quick</code> another.
routine_needs_tool = “{ $title }” needs { $tool }. If you have one, say so in /settings and it will be offered to you.
button_resume = ▶️ Resume
button_stop = ⏹ Stop
button_snooze_30 = ⏰ In 30 min
button_snooze_60 = ⏰ In 1 hour
button_skip_today = Skip today
button_checkin_no = No: today's routine
button_redflag_none = ✅ None of these
button_cause_flight = ✈️ After a flight
button_cause_party = 🌙 After a late night or a party
button_checkin_flight = ✈️ Check in now
button_checkin_party = 🌙 Check in now

press_paused = Paused. Press Resume when you're ready.
press_stale = That button belongs to an earlier step, so nothing changed.
press_closed = That routine has already ended. Start a new one with /routine.
press_replaced = That routine was replaced by a newer one, so nothing changed. /routine shows where you are.
press_not_yours = That button belongs to someone else's routine.
press_invalid = That button doesn't work any more. Try /routine.

settings =
    <b>Settings</b>

    Language: { $language }
    Usual routine: { $routine }
    Reminders: { $reminders } ({ $zone })
    Quiet hours: { $quiet }
    Day starts at: { $day_start } (/daystart)

    Tools you have: { $tools }

    Tap to change. Up to three reminders a day; other times with <code>/remind add 18:00</code>, your zone with /timezone. Say which tools you have and their routines are offered in /routine.
settings_none = none
reminders_limit = You can keep up to three reminders a day. Turn one off first.
settings_saved = Saved.
nudges_on = 🌙 Evening nudge: on
nudges_off = 🌙 Evening nudge: off
ratings_on = 📊 Ratings before/after: on
ratings_off = 📊 Ratings before/after: off
# Off: each step comes as a still diagram instead of a short looping animation.
animations_on = 🎞 Animated steps: on
animations_off = 🎞 Animated steps: off
tool_cups = vacuum cups
tool_gua_sha = a gua sha stone
button_tool_cups = Vacuum cups
button_tool_gua_sha = Gua sha stone
button_safety_profile = 🛡 Safety profile

reminder_streak = 🔥 Today would make it <b>{ $days }</b> { $days ->
        [one] day
       *[other] days
    } in a row.
button_nudge_start = Start the quick routine
nudge =
    🌙 A gentle nudge: your run of <b>{ $days }</b> { $days ->
        [one] day
       *[other] days
    } in a row ends tonight unless you find a few minutes. Even the quick routine counts.

    (Only when a run is at stake, at most once a day. Turn it off in /settings.)
reminder =
    🌿 <b>Time for your face routine.</b> A few quiet minutes, just for you.

    Did you fly, or have a late night or a party, in the last day?
flight_ask = ✈️ Just landed? Tap below to check in now (or send <code>/flight now</code>). Flying later? Send your local landing time, like <code>/flight 18:30</code>, or <code>/flight 18:30 Asia/Tokyo</code> with the destination's time zone, and I'll check in a few hours after you land.
flight_scheduled = Safe travels! Landing at { $landing } on { $landing_day }, so I'll ask how your face feels at <b>{ $time }</b> on { $day } ({ $zone }). Landing in another time zone? Add it, like <code>/flight 18:30 Asia/Tokyo</code>, or switch with /timezone.
flight_invalid = I couldn't read “{ $text }” as a landing time. Use <code>/flight now</code> if you have just landed, or the local landing time in 24-hour form, like <code>/flight 18:30</code> or <code>/flight 18:30 Asia/Tokyo</code>. Nothing was changed.
flight_checkin = ✈️ <b>Welcome back.</b> Flights often leave the face a little puffy. Shall we check in? A quick safety question first, then how your face feels.
flight_landed = ✈️ <b>Welcome back!</b> Flights often leave the face a little puffy, so let's check in now: a quick safety question first, then how your face feels.
free_text_puffy = That sounds like a puffy face. I can help: a quick safety check first, then a gentle de-puffing routine. What's behind it?
free_text_flight = Welcome back! A flight often leaves the face puffy. I can help: a quick safety check first, then a gentle de-puffing routine (/depuff any time).
free_text_party = A late night often shows in the face the next morning. I can help: a quick safety check first, then a gentle de-puffing routine (/depuff any time).
# Words (comma-separated, any case; a small typo is forgiven) that make a free-text message
# an offer of /depuff: for a flight, for a late night, or puffiness of either cause.
# What /remind and /quiet take as "switch it off" (exactly, any case: "on" is one slip from
# "no"); the default language's words work in every language, as /help shows them.
words_off = off, stop, none, no
# What /flight takes as "I have just landed" (the whole argument, a small typo forgiven).
words_landed = now, landed, just now, just landed, i landed, i have landed, i've landed, arrived, just arrived
# With a flight named, words that put it still ahead ("a flight tomorrow"): the answer is how to
# get a check-in after landing, not "welcome back".
words_future = flying, tomorrow, tonight, later, soon, next, will, going to, leaving, boarding, take off, departure, before my flight
words_flight = landed, just landed, flight, flew, flying, plane, jet lag, jetlag, airport, long haul
words_party = party, partied, hangover, hungover, late night, night out, drinks, drinking, drank, drunk, wine, clubbing, wedding
words_puffy = puffy, puffiness, puffed, swollen, swelling, bloated, depuff, de-puff, bags under my eyes, eye bags
quiet_current = Quiet hours: <b>{ $window }</b> ({ $zone }). Set them with <code>/quiet 22:00-07:00</code>, or <code>/quiet off</code>.
quiet_set = Quiet hours set: <b>{ $window }</b> ({ $zone }). Snoozes and check-ins that fall inside wait until they end.
quiet_off = Quiet hours are off.
quiet_none = You have no quiet hours. Set them with <code>/quiet 22:00-07:00</code>: snoozes and check-ins that fall inside wait until they end.
quiet_invalid = I couldn't read “{ $text }” as quiet hours. Give a start and an end in 24-hour time, like <code>/quiet 22:00-07:00</code>, or <code>/quiet off</code>. Nothing was changed.
quiet_conflict = Your reminder at { $times } falls within { $window }. Move it first (/remind or /settings); nothing was changed.
remind_in_quiet_hours = { $time } falls within your quiet hours ({ $window }). Pick another time or change them with /quiet; nothing was changed.
snoozed = I'll remind you again at { $time }.
skipped_today = Okay, no more reminders today. See you tomorrow.
remind_set = Done: I'll remind you every day at <b>{ $time }</b> ({ $zone }).
remind_off = Reminders are off. /remind 7:30 switches them back on.
remind_none = You have no reminder yet. Set one with, for example, <code>/remind 7:30</code> (24-hour time, in { $zone }).
remind_current = I remind you every day at <b>{ $times }</b> ({ $zone }). /remind off switches it off.
remind_invalid = I couldn't read “{ $text }” as a time. Use the 24-hour clock, for example <code>/remind 7:30</code>, <code>/remind 21:00</code> or <code>/remind 0730</code>; <code>/remind add 21:00</code> adds a second one, <code>/remind off</code> stops them. Nothing was changed.
remind_added = Added: I'll also remind you at <b>{ $time }</b>. Your reminders: { $times } ({ $zone }).
remind_ask = You already have reminders at <b>{ $times }</b> ({ $zone }). Replace them all with <b>{ $time }</b>, or add { $time } to them?
remind_ask_full = You already have three reminders, the most a day: <b>{ $times }</b> ({ $zone }). Replace them all with <b>{ $time }</b>?
remind_ask_only = Your reminders are at <b>{ $times }</b> ({ $zone }), { $time } among them. Keep only { $time }?
button_remind_replace = Replace all with { $time }
button_remind_only = Keep only { $time }
button_remind_add = Add { $time }
button_remind_keep = Keep as they are
remind_replaced = Done: your reminders were { $old }; now only <b>{ $time }</b> ({ $zone }). To keep { $removed } as well, use <code>/remind add { $removed }</code>.
remind_kept = Nothing changed: your reminders stay at <b>{ $times }</b> ({ $zone }).
remind_choice_done = That was answered already, so nothing changed. /remind shows your reminders.
timezone_current = Your time zone is <b>{ $zone }</b>, where it is now { $local_time }. Change it with, for example, <code>/timezone Europe/Berlin</code> or <code>/timezone +03:00</code>.
timezone_set = Time zone set to <b>{ $zone }</b>: it is { $local_time } there. Your reminders keep their local times.
location_offer = Your location is in <b>{ $zone }</b>, where it is now { $local_time }. Switch from { $current }? Your reminders keep their local times.
location_same_zone = You're already set to <b>{ $zone }</b> (it is { $local_time } there).
location_unknown = I couldn't tell the time zone of that location. You can set it with /timezone.
button_switch_zone = Switch to { $zone }
button_keep_zone = Keep { $zone }
timezone_invalid = I don't know the time zone “{ $text }”. Use a name like <code>Europe/Berlin</code> or <code>America/New_York</code> (a zone's city alone, like <code>Berlin</code>, works too), or an offset like <code>+03:00</code>, <code>UTC-5</code> or <code>UTC</code>. Nothing was changed.
timezone_no_sign = “{ $text }” has no sign, so I can't tell whether it is east or west of UTC. Write an offset with its sign, like <code>/timezone +03:00</code> (east) or <code>/timezone UTC-5</code> (west), or a name like <code>Europe/Berlin</code>. Nothing was changed.

flood_slow_down = That's a lot of messages at once. I'll take the next one in a moment.
export_caption = Here is everything I keep about you, as JSON: your settings, finished routines ({ $completions }), check-ins of puffiness or tightness ({ $checkins }, counted as in /progress), reminders ({ $reminders }) and your streak. /delete erases it all.
delete_confirm = <b>Erase everything I keep about you?</b> Your settings, reminders, routines, streak and check-ins will be gone for good, and nothing more will be sent to you. This cannot be undone; /export first if you'd like a copy.
button_delete_yes = Yes, erase everything
button_delete_no = No, keep it
delete_done = Done: everything I kept about you is erased. If you write to me again, we start afresh.
delete_kept = Nothing was erased.
stats =
    <b>Stats</b> ({ $day }, UTC)
    Users: { $users } · blocked the bot: { $blocked }
    Active in the last 7 days: { $active }
    With reminders: { $with_reminders }
    Reminders sent today: { $reminders_today }
    Routines completed today: { $completions_today }
profile_intro = <b>A few safety questions</b> so that each routine fits you. Answer what you like: every question has “Not sure”, and you can skip the rest at any time. Change your answers later with /profile.
profile_q_inj = Have you had botulinum toxin (e.g. Botox) or filler injections in the last few weeks?
profile_q_area = Where was it done? Tap every area that was treated, then <b>Done</b>.
profile_area_pick_one = Tap at least one area first, or Skip the rest.
button_area_done = Done ✓
profile_q_when = When was it done?
profile_q_skin = Do you have rosacea or sensitive skin that flushes or stings easily?
profile_q_thy = Do you have a thyroid condition (or a thyroid nodule) you know of?
profile_q_preg = Are you pregnant?
profile_q_stop = Today, do you have any of these: a fever, an infection or cold sore on your face, an open wound or broken skin there, an injury there in the last few days, or a blood clot now (or treatment for one)?
button_no = No
button_yes = Yes
button_unsure = Not sure
button_skip_rest = Skip the rest
button_profile_again = Answer again
button_profile_start = Answer the questions
button_stop_clear = ✅ All clear today
button_stop_still = Still there
answer_no = no
answer_yes = yes
answer_unsure = not sure (I'll take the careful path)
answer_none = not answered
when_d0 = Today
when_d1 = 1-3 days ago
when_d4 = 4-7 days ago
when_d7 = 1-2 weeks ago
when_old = Longer ago
profile_again_started = Let's go through them again.
profile_first_started = Here they come, one at a time.
profile_skipped = Fine, we'll leave the rest. You can answer any time with /profile.
profile_press_answered = That question was answered already, so nothing changed. /profile shows your answers.
profile_summary_empty =
    <b>Your safety profile</b>
    Nothing answered yet, so your routines come as written, with nothing left out or added. A few questions (recent injections, sensitive skin, a thyroid condition, pregnancy, today's stop-signs) let me fit them to you; every one has “Not sure”.
profile_injected = yes: { $area }, on { $day } (steps there, and cups anywhere, are left out until { $until }; ask your injector)
profile_summary =
    <b>Your safety profile</b>
    Recent botulinum toxin or filler: { $injections }
    Rosacea or sensitive skin: { $skin }
    Thyroid condition: { $thyroid }
    Pregnant: { $pregnancy }
    Stop-signs today: { $stop }

    What this changes: steps over a recently treated area are left out (and cups anywhere); sensitive skin leaves out warmth, firmer kneading and cups; a thyroid condition keeps hands off the front of the neck; pregnancy brings a note to ask your midwife or doctor first. A stop-sign means no massage that day. “Not sure” takes the careful path: with injections, the areas most often treated are left out.
stop_sign_recheck = Last time you told me about a fever, an infection, broken skin, an injury or a blood clot. Is it all clear today?
unknown_message = I didn't quite catch that. /help shows what I can do.
unknown_message_command = Did you mean /{ $meant }? Commands start with a slash; tap it here, or /help for the others.
unknown_command = I don't know the command { $command }. /help lists the ones I have.
unknown_command_typo = I don't know the command { $command }. Did you mean /{ $meant }? /help lists the ones I have.
private_only = I work in private chats only. Open a chat with @{ $bot } to start your routine.
error_generic = Sorry, something went wrong on my side. Please try again in a moment.
