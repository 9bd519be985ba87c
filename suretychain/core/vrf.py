"""ECVRF-EDWARDS25519-SHA512-TAI, exactly as RFC 9381 (suite_string 0x03).

A VRF proof ``pi`` shows that ``beta`` is the one output of the key's function on ``alpha``; anyone
with the public key can check it. The API:

- :func:`public_key` ``(secret_key) -> pk``: the RFC 8032 ed25519 public key of the 32-byte seed.
- :func:`prove` ``(secret_key, alpha) -> pi``: 80 bytes, ``Gamma (32) || c (16) || s (32)``.
- :func:`verify` ``(public_key, proof, alpha) -> beta``: 64 bytes, or raises :class:`InvalidProof`.
- :func:`proof_to_hash` ``(proof) -> beta``: beta without checking the proof (only its decoding).

Each RFC 9381 step is one function below, named after the RFC's (section 5.1 prove, 5.2 proof to
hash, 5.3 verify, 5.4.1.1 encode to curve by try-and-increment, 5.4.2.2 nonce, 5.4.3 challenge,
5.4.4 decode proof, 5.4.5 validate key). The challenge hashes five points, public key first
(``Y, H, Gamma, U, V``), as in the final RFC; drafts before -11 hashed four and give different ``c``
and ``s`` for the same key and alpha.

**Points are 32-byte canonical encodings.** Group operations (addition, scalar multiplication) are
done by libsodium through ``nacl.bindings``. Only the field arithmetic of *decoding* (RFC 8032
section 5.1.3: recovering x from y with a square root mod p = 2^255 - 19) is done with Python
integers, because libsodium exposes no "decode any point on the curve" primitive:
``crypto_core_ed25519_is_valid_point`` also rejects points of small order and points outside the
prime-order subgroup, while the RFC's ``string_to_point`` accepts every point on the curve. That
matters here: a hash output in try-and-increment decodes to a point with a torsion component 7 times
out of 8, and a proof's ``Gamma`` or a public key may carry one too. :func:`string_to_point` therefore
decodes in Python and rejects exactly what RFC 8032 decoding (which RFC 9381 section 5.5 names as
string_to_point for this suite) rejects: ``y >= p`` (a non-canonical encoding, which libsodium's
``add`` would silently reduce), ``x^2`` not a square, and ``x = 0`` with the sign bit set.

Because the points may lie outside the prime-order subgroup, the group operations are chosen by
what libsodium accepts:

- ``crypto_core_ed25519_add`` / ``_sub`` accept any point on the curve (small order and the
  identity included), so *cofactor multiplication* is three doublings with ``add``
  (:func:`compute_cofactor_mult`). ``crypto_scalarmult_ed25519_noclamp(8, P)`` would be wrong: it
  refuses every point outside the prime-order subgroup, i.e. most try-and-increment candidates.
- ``crypto_scalarmult_ed25519_noclamp`` is used only for points it is exact on: canonical points of
  prime order L (``crypto_core_ed25519_is_valid_point``), with the scalar reduced mod L and the
  zero result handled here (libsodium reports an identity result as an error). Any other point
  (a mixed-order public key or Gamma, which RFC 9381 accepts) goes through a plain
  double-and-add over ``crypto_core_ed25519_add`` with the unreduced integer scalar
  (:func:`compute_scalar_mult`). Both paths give the same group element, so the result never
  depends on which one ran.

All arithmetic is on integers; nothing reads a clock or randomness, so prove is deterministic.
:func:`prove` is **not constant-time** (Python big integers, data-dependent branches in the scalar
multiplication fallback and in decoding): it leaks timing about the secret key and should only run
where that is acceptable. Verification handles only public data, so constant time is not needed.
"""

from __future__ import annotations

import hashlib

import nacl.bindings as sodium

# Constants

