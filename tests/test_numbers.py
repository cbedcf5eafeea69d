import pytest

from helpers.facts.numbers import numbers_in


@pytest.mark.parametrize(
    "text, number",
    [
        ("France has deployed over five thousand men", 5000),
        ("will have to reduce by two thousand men", 2000),
        ("to send a thousand Russian mercenaries", 1000),
        ("a contract worth over 10 million dollars a month", 10_000_000),
        ("made up of 700 soldiers from 25 European countries", 25),
        ("is the 52nd victim of the Paris war in Mali, which began in 2013", 52),
    ],
)
def test_numbers_written_in_words_or_digits_are_found(text, number):
    assert number in numbers_in(text)


def test_a_number_not_in_the_text_is_not_found():
    assert 10 not in numbers_in("over 10 million dollars")
    assert 5001 not in numbers_in("over five thousand men")


def test_small_numbers_in_words_are_found():
    assert 2 in numbers_in("two people died") and 1 in numbers_in("one soldier was killed")


def test_thousands_grouped_the_french_way_are_found():
    assert {2000, 2500} <= numbers_in("La France a 2.000 militaires au sol, où l'objectif de 2.500 soldats")
    assert 4500 in numbers_in("Elle compte notamment 4 500 soldats") and 5100 in numbers_in("5\u202f100 militaires")
    assert numbers_in("3.5 km") == set(), "a decimal is not a count"


def test_a_grouped_number_before_a_comma_is_found_and_a_decimal_comma_is_not_a_count():
    assert 3000 in numbers_in("toujours près de 3.000, contre environ 4.500 au début")
    assert 3000 not in numbers_in("3.000,5 km"), "a decimal comma makes it a decimal"
