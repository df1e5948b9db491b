"""The soak's report: the counts the issue asks for, then every invariant with its verdict."""

from __future__ import annotations

from tests.soak.run import Report

# The counts shown first, in this order; any other count follows, sorted.
HEADLINE = (
    "users",
    "simulated days",
    "steps",
    "kills",
    "kills mid fan-out",
    "kills while users talk",
    "kills between ticks",
    "kills outage",
    "restarts",
    "updates sent",
    "updates handled (log lines)",
    "updates lost in a kill",
    "reminder occurrences settled",
    "reminders expected",
    "reminder messages received",
    "deliveries 'unknown' (on the wire at a kill)",
    "deliveries 'unknown' that never arrived",
    "zone changes",
    "zone changes to a fixed offset",
    "zone changes across the date line",
    "bad inputs",
    "blocks",
    "unblocks",
    "routines completed",
)


def table(report: Report) -> str:
    config = report.config
    counts = report.counts
    lines = [
        f"soak: seed {config.seed} (SOAK_SEED={config.seed} replays the same population and "
        f"plan), {config.users} users, {config.days:g} days of {config.step_minutes}-minute "
        f"steps from {config.start:%Y-%m-%d %H:%MZ}, grace {config.grace_minutes} min, "
        f"offset zones {'on' if config.offsets else 'OFF (SOAK_SKIP_OFFSET_ZONES)'}, "
        f"{'STICKY users (SOAK_STICKY_USERS)' if config.sticky else 'round-robin'} routing, "
        f"{report.wall_s:.0f} s wall; logs in {report.folder}",
        "",
        f"{'count':<52} {'value':>10}",
        f"{'-' * 52} {'-' * 10}",
    ]
    shown = [key for key in HEADLINE if key in counts]
    shown += sorted(key for key in counts if key not in HEADLINE)
    for key in shown:
        lines.append(f"{key:<52} {counts[key]:>10}")
    lines.append("")
    lines.append("invariants:")
    lines.extend(verdict.describe() for verdict in report.verdicts)
    if report.steps_done != config.steps:
        lines.append(f"FAIL the soak stopped after {report.steps_done} of {config.steps} steps")
    return "\n".join(lines)