SUITE_STRING = b"\x03"  # ECVRF-EDWARDS25519-SHA512-TAI
ENCODE_TO_CURVE_DOMAIN_SEPARATOR_FRONT = b"\x01"
ENCODE_TO_CURVE_DOMAIN_SEPARATOR_BACK = b"\x00"
CHALLENGE_GENERATION_DOMAIN_SEPARATOR_FRONT = b"\x02"
CHALLENGE_GENERATION_DOMAIN_SEPARATOR_BACK = b"\x00"
PROOF_TO_HASH_DOMAIN_SEPARATOR_FRONT = b"\x03"
PROOF_TO_HASH_DOMAIN_SEPARATOR_BACK = b"\x00"

P = 2**255 - 19  # field prime of edwards25519
D = (-121665 * pow(121666, -1, P)) % P  # curve constant d of -x^2 + y^2 = 1 + d x^2 y^2
SQRT_M1 = pow(2, (P - 1) // 4, P)  # a square root of -1 mod p
L = 2**252 + 27742317777372353535851937790883648493  # prime order q of the base point
COFACTOR = 8

PT_LEN = 32  # bytes of an encoded point (fLen = qLen = 32)
Q_LEN = 32  # bytes of an encoded scalar
C_LEN = 16  # bytes of the challenge
PROOF_LENGTH = PT_LEN + C_LEN + Q_LEN  # 80
BETA_LENGTH = 64  # SHA-512 output
SECRET_KEY_LENGTH = 32
PUBLIC_KEY_LENGTH = 32
MAX_CTR = 255  # try-and-increment's ctr is one octet

IDENTITY = (1).to_bytes(PT_LEN, "little")  # (x, y) = (0, 1)
BASE_POINT = (4 * pow(5, -1, P) % P).to_bytes(PT_LEN, "little")  # y = 4/5, x even


class InvalidProof(Exception):
    """A proof, public key or input that RFC 9381 verification rejects ("INVALID")."""


def require_valid(condition: bool, reason: str) -> None:
    """Raise :class:`InvalidProof` with ``reason`` unless ``condition`` holds."""
    if not condition:
        raise InvalidProof(reason)


# Encodings (RFC 8032 section 5.1.2 and 5.1.3; integers are little-endian)


def int_to_string(value: int, length: int) -> bytes:
    """RFC 9381 int_to_string: ``value`` as ``length`` little-endian bytes."""
    return value.to_bytes(length, "little")


def string_to_int(string: bytes) -> int:
    """RFC 9381 string_to_int: little-endian bytes as an integer."""
    return int.from_bytes(string, "little")


def compute_recovered_x(y: int, sign: int) -> int | None:
    """The x with ``sign`` = x mod 2 on the curve at ``y``, per RFC 8032 5.1.3 steps 2-4, or None."""
    u = (y * y - 1) % P
    v = (D * y * y + 1) % P
    x = u * pow(v, 3, P) * pow(u * pow(v, 7, P), (P - 5) // 8, P) % P
    if v * x * x % P == (-u) % P:
        x = x * SQRT_M1 % P
    # x^2 = u/v must have a square root
    if v * x * x % P != u:
        return None
    # x = 0 has only one encoding, with the sign bit clear
    if x == 0 and sign == 1:
        return None
    return x if x % 2 == sign else P - x


def decode_point(string: bytes) -> tuple[int, int] | None:
    """RFC 8032 5.1.3 decoding of a 32-byte string into affine ``(x, y)``, or None if it fails."""
    if len(string) != PT_LEN:
        return None
    y = string_to_int(string) & ((1 << 255) - 1)
    # Non-canonical encodings (y >= p) fail, as in RFC 8032 5.1.3 step 1
    if y >= P:
        return None
    x = compute_recovered_x(y, string[31] >> 7)
    return None if x is None else (x, y)


def string_to_point(string: bytes) -> bytes | None:
    """RFC 9381 string_to_point: the point ``string`` encodes (its canonical encoding), or None."""
    return string if decode_point(string) is not None else None


# Group operations (libsodium)


def is_prime_order_point(point: bytes) -> bool:
    """Check if ``point`` is a canonical point of prime order L (libsodium's "valid point")."""
    return sodium.crypto_core_ed25519_is_valid_point(point)


def point_add(a: bytes, b: bytes) -> bytes:
    """``a + b`` for any two points on the curve."""
    return sodium.crypto_core_ed25519_add(a, b)


def point_sub(a: bytes, b: bytes) -> bytes:
    """``a - b`` for any two points on the curve."""
    return sodium.crypto_core_ed25519_sub(a, b)


def compute_cofactor_mult(point: bytes) -> bytes:
    """``8 * point`` for any point on the curve: three doublings (libsodium's add is complete)."""
    for _ in range(3):
        point = point_add(point, point)
    return point


def compute_scalar_mult(n: int, point: bytes) -> bytes:
    """``n * point`` for an integer ``n >= 0`` and any point on the curve."""
    if not is_prime_order_point(point):
        return compute_scalar_mult_any_order(n, point)
    # libsodium is exact on prime-order points but reports the identity result as an error
    n %= L
    if n == 0:
        return IDENTITY
    return sodium.crypto_scalarmult_ed25519_noclamp(int_to_string(n, Q_LEN), point)


def compute_scalar_mult_any_order(n: int, point: bytes) -> bytes:
    """``n * point`` by double-and-add over libsodium's add, for points libsodium won't multiply."""
    result = IDENTITY
    for bit in bin(n)[2:]:
        result = point_add(result, result)
        if bit == "1":
            result = point_add(result, point)
    return result


def compute_base_mult(n: int) -> bytes:
    """``n * B`` for the edwards25519 base point B (order L)."""
    n %= L
    if n == 0:
        return IDENTITY
    return sodium.crypto_scalarmult_ed25519_base_noclamp(int_to_string(n, Q_LEN))


# Keys (RFC 8032 section 5.1.5)


def compute_secret_scalar(secret_key: bytes) -> int:
    """The secret scalar x: the clamped first half of SHA-512(SK)."""
    head = bytearray(hashlib.sha512(secret_key).digest()[:32])
    head[0] &= 248
    head[31] &= 127
    head[31] |= 64
    return string_to_int(bytes(head))


def public_key(secret_key: bytes) -> bytes:
    """The public key ``Y = x * B`` of a 32-byte secret key (the ed25519 public key of that seed)."""
    check_secret_key(secret_key)
    return compute_base_mult(compute_secret_scalar(secret_key))


def check_secret_key(secret_key: bytes) -> None:
    """Raise ValueError unless ``secret_key`` is 32 bytes."""
    if not isinstance(secret_key, bytes) or len(secret_key) != SECRET_KEY_LENGTH:
        raise ValueError(f"secret key must be {SECRET_KEY_LENGTH} bytes")


# RFC 9381 section 5.4: helper functions


def encode_to_curve(pk_string: bytes, alpha: bytes) -> bytes:
    """ECVRF_encode_to_curve_try_and_increment (5.4.1.1), salted with the public key string."""
    prefix = SUITE_STRING + ENCODE_TO_CURVE_DOMAIN_SEPARATOR_FRONT + pk_string + alpha
    for ctr in range(MAX_CTR + 1):
        hash_string = hashlib.sha512(
            prefix + int_to_string(ctr, 1) + ENCODE_TO_CURVE_DOMAIN_SEPARATOR_BACK
        ).digest()
        # interpret_hash_value_as_a_point: the first 32 bytes, sign bit included, as string_to_point
        candidate = string_to_point(hash_string[:PT_LEN])
        if candidate is not None:
            return compute_cofactor_mult(candidate)
    # int_to_string(256, 1) fails; reaching here has probability about 2^-256
    raise InvalidProof("encode_to_curve found no point")


def compute_nonce(secret_key: bytes, h_string: bytes) -> int:
    """ECVRF_nonce_generation_RFC8032 (5.4.2.2): SHA-512(second half of SHA-512(SK) || h) mod q."""
    truncated_hashed_sk_string = hashlib.sha512(secret_key).digest()[32:]
    k_string = hashlib.sha512(truncated_hashed_sk_string + h_string).digest()
    return string_to_int(k_string) % L


def compute_challenge(*points: bytes) -> int:
    """ECVRF_challenge_generation (5.4.3) over ``(Y, H, Gamma, U, V)``: first cLen hash bytes."""
    c_string = hashlib.sha512(
        SUITE_STRING
        + CHALLENGE_GENERATION_DOMAIN_SEPARATOR_FRONT
        + b"".join(points)
        + CHALLENGE_GENERATION_DOMAIN_SEPARATOR_BACK
    ).digest()
    return string_to_int(c_string[:C_LEN])


def decode_proof(pi_string: bytes) -> tuple[bytes, int, int]:
    """ECVRF_decode_proof (5.4.4): ``(Gamma, c, s)``, or raise InvalidProof."""
    require_valid(isinstance(pi_string, bytes), "proof must be bytes")
    # pi is Gamma (ptLen) || c (cLen) || s (qLen)
    require_valid(len(pi_string) == PROOF_LENGTH, f"proof must be {PROOF_LENGTH} bytes")
    gamma = string_to_point(pi_string[:PT_LEN])
    # Gamma is a canonical encoding of a point on the curve
    require_valid(gamma is not None, "Gamma is not a point")
    c = string_to_int(pi_string[PT_LEN : PT_LEN + C_LEN])
    s = string_to_int(pi_string[PT_LEN + C_LEN :])
    # s is a canonical scalar
    require_valid(s < L, "s is not reduced mod q")
    return gamma, c, s


def validate_key(pk_string: bytes) -> bytes:
    """ECVRF_validate_key (5.4.5): the public key point Y, or raise InvalidProof."""
    require_valid(isinstance(pk_string, bytes), "public key must be bytes")
    require_valid(len(pk_string) == PUBLIC_KEY_LENGTH, f"public key must be {PUBLIC_KEY_LENGTH} bytes")
    y = string_to_point(pk_string)
    # Y is a canonical encoding of a point on the curve
    require_valid(y is not None, "public key is not a point")
    # Y is not of small order (cofactor * Y is not the identity)
    require_valid(compute_cofactor_mult(y) != IDENTITY, "public key has small order")
    return y


# RFC 9381 sections 5.1-5.3


def prove(secret_key: bytes, alpha: bytes) -> bytes:
    """ECVRF_prove (5.1): the 80-byte proof ``pi`` for ``alpha`` under ``secret_key``."""
    check_secret_key(secret_key)
    if not isinstance(alpha, bytes):
        raise TypeError("alpha must be bytes")
    x = compute_secret_scalar(secret_key)
    y = compute_base_mult(x)
    h = encode_to_curve(y, alpha)
    gamma = compute_scalar_mult(x, h)
    k = compute_nonce(secret_key, h)
    c = compute_challenge(y, h, gamma, compute_base_mult(k), compute_scalar_mult(k, h))
    s = (k + c * x) % L
    return gamma + int_to_string(c, C_LEN) + int_to_string(s, Q_LEN)


def proof_to_hash(proof: bytes) -> bytes:
    """ECVRF_proof_to_hash (5.2): the 64-byte ``beta`` of a decodable proof (not verified!)."""
    gamma, _, _ = decode_proof(proof)
    return hashlib.sha512(
        SUITE_STRING
        + PROOF_TO_HASH_DOMAIN_SEPARATOR_FRONT
        + compute_cofactor_mult(gamma)
        + PROOF_TO_HASH_DOMAIN_SEPARATOR_BACK
    ).digest()


def verify(public_key: bytes, proof: bytes, alpha: bytes) -> bytes:
    """ECVRF_verify (5.3) with key validation: ``beta`` if ``proof`` is valid, else InvalidProof."""
    y = validate_key(public_key)
    gamma, c, s = decode_proof(proof)
    require_valid(isinstance(alpha, bytes), "alpha must be bytes")
    h = encode_to_curve(y, alpha)
    u = point_sub(compute_base_mult(s), compute_scalar_mult(c, y))
    v = point_sub(compute_scalar_mult(s, h), compute_scalar_mult(c, gamma))
    # The challenge recomputed from the proof's points equals the proof's c
    require_valid(compute_challenge(y, h, gamma, u, v) == c, "challenge does not match")
    return proof_to_hash(proof)
