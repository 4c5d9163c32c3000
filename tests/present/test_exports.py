"""Table files open correctly in an office suite: the CSV has a BOM (Excel then reads it as
UTF-8), the XLSX keeps numbers numeric with the page's number format, and a share is never
off by a factor of 100 in either file."""

import pandas as pd
import pytest
from openpyxl import load_workbook

from analysis import data
from analysis.present.report import Report
from analysis.present.text import size_classes as sc

BOUNDS = (40_000, 100_000)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    out = {}
    for lang in ("fi", "en"):
        rep = Report("size_classes", lang=lang, export_dir=str(folder / lang))
        members, fmt = sc.member_report_table(None, BOUNDS, True, lang)
        rep.table(members, "class_members", formatters=fmt)
        standard, fmt = sc.standard_report_table(None, lang)
        rep.table(standard, "standard_classes", formatters=fmt)
        out[lang] = (folder / lang, members, standard)
    return out


def test_csv_has_bom_and_reads_as_utf8(exported):
    folder, members, _ = exported["fi"]
    raw = (folder / "class_members.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")  # valid UTF-8 throughout
    assert "Hämeenlinna" in text
    back = pd.read_csv(folder / "class_members.csv")  # pandas drops the BOM
    assert back.columns[0] == "Kunta"
    year = data.population_years()[-1]
    assert back[f"Väkiluku {year}"].tolist() == members[f"Väkiluku {year}"].tolist()


def test_csv_shares_in_percent_under_a_percent_header(exported):
    folder, members, standard = exported["fi"]
    back = pd.read_csv(folder / "class_members.csv")
    assert back["Muutos 5 v, %"].round(4).tolist() == (members["Muutos 5 v, %"] * 100).round(4).tolist()
    classes = pd.read_csv(folder / "standard_classes.csv")
    assert "Osuus väestöstä, %" in classes.columns  # the header now says the unit
    assert classes["Osuus väestöstä, %"].sum() == pytest.approx(100)


def _columns(path):
    sheet = load_workbook(path).active
    header = [c.value for c in sheet[1]]
    return sheet, {h: [row[i] for row in sheet.iter_rows(min_row=2)] for i, h in enumerate(header)}


def test_xlsx_numbers_numeric_with_formats(exported):
    folder, members, _ = exported["fi"]
    year = data.population_years()[-1]
    sheet, cols = _columns(folder / "class_members.xlsx")
    population = cols[f"Väkiluku {year}"]
    assert [c.value for c in population] == members[f"Väkiluku {year}"].tolist()
    expected = {f"Väkiluku {year}": "#,##0", "Muutos 5 v (" + str(year - 5) + "–)": "+#,##0;-#,##0;#,##0",
                "Muutos 5 v, %": "+0.0 %;-0.0 %;0.0 %"}
    for header, code in expected.items():
        for cell in cols[header]:
            assert cell.data_type == "n" and cell.number_format == code, (header, cell.number_format)
    assert cols["Kunta"][0].data_type == "s"
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width >= len("Hämeenlinna")
    assert sheet.column_dimensions["I"].width > 20  # the partnerships, long text


def test_xlsx_english_share_format(exported):
    folder, _, standard = exported["en"]
    _, cols = _columns(folder / "standard_classes.xlsx")
    shares = cols["Share of population, %"]
    assert all(c.data_type == "n" and c.number_format == "0.0%" for c in shares)
    assert sum(c.value for c in shares) == pytest.approx(1)  # a fraction under a % format
    assert all(c.number_format == "#,##0" for c in cols["Municipalities"])
