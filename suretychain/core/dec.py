"""Fixed-point decimal with 18 places: the one type for rates, fractions and prices.

A ``Dec`` is an integer count of 10^-18 units (``atoms``). Addition and subtraction are exact.
Multiplication and division can leave a remainder, so they are methods that take an explicit
``Rounding``; ``*`` and ``/`` raise ``TypeError`` so nobody rounds by accident. Floats are refused
everywhere, and no ``decimal`` context is involved: the result depends on the arguments only.

Comparisons: ``Dec`` compares with ``Dec`` only. ``==``, ``<``, ``<=`` ... against an ``int``,
``float``, ``Decimal`` or ``Fraction`` raise ``TypeError`` (``d == 0`` is almost always a bug that
should be ``d.is_zero()``); against any other object ``==`` is simply ``False``. ``bool(d)``
raises too: write ``d.is_zero()``.

The text form is canonical and minimal ("0", "0.5", "-0.025"): ``str`` gives it, ``from_str``
parses any plain decimal, and the msgspec hook ``dec_dec_hook`` accepts the canonical form only,
so every value has exactly one encoding.
"""

from __future__ import annotations

import decimal
import enum
import fractions
import re
from typing import Any, NoReturn

PRECISION = 18
SCALE = 10**PRECISION

_DEC_PATTERN = re.compile(r"-?[0-9]+(\.[0-9]+)?", re.ASCII)
_NUMBER_TYPES = (int, float, complex, decimal.Decimal, fractions.Fraction)


class Rounding(enum.Enum):
    """How to turn an exact quotient into an integer."""

    DOWN = "down"  # toward -infinity (floor)
    UP = "up"  # toward +infinity (ceiling)
    HALF_EVEN = "half_even"  # to nearest, ties to the even neighbour


# Math


