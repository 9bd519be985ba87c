"""Tests for ``suretychain.core.dec``: parsing, printing, rounding, exactness and msgspec encoding."""

import copy
import decimal
import fractions
import pickle
from fractions import Fraction

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from suretychain.core.dec import (
    PRECISION,
    SCALE,
    Dec,
    Rounding,
    compute_rounded_quotient,
    dec_dec_hook,
    dec_enc_hook,
    parse_canonical_dec,
)

DOWN, UP, HALF_EVEN = Rounding.DOWN, Rounding.UP, Rounding.HALF_EVEN
ATOM = Dec.from_atoms(1)

big_ints = st.integers(min_value=-(10**40), max_value=10**40)
nonzero_ints = big_ints.filter(lambda n: n != 0)
decs = big_ints.map(Dec.from_atoms)
nonzero_decs = nonzero_ints.map(Dec.from_atoms)


def d(text: str) -> Dec:
    """Shorthand for ``Dec.from_str``."""
    return Dec.from_str(text)


def exact(value: Dec) -> Fraction:
    """The exact rational value of a Dec."""
    return Fraction(value.atoms, SCALE)


# Parsing and printing


@pytest.mark.parametrize(
    "text, canonical",
    [
        ("0", "0"),
        ("-0", "0"),
        ("0.0", "0"),
        ("1", "1"),
        ("1.000", "1"),
        ("0.5", "0.5"),
        ("0.50", "0.5"),
        ("00.5", "0.5"),
        ("-0.025", "-0.025"),
        ("12.000000000000000001", "12.000000000000000001"),
        ("0.000000000000000001", "0.000000000000000001"),
        ("-0.000000000000000001", "-0.000000000000000001"),
        ("123456789012345678901234567890", "123456789012345678901234567890"),
        ("007", "7"),
    ],
)
def test_parse_and_print(text, canonical):
    value = d(text)
    assert str(value) == canonical
    assert d(str(value)) == value


def test_constants_and_constructors():
    assert Dec.ZERO.atoms == 0
    assert Dec.ONE.atoms == 10**18
    assert PRECISION == 18
    assert Dec.from_int(3) == d("3")
    assert Dec.from_int(-3) == d("-3")
    assert Dec.from_atoms(5) == d("0.000000000000000005")
    assert repr(d("0.5")) == "Dec('0.5')"
    assert repr(Dec.ZERO) == "Dec('0')"


@pytest.mark.parametrize(
    "text",
    [
        "",
        " 1",
        "1 ",
        "+1",
        "1e5",
        "1E5",
        "nan",
        "NaN",
        "inf",
        "-inf",
        ".5",
        "5.",
        "-",
        "-.5",
        "--1",
        "1.2.3",
        "1,5",
        "1_000",
        "0x10",
        "0.0000000000000000001",  # 19 places
        "1.0000000000000000000",  # 19 places even if zero
        "١",  # non-ASCII digit
        "1\n",
    ],
)
def test_invalid_from_str(text):
    with pytest.raises(ValueError):
        d(text)


def test_invalid_from_str_type():
    with pytest.raises(TypeError):
        Dec.from_str(0.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Dec.from_str(b"0.5")  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [0.5, 1.0, True, decimal.Decimal("1"), Fraction(1, 2), "1", None])
def test_invalid_non_int_constructors(bad):
    with pytest.raises(TypeError):
        Dec.from_int(bad)
    with pytest.raises(TypeError):
        Dec.from_atoms(bad)
    with pytest.raises(TypeError):
        Dec.from_ratio(bad, 3, DOWN)
    with pytest.raises(TypeError):
        Dec.from_ratio(1, bad, DOWN)


def test_direct_construction_is_refused():
    with pytest.raises(TypeError):
        Dec(5)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Dec()  # type: ignore[call-arg]


# Immutability, hashing, copying


