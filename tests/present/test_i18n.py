import pytest

from analysis.present import i18n
from analysis.present.i18n import fmt_float, fmt_int, fmt_pct, fmt_signed, format_years, t


def test_every_key_has_every_language():
    assert i18n.LANGS == ("fi", "en", "sv")
    assert len(i18n.translations()) > 20
    assert i18n.missing_translations() == [], "translation keys lacking a language"


def test_a_key_missing_in_one_language_is_found():
    table = {"a": {"fi": "yksi", "en": "one", "sv": "ett"}, "b": {"fi": "kaksi", "en": "two"},
             "c": {"fi": "kolme", "en": "three", "sv": " "}, "d": "plain text"}
    assert i18n.missing_translations(table) == [("b", "sv"), ("c", "sv"), ("d", "fi"),
                                                ("d", "en"), ("d", "sv")]


def test_placeholders_match_between_languages():
    import string

    def fields(text):
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    for key, value in i18n.translations().items():
        assert fields(value["fi"]) == fields(value["en"]) == fields(value["sv"]), key


def test_swedish_number_format_and_words():
    assert fmt_int(1234567, "sv") == "1\u00a0234\u00a0567"
    assert fmt_pct(0.125, "sv") == "12,5\u00a0%"
    assert fmt_float(-1234.56, "sv", 1) == "\u22121\u00a0234,6"
    assert fmt_signed(-56, "sv") == "\u221256"
    assert t("source.population", "sv", year=2024).startswith("Statistikcentralen, folkmängd 31.12.2024")


def test_finnish_number_format():
    assert fmt_int(1234567, "fi") == "1\u00a0234\u00a0567"
    assert fmt_int(1234567, "en") == "1,234,567"
    assert fmt_pct(0.125, "fi") == "12,5\u00a0%"
    assert fmt_pct(0.125, "en") == "12.5%"
    assert fmt_float(1234.56, "fi", 1) == "1\u00a0234,6"
    assert fmt_signed(-1234, "fi") == "−1\u00a0234"
    assert fmt_signed(56, "en") == "+56"


def test_years_are_not_formatted_as_numbers():
    assert t("source.population", "fi", year=2024).endswith("31.12.2024 (kuntajako 2025)")


def test_missing_key_and_language_fail():
    with pytest.raises(KeyError, match="no.such.key"):
        t("no.such.key", "fi")
    with pytest.raises(ValueError, match="use one of: fi, en, sv"):
        t("unit.residents", "de")


def test_format_years():
    assert format_years([*range(2000, 2023), 2024]) == "2000–2022, 2024"


def test_bilingual_municipalities_show_swedish_name():
    from analysis import data
    from analysis.present.i18n import municipality_labels

    frame = data.municipalities().set_index("code", drop=False)
    labels = municipality_labels(frame, "fi")
    assert labels["905"] == "Vaasa (Vasa)"
    assert municipality_labels(frame, "sv")["905"] == "Vasa (Vaasa)"
    assert municipality_labels(frame, "sv")["091"] == "Helsingfors (Helsinki)"
    assert labels["743"] == "Seinäjoki"  # monolingual: Finnish name only
    assert municipality_labels(frame, "en", with_swedish=False)["091"] == "Helsinki"


def test_dates():
    from analysis.present.i18n import fmt_date

    assert fmt_date("2023-10-09", "fi") == "9.10.2023"
    assert fmt_date("2023-10-09", "en") == "9 Oct 2023"
    assert fmt_date("2024", "fi") == "2024"
    assert fmt_date("2023-10-09", "sv") == "9.10.2023"
