"""`python -m bot ...` (and the demo) as a person runs it: clear one-line errors, never a
traceback."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.__main__ import EXIT_NO_TOKEN
from bot.config import DEFAULT_CONTENT_DIR

ROOT = Path(__file__).resolve().parents[2]
SECRET = "7654321:" + "S" * 35


def run_cli(
    *args: str,
    cwd: Path,
    env: dict[str, str] | None = None,
    stdin: str = "",
    timeout: float = 60,
    module: str = "bot",
) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "DATABASE_", "CONTENT_", "DEFAULT_", "LOG_"))
    }
    base.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=cwd,
        env=base,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def broken_content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, content)
    classic = content / "en" / "routines" / "classic.yaml"
    text = classic.read_text()
    assert "duration_s: 90" in text
    classic.write_text(text.replace("duration_s: 90", "duration_s: ninety", 1))
    return content


def test_check_content_passes_on_the_real_content(tmp_path):
    result = run_cli("check-content", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Content OK" in result.stdout


def test_a_content_error_stops_check_content_and_start_up_with_file_line_field(
    tmp_path, broken_content
):
    env = {
        "CONTENT_DIR": str(broken_content),
        "TELEGRAM_BOT_TOKEN": SECRET,
        # Unreachable on purpose: start-up must stop before talking to Telegram.
        "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot",
    }
    for command in ("check-content", "run"):
        result = run_cli(command, cwd=tmp_path, env=env)
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        assert "classic.yaml:" in result.stderr
        assert "duration_s" in result.stderr and "integer" in result.stderr
        assert "Traceback" not in result.stderr


def test_run_without_a_token_says_so_in_one_line(tmp_path):
    result = run_cli("run", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "TELEGRAM_BOT_TOKEN is not set" in result.stderr


def test_no_command_without_a_token_names_the_demo_and_exits_for_make_run(tmp_path):
    result = run_cli(cwd=tmp_path)
    # The Makefile's run target starts the demo on exactly this exit code.
    assert result.returncode == EXIT_NO_TOKEN == 3, result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "TELEGRAM_BOT_TOKEN is not set" in result.stderr
    assert "python -m emulator.demo" in result.stderr


def test_malformed_settings_are_named_and_the_token_is_never_printed(tmp_path):
    result = run_cli(
        "run",
        cwd=tmp_path,
        env={
            "TELEGRAM_BOT_TOKEN": SECRET[:-20],
            "DEFAULT_TIMEZONE": "Mars/Olympus",
            "DATABASE_URL": "mysql://x",
        },
    )
    assert result.returncode == 2
    for name in ("TELEGRAM_BOT_TOKEN", "DEFAULT_TIMEZONE", "DATABASE_URL"):
        assert f"Setting {name}:" in result.stderr
    assert SECRET[:-20] not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_settings_come_from_a_dotenv_file(tmp_path):
    (tmp_path / ".env").write_text("DEFAULT_TIMEZONE=Not/AZone\n")
    result = run_cli("check-content", cwd=tmp_path)
    assert result.returncode == 2 and "Setting DEFAULT_TIMEZONE:" in result.stderr


def test_migrate_creates_the_database_folder(tmp_path):
    result = run_cli("migrate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "bot.db").exists()


def test_the_demo_runs_a_chat_in_the_terminal(tmp_path):
    result = run_cli(
        cwd=tmp_path,
        stdin="/start\n/routine\n1\n12\n1\n/streak\n/export\n",
        timeout=90,
        module="emulator.demo",
    )
    assert result.returncode == 0, result.stderr
    assert "Hello" in result.stdout
    assert "Step 1 of" in result.stdout and "Step 2 of" in result.stdout
    assert "Traceback" not in result.stderr
    # What the bot sends as files is saved where the chat says, to be opened.
    shown = re.findall(r"\[(picture|document): (data/demo/[^\]]+)\]", result.stdout)
    assert {kind for kind, _ in shown} == {"picture", "document"}
    for _, path in shown:
        data = (tmp_path / path).read_bytes()
        assert data.startswith(b"\x89PNG") if path.endswith(".png") else json.loads(data)


def test_check_streaks_reports_what_it_checked(tmp_path):
    result = run_cli("check-streaks", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Streaks checked: 0; repaired from history: 0." in result.stdout


def test_render_pictures_draws_every_step_into_a_folder_with_progress(tmp_path):
    fixture = ROOT / "tests" / "unit" / "catalog_fixtures" / "content"
    result = run_cli("render-pictures", cwd=tmp_path, env={"CONTENT_DIR": str(fixture)})
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "data" / "pictures" / "steps"
    assert (folder / "classic" / "01-prepare.png").read_bytes().startswith(b"\x89PNG")
    assert "  1/" in result.stdout and "Rendered 31 step pictures" in result.stdout
    out = tmp_path / "review"
    again = run_cli(
        "render-pictures", "--out", str(out), cwd=tmp_path, env={"CONTENT_DIR": str(fixture)}
    )
    assert again.returncode == 0, again.stderr
    assert (out / "quick" / "03-sweep.png").exists()


def test_out_belongs_to_render_pictures(tmp_path):
    result = run_cli("check-content", "--out", "x", cwd=tmp_path)
    assert result.returncode == 2 and "--out is for render-pictures" in result.stderr


def test_a_strokes_error_stops_check_content_with_file_line_field(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, content)
    strokes = content / "strokes" / "classic.yaml"
    text = strokes.read_text()
    assert "view: side" in text
    strokes.write_text(text.replace("view: side", "view: back", 1))
    result = run_cli("check-content", cwd=tmp_path, env={"CONTENT_DIR": str(content)})
    assert result.returncode == 2
    assert (
        "classic.yaml:" in result.stderr
        and ".view: Input should be 'front', 'side' or 'neck'" in (result.stderr)
    )
    assert "Traceback" not in result.stderr