def test_immutable_and_hashable():
    value = d("0.5")
    with pytest.raises(AttributeError):
        value.atoms = 1  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del value.atoms
    assert hash(d("0.50")) == hash(d("0.5"))
    assert len({d("0.5"), d("0.50"), d("1")}) == 2
    assert pickle.loads(pickle.dumps(value)) == value
    assert copy.copy(value) is value
    assert copy.deepcopy([value])[0] == value


# Exact arithmetic and comparisons


def test_add_sub_neg_abs():
    assert d("0.1") + d("0.2") == d("0.3")
    assert d("0.1") - d("0.2") == d("-0.1")
    assert -d("0.5") == d("-0.5")
    assert -Dec.ZERO == Dec.ZERO
    assert str(-Dec.ZERO) == "0"
    assert abs(d("-2.5")) == d("2.5")
    assert +d("1.5") == d("1.5")
    assert sum([d("0.1"), d("0.2")], Dec.ZERO) == d("0.3")


def test_comparisons_and_min_max():
    values = [d("1"), d("-0.5"), d("0.25"), d("0")]
    assert sorted(values) == [d("-0.5"), d("0"), d("0.25"), d("1")]
    assert min(values) == d("-0.5")
    assert max(values) == d("1")
    assert d("0.1") < d("0.2") <= d("0.2") < Dec.ONE
    assert Dec.ONE > Dec.ZERO >= Dec.ZERO
    assert d("0.1") != d("0.2")


@pytest.mark.parametrize("number", [0, 1, True, 0.0, 0.5, decimal.Decimal("0"), fractions.Fraction(0)])
def test_invalid_compare_with_numbers(number):
    value = Dec.ZERO
    for compare in (
        lambda: value == number,
        lambda: value != number,
        lambda: number == value,
        lambda: value < number,
        lambda: value <= number,
        lambda: value > number,
        lambda: value >= number,
        lambda: number < value,
    ):
        with pytest.raises(TypeError):
            compare()


def test_compare_with_other_objects():
    assert (Dec.ZERO == "0") is False
    assert (Dec.ZERO == None) is False  # noqa: E711
    assert Dec.ZERO != "0"
    assert Dec.ZERO in [None, Dec.ZERO]
    with pytest.raises(TypeError):
        _ = Dec.ZERO < "1"  # type: ignore[operator]


@pytest.mark.parametrize("other", [1, 0.5, True, "1", None])
def test_invalid_add_sub_with_non_dec(other):
    with pytest.raises(TypeError):
        _ = Dec.ONE + other
    with pytest.raises(TypeError):
        _ = other + Dec.ONE
    with pytest.raises(TypeError):
        _ = Dec.ONE - other
    with pytest.raises(TypeError):
        _ = other - Dec.ONE


def test_invalid_implicit_rounding_operators():
    half = d("0.5")
    operations = [
        lambda: half * half,
        lambda: half * 2,
        lambda: 2 * half,
        lambda: half / half,
        lambda: half / 2,
        lambda: 2 / half,
        lambda: half // half,
        lambda: half % half,
        lambda: half**2,
        lambda: divmod(half, half),
    ]
    for operation in operations:
        with pytest.raises(TypeError, match="mul|quo"):
            operation()


def test_invalid_conversions():
    with pytest.raises(TypeError):
        float(Dec.ONE)
    with pytest.raises(TypeError):
        int(Dec.ONE)
    with pytest.raises(TypeError):
        bool(Dec.ZERO)
    with pytest.raises(TypeError):
        round(Dec.ONE)  # type: ignore[call-overload]


def test_predicates():
    assert Dec.ZERO.is_zero() and not Dec.ZERO.is_positive() and not Dec.ZERO.is_negative()
    assert ATOM.is_positive() and not ATOM.is_zero()
    assert (-ATOM).is_negative()
    assert d("3").is_integer() and not d("3.5").is_integer()


# Rounding


