"""``bake-tracker print KIND --event NAME [--year Y] [--page-size] [--message] [--lots] -o FILE``:
each kind written, and every refusal one line on stderr, exit 3, no traceback and no file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bake_tracker import main as cli
from bake_tracker.core.paper import default_page_size, page_size_for_locale
from bake_tracker.services import event_service
from bake_tracker.services.dto.documents import DOCUMENT_KINDS, DOCUMENT_TITLES
from tests.printing.pdfs import PAGE_POINTS, all_text, page_sizes

pytestmark = pytest.mark.sqlite_only  # the command opens the test's SQLite file itself

EVENT = "christmas gifts 2026"  # names are matched without regard to case


def run(db_path: Path, *args: str) -> int:
    return cli.main(["--db", str(db_path), "print", *args])


def test_print_writes_every_kind(
    db_path: Path, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for kind in DOCUMENT_KINDS:
        target = tmp_path / f"{kind}.pdf"
        assert run(db_path, kind, "--event", EVENT, "--page-size", "a4", "-o", str(target)) == 0
        out = capsys.readouterr().out
        assert out == f"{kind} of Christmas Gifts 2026 (2026-12-24) written to {target} (a4)\n"
        assert page_sizes(target) == {PAGE_POINTS["a4"]}
        assert all_text(target).startswith(f"{DOCUMENT_TITLES[kind]}: Christmas Gifts 2026")


def test_gift_tags_carry_the_message_and_the_cost_report_its_lots(
    db_path: Path, data_dir: Path, tmp_path: Path
) -> None:
    tags, report = tmp_path / "tags.pdf", tmp_path / "report.pdf"
    message = "Frohe Weihnachten — ½ Dutzend, 180 °C"
    assert run(db_path, "gift-tags", "--event", EVENT, "--message", message, "-o", str(tags)) == 0
    assert all_text(tags).count(message) == 5
    assert run(db_path, "cost-report", "--event", EVENT, "--lots", "-o", str(report)) == 0
    assert "Purchase lots behind the actual cost" in all_text(report)


@pytest.mark.parametrize(
    ("environ", "size"),
    [
        ({"LC_PAPER": "de_DE.UTF-8", "LANG": "en_US.UTF-8"}, "a4"),
        ({"LANG": "en_US.UTF-8"}, "letter"),
        ({"LC_ALL": "fr_CA.UTF-8"}, "letter"),
        ({"LANG": "en_GB.UTF-8"}, "a4"),
        ({"LANG": "C.UTF-8"}, "letter"),
        ({}, "letter"),
    ],
)
def test_the_paper_defaults_from_the_locale(environ: dict[str, str], size: str) -> None:
    assert default_page_size(environ) == size


def test_the_command_uses_the_locales_paper(
    db_path: Path, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("LC_PAPER", "LC_ALL", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "nl_NL.UTF-8")
    target = tmp_path / "plan.pdf"
    assert run(db_path, "baking-plan", "--event", EVENT, "-o", str(target)) == 0
    assert page_sizes(target) == {PAGE_POINTS["a4"]}
    assert page_size_for_locale("es_MX") == "letter"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("receipt", "--event", EVENT), "Unknown document 'receipt'; choose one of: shopping-list"),
        (("gift-tags", "--event", "Easter"), "No event called 'Easter'"),
        (("gift-tags", "--event", EVENT, "--year", "2020"), "No event called "),
        (("gift-tags", "--event", EVENT, "--page-size", "a3"), "Unknown page size 'a3'"),
        (
            ("gift-tags", "--event", EVENT, "--message", "x" * 5000),
            "The tag message is 5,000 characters long",
        ),
    ],
)
def test_bad_arguments_are_one_line_and_leave_no_file(
    db_path: Path,
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    message: str,
) -> None:
    target = tmp_path / "out" / "x.pdf"
    target.parent.mkdir()
    assert run(db_path, *args, "-o", str(target)) == cli.EXIT_FAILED
    err = capsys.readouterr().err
    assert err.startswith(f"bake-tracker: {message}") and err.count("\n") == 1
    assert "Traceback" not in err
    assert list(target.parent.iterdir()) == []


def test_an_unwritable_output_is_one_line(
    db_path: Path, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for target in (tmp_path / "missing" / "x.pdf", tmp_path):
        assert run(db_path, "shopping-list", "--event", EVENT, "-o", str(target)) == 3
        err = capsys.readouterr().err
        assert err.startswith(f"bake-tracker: Could not write {target}") and err.count("\n") == 1
    assert not (tmp_path / "missing").exists()


def test_a_name_used_in_two_years_asks_for_the_year(
    engine, db_path: Path, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    event_service.create_event("Winter Bake Sale", "2027-12-22")
    target = tmp_path / "list.pdf"
    assert run(db_path, "shopping-list", "--event", "Winter Bake Sale", "-o", str(target)) == 3
    assert "Several events are called 'Winter Bake Sale' (2027, 2026); add --year" in (
        capsys.readouterr().err
    )
    assert not target.exists()
    args = ("shopping-list", "--event", "Winter Bake Sale", "--year", "2027", "-o", str(target))
    assert run(db_path, *args) == 0
    assert "Winter Bake Sale (2027-12-22)" in capsys.readouterr().out
