"""Each printable document, from the sample season and from a large one: the text read back from
the PDF (every shopping line, every recipient's tag, page numbers), the page size, nothing past
the margins; bad arguments refused with a message and no file written."""

from __future__ import annotations

import re
import time
from decimal import Decimal
from pathlib import Path

import pytest

from bake_tracker.services import dashboard_service, documents_service, event_service
from bake_tracker.services.dto.documents import (
    BAKING_PLAN,
    COST_REPORT,
    DOCUMENT_KINDS,
    GIFT_TAGS,
    PACKING_LIST,
    SHOPPING_LIST,
    ShoppingListDocument,
)
from bake_tracker.services.errors import EventNotFoundError, ExportError, ValidationError
from bake_tracker.services.printing import render_pdf
from tests.printing.conftest import LARGE, Season
from tests.printing.pdfs import (
    PAGE_POINTS,
    all_text,
    outside_margins,
    page_numbers,
    page_sizes,
    page_texts,
)

MESSAGE = "Joyeux Noël! ½ dozen, baked at 180 °C — con cariño, señora"


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """A folder for the PDFs alone (the test's database lives in ``tmp_path``)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def render(kind: str, event_id: int, page_size: str = "letter", **options) -> bytes:
    document = documents_service.build_document(kind, event_id, **options)
    return render_pdf(document, page_size=page_size)


def squeeze(text: str) -> str:
    return " ".join(text.split())


# --- the sample season ------------------------------------------------------------------------


def test_every_kind_prints_the_sample_season_inside_the_margins(sample_season: Season) -> None:
    for kind in DOCUMENT_KINDS:
        for page_size in ("letter", "a4"):
            pdf = render(
                kind, sample_season.event_id, page_size, message=MESSAGE, include_lots=True
            )
            text = all_text(pdf)
            title = documents_service.DOCUMENT_TITLES[kind]
            assert text.startswith(f"{title}: Christmas Gifts 2026"), (kind, page_size)
            assert "Thursday, December 24, 2026" in text
            assert page_sizes(pdf) == {PAGE_POINTS[page_size]}
            numbers = page_numbers(pdf)
            assert numbers == [(n, len(numbers)) for n in range(1, len(numbers) + 1)]
            assert outside_margins(pdf, page_size) == [], (kind, page_size)


def test_the_shopping_list_lists_every_line_of_the_shopping_list_tab(sample_season) -> None:
    event_service.set_production_target(
        sample_season.event_id,
        event_service.get_production_targets(sample_season.event_id)[0].recipe_id,
        40,
    )
    shopping = event_service.get_shopping_list(sample_season.event_id)
    document = documents_service.shopping_list_document(sample_season.event_id)
    text = all_text(render_pdf(document))
    to_buy = [i for i in shopping.items + shopping.packaging if i.shortfall > 0]
    assert to_buy, "the raised target leaves something to buy"
    for item in shopping.items + shopping.packaging:
        assert item.ingredient_name in text
    for line in document.lines:
        if line.to_buy > 0:  # category heading, product, package size and packages are printed
            assert line.category in text and line.product_name in text
            assert f"{line.package_size}" in text
    total = shopping.total_estimated_cost.quantize(Decimal("0.01"))
    assert f"Estimated total ${total:,.2f}" in text
    assert "Already in the pantry" in text  # the covered lines, apart


def test_gift_tags_carry_every_recipient_package_and_the_message(sample_season) -> None:
    text = all_text(render(GIFT_TAGS, sample_season.event_id, message=MESSAGE))
    for name in sample_season.recipients:
        assert name in text
    assert text.count(squeeze(MESSAGE)) == len(sample_season.recipients)
    assert "Cookie Bag × 2" in text  # the Nguyens get two


def test_the_baking_plan_shows_batches_left_and_what_one_batch_needs(sample_season) -> None:
    document = documents_service.baking_plan_document(sample_season.event_id)
    progress = event_service.get_production_progress(sample_season.event_id)
    assert [line.recipe_name for line in document.lines] == [p.recipe_name for p in progress]
    for line, p in zip(document.lines, progress, strict=True):
        assert line.batches_to_make == max(p.target_batches - p.produced_batches, 0)
    text = all_text(render_pdf(document))
    for line in document.lines:
        assert line.recipe_name in text
        for need in line.per_batch:
            assert need.ingredient_name in text


def test_the_packing_list_shows_contents_and_status(sample_season) -> None:
    event_id = sample_season.event_id
    first = event_service.get_event_assignments(event_id)[0]
    event_service.update_fulfillment_status(first.id, "ready")
    text = all_text(render(PACKING_LIST, event_id))
    for name in sample_season.recipients:
        assert name in text
    assert text.count("Pending") == len(sample_season.recipients) - 1
    assert "Ready" in text and "1 × Holiday Box" in text and "Signature / notes" in text


def test_the_cost_report_adds_up_to_the_dashboards_figures(sample_season) -> None:
    event_id = sample_season.event_id
    document = documents_service.cost_report_document(event_id, include_lots=True)
    summary = dashboard_service.get_event_summary(event_id)
    assert document.planned_total == summary.planned_cost
    assert document.actual_total == summary.actual_cost
    assert document.finished_goods, "the sample event has assembly targets"
    assert document.lots, "and production runs with lots behind them"
    text = all_text(render_pdf(document))
    assert "Purchase lots behind the actual cost" in text
    for lot in document.lots:
        assert lot.product_name in text
    plain = all_text(render(COST_REPORT, event_id))
    assert "Purchase lots" not in plain  # only on request


# --- a large season -----------------------------------------------------------------------------


def test_every_kind_prints_a_large_season_whole_with_headings_on_every_page(
    large_season: Season,
) -> None:
    started = time.perf_counter()
    for kind, expected in (
        (SHOPPING_LIST, large_season.ingredients),
        (BAKING_PLAN, large_season.recipes),
        (PACKING_LIST, large_season.recipients),
        (GIFT_TAGS, large_season.recipients),
        (COST_REPORT, large_season.recipes),
    ):
        pdf = render(kind, large_season.event_id, "a4")
        pages = page_texts(pdf)
        text = " ".join(pages)
        missing = [name for name in expected if name not in text]
        assert missing == [], f"{kind}: {len(missing)} of {LARGE} lines missing"
        assert len(pages) > 10
        assert page_numbers(pages) == [(n, len(pages)) for n in range(1, len(pages) + 1)]
        if kind != GIFT_TAGS:  # a table's headings come back at the top of every page
            heading = {"shopping-list": "Package size", "baking-plan": "One batch needs"}.get(
                kind, "Signature / notes" if kind == PACKING_LIST else "Planned"
            )
            assert all(heading in page for page in pages), kind
        if kind == GIFT_TAGS:  # (every kind's margins: the sample season's test)
            assert len(pages) == LARGE // 8  # two across, four down
            assert outside_margins(pdf, "a4") == []
    print(f"five 1,000-line documents in {time.perf_counter() - started:.1f} s")


# --- long and hostile text ----------------------------------------------------------------------


def test_long_names_wrap_inside_the_margins_and_print_whole(engine) -> None:
    from sqlalchemy.orm import Session

    from tests import factories as f

    long_name = "Great-aunt Wilhelmina-Josephine " + "von Hohenzollern-Sigmaringen " * 5
    unbroken = "Z" * 150  # no space to break at: broken by character, never cut
    with Session(engine) as s:
        event = f.make_event(s, name='Fête de l\'été #1 100% "quoted" ' + "x" * 120)
        package = f.make_package(s, name=unbroken)
        recipient = f.make_recipient(s, name=long_name.strip())
        f.make_assignment(s, event_id=event.id, recipient_id=recipient.id, package_id=package.id)
        s.commit()
        event_id = event.id
    for kind in (PACKING_LIST, GIFT_TAGS):
        pdf = render(kind, event_id, "letter", message="Ñ" * 200)
        text = "".join(all_text(pdf).split())
        assert "".join(long_name.split()) in text
        assert unbroken in text
        assert 'Fêtedel\'été#1100%"quoted"' in text
        assert outside_margins(pdf, "letter") == []


@pytest.mark.sqlite_only  # PostgreSQL enforces VARCHAR(200) itself: no such name can exist there
def test_a_row_taller_than_a_page_continues_on_the_next_pages(engine) -> None:
    from sqlalchemy.orm import Session

    from tests import factories as f

    # names are checked to 200 characters by the services, but SQLite does not enforce column
    # lengths: a file written by other means may hold longer ones, and they still print whole
    words = [f"word{n:04d}" for n in range(1500)]
    with Session(engine) as s:
        event = f.make_event(s, name="Long Row")
        recipient = f.make_recipient(s, name=" ".join(words))
        f.make_assignment(s, event_id=event.id, recipient=recipient)
        s.commit()
        event_id = event.id
    pdf = render(PACKING_LIST, event_id, "a4")
    pages = page_texts(pdf)
    assert len(pages) >= 3
    text = " ".join(pages)
    positions = [text.find(word) for word in words]
    assert -1 not in positions and positions == sorted(positions)  # every word, in order
    assert outside_margins(pdf, "a4") == []


def test_control_characters_and_missing_glyphs_print_as_spaces_and_question_marks(
    sample_season,
) -> None:
    message = "Line one\nline\ttwo\x00three 🎄 漢"
    document = documents_service.gift_tags_document(sample_season.event_id, message=message)
    assert document.message == "Line one line two three 🎄 漢"
    text = all_text(render_pdf(document))
    assert "Line one line two three ? ?" in text


def test_a_message_too_long_for_a_tag_is_refused_with_its_length(sample_season, tmp_path) -> None:
    target = tmp_path / "tags.pdf"
    huge = "x" * 50_000_000
    with pytest.raises(ValidationError, match=r"50,000,000 characters long; a tag holds 200"):
        documents_service.print_document(GIFT_TAGS, sample_season.event_id, target, message=huge)
    assert not target.exists()


# --- arguments and files ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "page_size", "error"),
    [
        ("receipt", "letter", "Unknown document 'receipt'; choose one of: shopping-list"),
        (SHOPPING_LIST, "a5", "Unknown page size 'a5'; choose a4 or letter"),
    ],
)
def test_an_unknown_kind_or_page_size_is_refused_before_anything_is_read(
    engine, tmp_path, kind, page_size, error
) -> None:
    target = tmp_path / "x.pdf"
    with pytest.raises(ValidationError, match=re.escape(error)):
        documents_service.print_document(kind, 1, target, page_size=page_size)
    assert not target.exists()


def test_an_unknown_event_is_refused(engine, out: Path) -> None:
    with pytest.raises(EventNotFoundError):
        documents_service.print_document(SHOPPING_LIST, 999, out / "x.pdf")
    assert list(out.iterdir()) == []


def test_a_read_only_folder_says_so_and_leaves_nothing(sample_season, out, monkeypatch) -> None:
    def refused(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    # the folder refuses the temporary file (chmod would not stop root, who runs some CIs)
    monkeypatch.setattr("bake_tracker.services.printing.tempfile.mkstemp", refused)
    with pytest.raises(ExportError, match=r"Could not write .*x\.pdf: .*read-only"):
        documents_service.print_document(SHOPPING_LIST, sample_season.event_id, out / "x.pdf")
    assert list(out.iterdir()) == []


def test_a_missing_folder_or_a_folder_as_the_file_is_refused(sample_season, out) -> None:
    for target in (out / "no" / "such" / "x.pdf", out):
        with pytest.raises(ExportError, match="Could not write"):
            documents_service.print_document(SHOPPING_LIST, sample_season.event_id, target)
    assert list(out.iterdir()) == []


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    sample_season, out, monkeypatch
) -> None:
    target = out / "list.pdf"
    target.write_bytes(b"the old list")

    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("bake_tracker.services.printing.os.fsync", full_disk)
    with pytest.raises(ExportError, match=r"list\.pdf"):
        documents_service.print_document(SHOPPING_LIST, sample_season.event_id, target)
    assert target.read_bytes() == b"the old list"
    assert [p.name for p in out.iterdir()] == ["list.pdf"]


def test_the_pdf_is_written_whole(sample_season, tmp_path: Path) -> None:
    target = documents_service.print_document(
        SHOPPING_LIST, sample_season.event_id, tmp_path / "list.pdf", page_size="a4"
    )
    data = target.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert page_sizes(target) == {PAGE_POINTS["a4"]}


# --- an event with nothing to print ---------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "sentence"),
    [
        (SHOPPING_LIST, "Nothing to buy: the event has no production or assembly targets"),
        (BAKING_PLAN, "Nothing to bake: the event has no production targets yet."),
        (PACKING_LIST, "Nothing to pack: no packages are assigned"),
        (GIFT_TAGS, "No tags to print: no packages are assigned"),
        (COST_REPORT, "No costs yet: the event has no production or assembly targets."),
    ],
)
def test_an_empty_event_gives_a_one_page_pdf_that_says_why(engine, kind, sentence) -> None:
    event = event_service.create_event("Quiet Week", "2026-03-01")
    pdf = render(kind, event.id)
    assert len(page_texts(pdf)) == 1
    assert sentence in all_text(pdf)


def test_documents_are_frozen_and_carry_the_header(sample_season) -> None:
    document = documents_service.build_document(SHOPPING_LIST, sample_season.event_id)
    assert isinstance(document, ShoppingListDocument)
    assert document.header.event_name == "Christmas Gifts 2026"
    with pytest.raises(AttributeError):
        document.header.title = "x"  # type: ignore[misc]
