import pytest

from analysis.names import UnknownMunicipalityError, resolve


@pytest.mark.parametrize("query", ["Seinäjoki", "seinajoki", "SEINÄJOKI", "743", 743, " Seinäjoki "])
def test_seinajoki_every_way(query):
    assert resolve(query).code == "743"


@pytest.mark.parametrize("query, code, name", [
    ("Vasa", "905", "Vaasa"),            # Swedish name
    ("Östermark", "846", "Teuva"),       # Swedish name of a Finnish-speaking municipality
    ("ostermark", "846", "Teuva"),
    ("Helsingfors", "091", "Helsinki"),
    ("5", "005", "Alajärvi"),
    ("Koski Tl", "284", "Koski Tl"),
])
def test_other_names(query, code, name):
    muni = resolve(query)
    assert (muni.code, muni.name_fi) == (code, name)


def test_unknown_name_suggests_closest_with_code():
    with pytest.raises(UnknownMunicipalityError) as info:
        resolve("Seinäjoik")
    assert str(info.value).startswith("unknown municipality 'Seinäjoik'; did you mean Seinäjoki 743")


def test_unknown_code():
    with pytest.raises(UnknownMunicipalityError, match="unknown municipality '999'"):
        resolve("999")


def test_pertunmaa_resolves_to_mantyharju_with_note():
    muni = resolve("Pertunmaa")
    assert muni.code == "507" and muni.name_fi == "Mäntyharju"
    assert "merged into Mäntyharju (507) on 2025-01-01" in muni.note
    assert resolve("588").code == "507"


def test_plain_names_carry_no_note():
    assert resolve("Pori").note is None


def test_one_name_per_partnership_in_every_report():
    from analysis.analyses import network
    from analysis.names import partnership_name
    from analysis.present.figures import sizeclass as plots

    for pid in ("growth-cities", "mid-sized-growth-cities"):
        for lang in ("fi", "en"):
            name = partnership_name(pid, lang)
            assert network.short_name(pid, lang) == name
            assert plots._partnership_name(pid, lang) == name
    assert partnership_name("mid-sized-growth-cities", "fi") == "Keskisuuret kasvukaupungit"
    assert network.short_name("c6", "en", very_short=True) == "C6"


def test_a_source_label_matches_the_code_it_means():
    from analysis.data import names
    from analysis.data.names import UnknownMunicipalityError

    index = names.index()
    assert index.match("Maarianhamina - Mariehamn") == "478"  # PX-Web's bilingual label
    assert index.match("Pertunmaa") == "588"  # the former code: the build sums it and says so
    assert index.match("Seinäjoki") == "743"
    with pytest.raises(UnknownMunicipalityError, match="Pori - Vaasa"):
        index.match("Pori - Vaasa")  # two different municipalities