@pytest.mark.parametrize(
    "num, den, down, up, half_even",
    [
        (5, 2, 2, 3, 2),
        (7, 2, 3, 4, 4),
        (-5, 2, -3, -2, -2),
        (-7, 2, -4, -3, -4),
        (5, -2, -3, -2, -2),
        (-5, -2, 2, 3, 2),
        (7, 3, 2, 3, 2),
        (8, 3, 2, 3, 3),
        (-7, 3, -3, -2, -2),
        (-8, 3, -3, -2, -3),
        (6, 3, 2, 2, 2),
        (-6, 3, -2, -2, -2),
        (0, 5, 0, 0, 0),
    ],
)
def test_rounded_quotient(num, den, down, up, half_even):
    assert compute_rounded_quotient(num, den, DOWN) == down
    assert compute_rounded_quotient(num, den, UP) == up
    assert compute_rounded_quotient(num, den, HALF_EVEN) == half_even


def test_to_int_rounding():
    assert d("2.5").to_int(DOWN) == 2
    assert d("2.5").to_int(UP) == 3
    assert d("2.5").to_int(HALF_EVEN) == 2
    assert d("3.5").to_int(HALF_EVEN) == 4
    assert d("-2.5").to_int(DOWN) == -3
    assert d("-2.5").to_int(UP) == -2
    assert d("-2.5").to_int(HALF_EVEN) == -2
    assert d("-3.5").to_int(HALF_EVEN) == -4
    assert d("2.000000000000000001").to_int(UP) == 3
    assert d("-0.000000000000000001").to_int(DOWN) == -1
    assert d("-0.000000000000000001").to_int(UP) == 0
    assert d("7").to_int(UP) == 7


def test_from_ratio():
    assert Dec.from_ratio(1, 3, DOWN) == d("0.333333333333333333")
    assert Dec.from_ratio(1, 3, UP) == d("0.333333333333333334")
    assert Dec.from_ratio(2, 3, HALF_EVEN) == d("0.666666666666666667")
    assert Dec.from_ratio(-1, 3, DOWN) == d("-0.333333333333333334")
    assert Dec.from_ratio(-1, 3, UP) == d("-0.333333333333333333")
    assert Dec.from_ratio(1, -3, UP) == d("-0.333333333333333333")
    assert Dec.from_ratio(1, 4, DOWN) == d("0.25")
    with pytest.raises(ZeroDivisionError):
        Dec.from_ratio(1, 0, DOWN)