def _require_int(value: object, what: str) -> int:
    """Return ``value`` if it is a plain ``int`` (not ``bool``, never ``float``), else raise ``TypeError``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, got {type(value).__name__}")
    return value


def _require_rounding(rounding: object) -> Rounding:
    """Return ``rounding`` if it is a ``Rounding``, else raise ``TypeError``."""
    if not isinstance(rounding, Rounding):
        raise TypeError(f"rounding must be a Rounding, got {type(rounding).__name__}")
    return rounding


def compute_rounded_quotient(num: int, den: int, rounding: Rounding) -> int:
    """Return ``num / den`` rounded to an integer as ``rounding`` says; exact integer math only."""
    _require_int(num, "numerator")
    _require_int(den, "denominator")
    _require_rounding(rounding)
    if den == 0:
        raise ZeroDivisionError("division by zero")
    if den < 0:
        num, den = -num, -den
    quotient, remainder = divmod(num, den)  # floor division: 0 <= remainder < den
    if remainder == 0 or rounding is Rounding.DOWN:
        return quotient
    if rounding is Rounding.UP:
        return quotient + 1
    # HALF_EVEN: compare the remainder with half the denominator
    twice = 2 * remainder
    if twice > den or (twice == den and quotient % 2 == 1):
        return quotient + 1
    return quotient


# The type


class Dec:
    """Immutable signed fixed-point number with ``PRECISION`` decimal places, stored as ``atoms``."""

    __slots__ = ("atoms",)

    atoms: int
    ZERO: Dec
    ONE: Dec

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise TypeError("use Dec.from_int, Dec.from_str, Dec.from_atoms or Dec.from_ratio")

    # Constructors

    @classmethod
    def from_atoms(cls, atoms: int) -> Dec:
        """Return the Dec worth ``atoms`` * 10^-18."""
        obj = object.__new__(cls)
        object.__setattr__(obj, "atoms", _require_int(atoms, "atoms"))
        return obj

    @classmethod
    def from_int(cls, n: int) -> Dec:
        """Return the Dec equal to the integer ``n``."""
        return cls.from_atoms(_require_int(n, "n") * SCALE)

    @classmethod
    def from_str(cls, text: str) -> Dec:
        """Parse ``-?digits(.digits)?`` with at most 18 fractional digits, exactly."""
        if not isinstance(text, str):
            raise TypeError(f"Dec.from_str needs a str, got {type(text).__name__}")
        if _DEC_PATTERN.fullmatch(text) is None:
            raise ValueError(f"invalid decimal {text!r}: expected -?digits(.digits)?")
        negative = text.startswith("-")
        whole, _, fraction = text.lstrip("-").partition(".")
        if len(fraction) > PRECISION:
            raise ValueError(f"invalid decimal {text!r}: more than {PRECISION} fractional digits")
        atoms = int(whole) * SCALE + int(fraction.ljust(PRECISION, "0"))
        return cls.from_atoms(-atoms if negative else atoms)

    @classmethod
    def from_ratio(cls, num: int, den: int, rounding: Rounding) -> Dec:
        """Return ``num / den`` rounded to 18 places as ``rounding`` says."""
        return cls.from_atoms(compute_rounded_quotient(_require_int(num, "num") * SCALE, den, rounding))

    # Text

    def __str__(self) -> str:
        """Canonical minimal form: no exponent, no trailing zeros, no "-0"."""
        whole, fraction = divmod(abs(self.atoms), SCALE)
        sign = "-" if self.atoms < 0 else ""
        digits = str(fraction).rjust(PRECISION, "0").rstrip("0")
        return f"{sign}{whole}.{digits}" if digits else f"{sign}{whole}"

    def __repr__(self) -> str:
        return f"Dec('{self}')"

    # Immutability, hashing, pickling

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError("Dec is immutable")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError("Dec is immutable")

    def __hash__(self) -> int:
        return hash(self.atoms)

    def __reduce__(self) -> tuple[Any, tuple[int]]:
        return (Dec.from_atoms, (self.atoms,))

    def __copy__(self) -> Dec:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> Dec:
        return self

    # Comparisons (Dec only)

    def _other_atoms(self, other: object, op: str) -> int | None:
        """Return ``other.atoms`` for a Dec, raise for numbers, ``None`` for anything else."""
        if isinstance(other, Dec):
            return other.atoms
        if isinstance(other, _NUMBER_TYPES):
            raise TypeError(
                f"cannot compare Dec {op} {type(other).__name__}; convert explicitly "
                "(Dec.from_int, is_zero(), to_int(rounding))"
            )
        return None

    def __eq__(self, other: object) -> bool:
        atoms = self._other_atoms(other, "==")
        return NotImplemented if atoms is None else self.atoms == atoms

    def __ne__(self, other: object) -> bool:
        atoms = self._other_atoms(other, "!=")
        return NotImplemented if atoms is None else self.atoms != atoms

    def __lt__(self, other: object) -> bool:
        atoms = self._other_atoms(other, "<")
        return NotImplemented if atoms is None else self.atoms < atoms

    def __le__(self, other: object) -> bool:
        atoms = self._other_atoms(other, "<=")
        return NotImplemented if atoms is None else self.atoms <= atoms

    def __gt__(self, other: object) -> bool:
        atoms = self._other_atoms(other, ">")
        return NotImplemented if atoms is None else self.atoms > atoms

    def __ge__(self, other: object) -> bool:
        atoms = self._other_atoms(other, ">=")
        return NotImplemented if atoms is None else self.atoms >= atoms

    def __bool__(self) -> NoReturn:
        raise TypeError("truth value of a Dec is ambiguous; use is_zero(), is_positive() or is_negative()")

    # Exact arithmetic

    def _require_dec(self, other: object, op: str) -> Dec:
        """Return ``other`` if it is a Dec, else raise ``TypeError``."""
        if not isinstance(other, Dec):
            raise TypeError(f"unsupported operand for Dec {op}: {type(other).__name__} (both sides must be Dec)")
        return other

    def __add__(self, other: Dec) -> Dec:
        return Dec.from_atoms(self.atoms + self._require_dec(other, "+").atoms)

    def __radd__(self, other: object) -> Dec:
        return Dec.from_atoms(self._require_dec(other, "+").atoms + self.atoms)

    def __sub__(self, other: Dec) -> Dec:
        return Dec.from_atoms(self.atoms - self._require_dec(other, "-").atoms)

    def __rsub__(self, other: object) -> Dec:
        return Dec.from_atoms(self._require_dec(other, "-").atoms - self.atoms)

    def __neg__(self) -> Dec:
        return Dec.from_atoms(-self.atoms)

    def __pos__(self) -> Dec:
        return self

    def __abs__(self) -> Dec:
        return Dec.from_atoms(abs(self.atoms))

    # Operators that would round implicitly are refused

    def _refuse(self, *args: object) -> NoReturn:
        raise TypeError(
            "Dec has no implicit rounding: use d.mul(other, rounding), d.mul_int(n, rounding), "
            "d.quo(other, rounding) or d.quo_int(n, rounding)"
        )

    __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _refuse
    __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = __divmod__ = __rdivmod__ = _refuse
    __pow__ = __rpow__ = _refuse

    def __float__(self) -> NoReturn:
        raise TypeError("Dec never converts to float")

    def __int__(self) -> NoReturn:
        raise TypeError("use d.to_int(rounding) to convert a Dec to int")

    # Rounded arithmetic

    def mul(self, other: Dec, rounding: Rounding) -> Dec:
        """Return ``self * other`` rounded to 18 places."""
        product = self.atoms * self._require_dec(other, "mul").atoms
        return Dec.from_atoms(compute_rounded_quotient(product, SCALE, rounding))

    def quo(self, other: Dec, rounding: Rounding) -> Dec:
        """Return ``self / other`` rounded to 18 places; ``ZeroDivisionError`` if ``other`` is zero."""
        divisor = self._require_dec(other, "quo").atoms
        return Dec.from_atoms(compute_rounded_quotient(self.atoms * SCALE, divisor, rounding))

    def mul_int(self, n: int, rounding: Rounding) -> int:
        """Return ``self * n`` rounded to an integer (a rate times an amount gives an amount)."""
        return compute_rounded_quotient(self.atoms * _require_int(n, "n"), SCALE, rounding)

    def quo_int(self, n: int, rounding: Rounding) -> Dec:
        """Return ``self / n`` rounded to 18 places; ``ZeroDivisionError`` if ``n`` is zero."""
        return Dec.from_atoms(compute_rounded_quotient(self.atoms, _require_int(n, "n"), rounding))

    def to_int(self, rounding: Rounding) -> int:
        """Return ``self`` rounded to an integer."""
        return compute_rounded_quotient(self.atoms, SCALE, rounding)

    # Predicates

    def is_zero(self) -> bool:
        """Check if ``self`` is zero."""
        return self.atoms == 0

    def is_negative(self) -> bool:
        """Check if ``self`` is below zero."""
        return self.atoms < 0

    def is_positive(self) -> bool:
        """Check if ``self`` is above zero."""
        return self.atoms > 0

    def is_integer(self) -> bool:
        """Check if ``self`` has no fractional part."""
        return self.atoms % SCALE == 0


Dec.ZERO = Dec.from_atoms(0)
Dec.ONE = Dec.from_atoms(SCALE)


# msgspec integration


def parse_canonical_dec(text: str) -> Dec:
    """Parse ``text`` and require that it is the canonical form (so each value has one encoding)."""
    value = Dec.from_str(text)
    if str(value) != text:
        raise ValueError(f"non-canonical decimal {text!r}: expected {str(value)!r}")
    return value


def dec_enc_hook(obj: object) -> object:
    """msgspec ``enc_hook``: encode a ``Dec`` as its canonical string."""
    if isinstance(obj, Dec):
        return str(obj)
    raise NotImplementedError(f"cannot encode objects of type {type(obj).__name__}")


def dec_dec_hook(type_: type, obj: object) -> object:
    """msgspec ``dec_hook``: decode a ``Dec`` from its canonical string only."""
    if type_ is Dec:
        if not isinstance(obj, str):
            raise TypeError(f"Dec must be encoded as a string, got {type(obj).__name__}")
        return parse_canonical_dec(obj)
    raise NotImplementedError(f"cannot decode objects of type {type_!r}")
