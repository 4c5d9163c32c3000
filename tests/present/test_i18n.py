import pytest

from analysis.present import i18n
from analysis.present.i18n import fmt_float, fmt_int, fmt_pct, fmt_signed, format_years, t


def test_every_key_has_both_languages():
    table = i18n.translations()
    assert len(table) > 20
    missing = [(key, lang) for key, value in table.items() for lang in i18n.LANGS
               if not isinstance(value, dict) or not str(value.get(lang) or "").strip()]
    assert not missing, f"translation keys lacking a language: {missing}"


def test_placeholders_match_between_languages():
    import string

    def fields(text):
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    for key, value in i18n.translations().items():
        assert fields(value["fi"]) == fields(value["en"]), key


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
    with pytest.raises(ValueError, match="use one of: fi, en"):
        t("unit.residents", "sv")


def test_format_years():
    assert format_years([*range(2000, 2023), 2024]) == "2000–2022, 2024"


def test_bilingual_municipalities_show_swedish_name():
    from analysis import data
    from analysis.present.i18n import municipality_labels

    frame = data.municipalities().set_index("code", drop=False)
    labels = municipality_labels(frame, "fi")
    assert labels["905"] == "Vaasa (Vasa)"
    assert labels["743"] == "Seinäjoki"  # monolingual: Finnish name only
    assert municipality_labels(frame, "en", with_swedish=False)["091"] == "Helsinki"


def test_dates():
    from analysis.present.i18n import fmt_date

    assert fmt_date("2023-10-09", "fi") == "9.10.2023"
    assert fmt_date("2023-10-09", "en") == "9 Oct 2023"
    assert fmt_date("2024", "fi") == "2024"