def test_invalid_rounding_argument():
    with pytest.raises(TypeError):
        Dec.ONE.to_int("down")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Dec.ONE.mul(Dec.ONE, None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Dec.from_ratio(1, 3, 0)  # type: ignore[arg-type]


# Rounded arithmetic


def test_mul():
    assert d("0.5").mul(d("0.5"), DOWN) == d("0.25")
    assert d("1.5").mul(d("-2"), DOWN) == d("-3")
    third = Dec.from_ratio(1, 3, DOWN)
    assert third.mul(third, DOWN) == d("0.111111111111111110")
    assert third.mul(third, UP) == d("0.111111111111111111")
    assert ATOM.mul(d("0.5"), DOWN) == Dec.ZERO
    assert ATOM.mul(d("0.5"), UP) == ATOM
    assert ATOM.mul(d("0.5"), HALF_EVEN) == Dec.ZERO
    assert (-ATOM).mul(d("0.5"), DOWN) == -ATOM
    assert (-ATOM).mul(d("0.5"), UP) == Dec.ZERO
    with pytest.raises(TypeError):
        d("0.5").mul(2, DOWN)  # type: ignore[arg-type]


def test_quo():
    assert Dec.ONE.quo(d("3"), DOWN) == d("0.333333333333333333")
    assert Dec.ONE.quo(d("3"), UP) == d("0.333333333333333334")
    assert d("-1").quo(d("3"), DOWN) == d("-0.333333333333333334")
    assert d("1.5").quo(d("0.5"), DOWN) == d("3")
    assert d("1").quo(d("0.000000000000000001"), DOWN) == Dec.from_int(10**18)
    with pytest.raises(ZeroDivisionError):
        Dec.ONE.quo(Dec.ZERO, DOWN)
    with pytest.raises(TypeError):
        Dec.ONE.quo(3, DOWN)  # type: ignore[arg-type]


def test_mul_int():
    assert d("0.05").mul_int(1_000_000, DOWN) == 50_000
    assert d("0.333333333333333333").mul_int(3, DOWN) == 0
    assert d("0.333333333333333333").mul_int(3, UP) == 1
    assert d("0.025").mul_int(99, DOWN) == 2  # 2.475
    assert d("0.025").mul_int(99, UP) == 3
    assert d("0.025").mul_int(99, HALF_EVEN) == 2
    assert d("0.025").mul_int(-99, DOWN) == -3
    assert d("0.025").mul_int(-99, UP) == -2
    assert d("0.5").mul_int(3, HALF_EVEN) == 2  # 1.5 -> 2
    assert d("0.5").mul_int(5, HALF_EVEN) == 2  # 2.5 -> 2
    assert d("1.5").mul_int(10**30, DOWN) == 15 * 10**29  # no precision loss at large amounts
    with pytest.raises(TypeError):
        d("0.5").mul_int(2.0, DOWN)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        d("0.5").mul_int(d("2"), DOWN)  # type: ignore[arg-type]


def test_quo_int():
    assert Dec.ONE.quo_int(3, DOWN) == d("0.333333333333333333")
    assert Dec.ONE.quo_int(3, UP) == d("0.333333333333333334")
    assert d("-1").quo_int(3, DOWN) == d("-0.333333333333333334")
    assert d("5").quo_int(-2, DOWN) == d("-2.5")
    with pytest.raises(ZeroDivisionError):
        Dec.ONE.quo_int(0, DOWN)
    with pytest.raises(TypeError):
        Dec.ONE.quo_int(0.5, DOWN)  # type: ignore[arg-type]


# msgspec


class Terms(msgspec.Struct, frozen=True):
    """A struct with Dec fields, as modules will write them."""

    rate: Dec
    caps: list[Dec]
    limit: Dec | None = None


def test_hooks_directly():
    assert dec_enc_hook(d("0.50")) == "0.5"
    assert dec_dec_hook(Dec, "-0.025") == d("-0.025")
    with pytest.raises(NotImplementedError):
        dec_enc_hook(object())
    with pytest.raises(NotImplementedError):
        dec_dec_hook(int, "1")
    with pytest.raises(TypeError):
        dec_dec_hook(Dec, 1)


@pytest.mark.parametrize("text", ["0.50", "00.5", "-0", "1.0", "+1", "1e1", "", " 1", "0.0000000000000000001"])
def test_invalid_non_canonical_decoding(text):
    with pytest.raises(ValueError):
        parse_canonical_dec(text)
    with pytest.raises(ValueError):
        dec_dec_hook(Dec, text)


@pytest.mark.parametrize("codec", [msgspec.json, msgspec.msgpack], ids=["json", "msgpack"])
def test_msgspec_round_trip(codec):
    terms = Terms(rate=d("0.05"), caps=[Dec.ONE, d("-0.025")], limit=d("12.000000000000000001"))
    encoded = codec.Encoder(enc_hook=dec_enc_hook).encode(terms)
    decoded = codec.Decoder(Terms, dec_hook=dec_dec_hook).decode(encoded)
    assert decoded == terms
    assert codec.Encoder(enc_hook=dec_enc_hook).encode(decoded) == encoded
    none_limit = Terms(rate=Dec.ZERO, caps=[])
    assert codec.Decoder(Terms, dec_hook=dec_dec_hook).decode(codec.encode(none_limit, enc_hook=dec_enc_hook)) == none_limit


def test_msgspec_json_text():
    terms = Terms(rate=d("0.050"), caps=[Dec.ONE])
    assert msgspec.json.encode(terms, enc_hook=dec_enc_hook) == b'{"rate":"0.05","caps":["1"],"limit":null}'


@pytest.mark.parametrize(
    "payload",
    [
        b'{"rate":"0.50","caps":[]}',
        b'{"rate":"00.5","caps":[]}',
        b'{"rate":0.5,"caps":[]}',
        b'{"rate":5,"caps":[]}',
        b'{"rate":"0.5","caps":["-0"]}',
        b'{"rate":"1e-1","caps":[]}',
    ],
)
def test_invalid_msgspec_json_decoding(payload):
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.Decoder(Terms, dec_hook=dec_dec_hook).decode(payload)


def test_invalid_msgspec_msgpack_decoding():
    for rate in ["0.50", 0.5, 1]:
        payload = msgspec.msgpack.encode({"rate": rate, "caps": []})
        with pytest.raises(msgspec.ValidationError):
            msgspec.msgpack.Decoder(Terms, dec_hook=dec_dec_hook).decode(payload)


# Properties


@given(decs)
def test_property_str_round_trip(value):
    text = str(value)
    assert Dec.from_str(text) == value
    assert parse_canonical_dec(text) == value
    assert text != "-0" and not (("." in text) and text.endswith("0"))


@given(decs)
def test_property_msgspec_round_trip(value):
    for codec in (msgspec.json, msgspec.msgpack):
        encoded = codec.encode(value, enc_hook=dec_enc_hook)
        assert codec.decode(encoded, type=Dec, dec_hook=dec_dec_hook) == value


@given(big_ints, nonzero_ints)
def test_property_from_ratio_brackets_exact(num, den):
    true_value = Fraction(num, den)
    low = Dec.from_ratio(num, den, DOWN)
    high = Dec.from_ratio(num, den, UP)
    nearest = Dec.from_ratio(num, den, HALF_EVEN)
    assert exact(low) <= true_value <= exact(high)
    assert high.atoms - low.atoms in (0, 1)
    assert low <= nearest <= high
    assert abs(exact(nearest) - true_value) <= Fraction(1, 2 * SCALE)


@given(decs, big_ints)
def test_property_mul_int_brackets_exact(rate, amount):
    true_value = exact(rate) * amount
    low = rate.mul_int(amount, DOWN)
    high = rate.mul_int(amount, UP)
    assert low <= true_value <= high
    assert high - low in (0, 1)
    assert true_value - low < 1 and high - true_value < 1
    assert abs(rate.mul_int(amount, HALF_EVEN) - true_value) <= Fraction(1, 2)


@given(decs, decs)
def test_property_mul_brackets_exact(a, b):
    true_value = exact(a) * exact(b)
    low, high = a.mul(b, DOWN), a.mul(b, UP)
    assert exact(low) <= true_value <= exact(high)
    assert high.atoms - low.atoms in (0, 1)
    assert a.mul(b, DOWN) == b.mul(a, DOWN)


@given(decs, nonzero_decs)
def test_property_quo_brackets_exact(a, b):
    true_value = exact(a) / exact(b)
    low, high = a.quo(b, DOWN), a.quo(b, UP)
    assert exact(low) <= true_value <= exact(high)
    assert high.atoms - low.atoms in (0, 1)


@given(decs, decs)
def test_property_add_sub_exact_and_ordered(a, b):
    assert exact(a + b) == exact(a) + exact(b)
    assert (a + b) - b == a
    assert (a < b) == (exact(a) < exact(b))
    assert (a == b) == (a.atoms == b.atoms)
    assert -(-a) == a


@given(decs)
def test_property_to_int_brackets(value):
    low, high = value.to_int(DOWN), value.to_int(UP)
    assert low <= exact(value) <= high
    assert high - low == (0 if value.is_integer() else 1)


@given(st.text(max_size=40))
def test_property_from_str_only_raises_value_error(text):
    try:
        value = Dec.from_str(text)
    except ValueError:
        return
    assert isinstance(value, Dec)
