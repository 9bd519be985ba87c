"""Tests for ``suretychain.client.keyring``: derivation vectors, both backends, export and import."""

import json
import os
import stat
import sys

import pytest

from suretychain.client.keyring import (
    DEFAULT_HD_PATH,
    KDF_MIN,
    KDF_MODERATE,
    KdfLimits,
    KeyInfo,
    Keyring,
    KeyringError,
    compute_bip39_seed,
    compute_slip10_child,
    compute_slip10_master,
    derive_slip10_ed25519,
    generate_mnemonic,
    is_valid_mnemonic,
    mnemonic_to_private_key,
    parse_hd_path,
)
from suretychain.core.crypto import PrivateKey, decode_address, encode_address

ABANDON_12 = "abandon " * 11 + "about"
ABANDON_24_BAD = "abandon " * 23 + "abandon"  # wrong checksum
SLIP10_SEED_1 = bytes.fromhex("000102030405060708090a0b0c0d0e0f")
PASS = "correct horse battery staple"
POSIX = sys.platform != "win32"

# Golden values, computed once with this implementation (BIP-39 seed checked against the BIP-39 vectors,
# SLIP-0010 checked against its published vectors below). They pin the derivation: if they change, every
# user's mnemonic opens a different account.
ABANDON_12_ADDRESS = "sure1t9p72w4d5gnse4m8lqeamkqsmksf2tcmmz3g3y"
ABANDON_12_PUBLIC_KEY = "f464c9658b25ea3a6f97f966600481d6136a57c86886b09994ac1f480adb0d58"


@pytest.fixture(params=["file", "test"])
def keyring(request, tmp_path):
    """A fresh keyring of each backend, with the cheapest argon2id limits so tests stay fast."""
    return Keyring(tmp_path / "home", backend=request.param, kdf=KDF_MIN)


@pytest.fixture
def file_keyring(tmp_path):
    """A fresh encrypted keyring with fast argon2id limits."""
    return Keyring(tmp_path / "home", backend="file", kdf=KDF_MIN)


# Derivation


def test_bip39_seed_of_abandon_mnemonic():
    # The well-known BIP-39 seed of "abandon ... about" with an empty passphrase
    assert compute_bip39_seed(ABANDON_12).hex() == (
        "5eb00bbddcf069084889a8ab9155568165f5c453ccb85e70811aaed6f6da5fc1"
        "9a5ac40b389cd370d086206dec8aa6c43daea6690f20ad3d8d48b2d2ce9e38e4"
    )


def test_slip10_vector_1_master():
    key, chain_code = compute_slip10_master(SLIP10_SEED_1)
    assert key.hex() == "2b4be7f19ee27bbf30c667b642d5f4aa69fd169872f8fc3059c08ebae2eb19e7"
    assert chain_code.hex() == "90046a93de5380a72b5e45010748567d5ea02bbf6522f979e05c0d8d8ca9fffb"
    assert PrivateKey.from_seed(key).public_key.raw.hex() == (
        "a4b2856bfec510abab89753fac1ac0e1112364e7d250545963f135f2a33188ed"
    )


def test_slip10_vector_1_children():
    key, chain_code = compute_slip10_child(*compute_slip10_master(SLIP10_SEED_1), 2**31)
    assert key.hex() == "68e0fe46dfb67e368c75379acec591dad19df3cde26e63b93a8e704f1dade7a3"
    assert chain_code.hex() == "8b59aa11380b624e81507a27fedda59fea6d0b779a778918a2fd3590e16e9c69"
    assert PrivateKey.from_seed(key).public_key.raw.hex() == (
        "8c8a13df77a28f3445213a0f432fde644acaa215fc72dcdf300d5efaa85d350c"
    )
    assert derive_slip10_ed25519(SLIP10_SEED_1, "m/0'").hex() == key.hex()
    assert derive_slip10_ed25519(SLIP10_SEED_1, "m/0'/1'").hex() == (
        "b1d0bad404bf35da785a64ca1ac54b2617211d2777696fbffaf208f746ae84f2"
    )
    assert derive_slip10_ed25519(SLIP10_SEED_1, "m/0'/1'/2'").hex() == (
        "92a5b23c0b8a99e37d07df3fb9966917f5d06e02ddbd909c7e184371463e9fc9"
    )
    assert derive_slip10_ed25519(SLIP10_SEED_1, "m/0'/1'/2'/2'/1000000000'").hex() == (
        "8f94d394a8e8fd6b1bc2f3f49f5c47e385281d5c17e65324b0f62483e37e8793"
    )


def test_parse_hd_path():
    assert parse_hd_path("m") == []
    assert parse_hd_path(DEFAULT_HD_PATH) == [2**31 + 44, 2**31 + 118, 2**31, 2**31, 2**31]
    assert parse_hd_path("m/1h/2H") == [2**31 + 1, 2**31 + 2]


@pytest.mark.parametrize("path", ["", "44'/0'", "m/0", "m/44'/0", "m//0'", "m/-1'", "m/2147483648'", "m/a'", "M/0'"])
def test_invalid_hd_path(path):
    with pytest.raises(KeyringError):
        parse_hd_path(path)


def test_invalid_non_hardened_child():
    with pytest.raises(KeyringError, match="hardened"):
        compute_slip10_child(*compute_slip10_master(SLIP10_SEED_1), 0)


def test_golden_abandon_address():
    key = mnemonic_to_private_key(ABANDON_12)
    assert key.public_key.raw.hex() == ABANDON_12_PUBLIC_KEY
    assert encode_address(key.public_key.address) == ABANDON_12_ADDRESS


def test_derivation_depends_on_passphrase_and_path():
    base = mnemonic_to_private_key(ABANDON_12)
    assert mnemonic_to_private_key(ABANDON_12, bip39_passphrase="TREZOR") != base
    assert mnemonic_to_private_key(ABANDON_12, hd_path="m/44'/118'/0'/0'/1'") != base
    assert mnemonic_to_private_key("  ABANDON " + ABANDON_12[8:].replace(" ", "  ")) == base


def test_generate_mnemonic_word_counts():
    for words in (12, 15, 18, 21, 24):
        phrase = generate_mnemonic(words)
        assert len(phrase.split()) == words
        assert is_valid_mnemonic(phrase)
    with pytest.raises(KeyringError):
        generate_mnemonic(13)


@pytest.mark.parametrize("phrase", [ABANDON_24_BAD, "abandon " * 11 + "abandon", "", "hello world", ABANDON_12 + " zzz"])
def test_invalid_mnemonics(phrase):
    assert not is_valid_mnemonic(phrase)
    with pytest.raises(KeyringError, match="mnemonic"):
        mnemonic_to_private_key(phrase)


# Keyring: both backends


def test_add_and_recover_give_the_same_key(keyring):
    info, phrase = keyring.add("alice", PASS)
    assert len(phrase.split()) == 24
    assert info.name == "alice"
    assert decode_address(info.address)
    recovered = keyring.recover("alice2", phrase, PASS)
    assert recovered.address == info.address
    assert recovered.public_key == info.public_key
    key = keyring.load_private_key("alice", PASS)
    assert key.public_key.raw.hex() == info.public_key
    assert key == keyring.load_private_key("alice2", PASS)


def test_recover_abandon_mnemonic(keyring):
    info = keyring.recover("golden", ABANDON_12, PASS)
    assert info == KeyInfo("golden", ABANDON_12_ADDRESS, ABANDON_12_PUBLIC_KEY)
    assert keyring.show("golden") == info


def test_add_with_12_words(keyring):
    _, phrase = keyring.add("short", PASS, words=12)
    assert len(phrase.split()) == 12


def test_list_show_delete(keyring):
    assert keyring.list() == []
    bob, _ = keyring.add("bob", PASS)
    alice, _ = keyring.add("alice", PASS)
    assert keyring.list() == [alice, bob]
    assert keyring.show("bob") == bob
    keyring.delete("bob")
    assert keyring.list() == [alice]
    with pytest.raises(KeyringError, match="no key named 'bob'"):
        keyring.show("bob")


def test_export_import_round_trip(keyring, tmp_path):
    info, _ = keyring.add("alice", PASS)
    armored = keyring.export("alice", PASS, "export-secret")
    assert armored.startswith("-----BEGIN SURETY PRIVATE KEY-----\n")
    assert armored.rstrip().endswith("-----END SURETY PRIVATE KEY-----")
    other = Keyring(tmp_path / "other", backend="file", kdf=KDF_MIN)
    imported = other.import_("alice-copy", armored, "export-secret", "other-pass")
    assert imported.address == info.address
    assert other.load_private_key("alice-copy", "other-pass") == keyring.load_private_key("alice", PASS)


def test_invalid_duplicate_name(keyring):
    keyring.add("alice", PASS)
    with pytest.raises(KeyringError, match="already exists"):
        keyring.add("alice", PASS)
    with pytest.raises(KeyringError, match="already exists"):
        keyring.recover("alice", ABANDON_12, PASS)
    armored = keyring.export("alice", PASS, "x")
    with pytest.raises(KeyringError, match="already exists"):
        keyring.import_("alice", armored, "x", PASS)


@pytest.mark.parametrize("name", ["", "../evil", "a/b", "a\\b", ".hidden", "..", "-x", "a b", "x" * 65, "ä", "a\x00"])
def test_invalid_names(keyring, name):
    with pytest.raises(KeyringError, match="invalid key name"):
        keyring.add(name, PASS)
    with pytest.raises(KeyringError, match="invalid key name"):
        keyring.show(name)


def test_invalid_unknown_name(keyring):
    for operation in (
        lambda: keyring.show("ghost"),
        lambda: keyring.load_private_key("ghost", PASS),
        lambda: keyring.export("ghost", PASS, "x"),
        lambda: keyring.delete("ghost"),
    ):
        with pytest.raises(KeyringError, match="no key named 'ghost'"):
            operation()


def test_invalid_bad_mnemonic(keyring):
    with pytest.raises(KeyringError, match="mnemonic"):
        keyring.recover("alice", ABANDON_24_BAD, PASS)
    assert keyring.list() == []


def test_invalid_export_passphrase_on_import(keyring):
    keyring.add("alice", PASS)
    armored = keyring.export("alice", PASS, "right")
    with pytest.raises(KeyringError, match="wrong export passphrase"):
        keyring.import_("copy", armored, "wrong", PASS)
    with pytest.raises(KeyringError, match="export passphrase"):
        keyring.export("alice", PASS, "")


@pytest.mark.parametrize(
    "armored",
    [
        "",
        "not armored",
        "-----BEGIN SURETY PRIVATE KEY-----\n!!!!\n-----END SURETY PRIVATE KEY-----",
        "-----BEGIN SURETY PRIVATE KEY-----\nbm90IGpzb24=\n-----END SURETY PRIVATE KEY-----",
        "-----BEGIN SURETY PRIVATE KEY-----\nWzFd\n-----END SURETY PRIVATE KEY-----",
    ],
)
def test_invalid_armored(keyring, armored):
    with pytest.raises(KeyringError, match="malformed armored key"):
        keyring.import_("copy", armored, "x", PASS)


def test_invalid_tampered_export(keyring):
    keyring.add("alice", PASS)
    other, _ = keyring.add("bob", PASS)
    armored = keyring.export("alice", PASS, "x")
    from suretychain.client.keyring import armor, unarmor

    document = unarmor(armored)
    document["public_key"] = other.public_key
    with pytest.raises(KeyringError, match="corrupt"):
        keyring.import_("copy", armor(document), "x", PASS)


# File backend


def test_file_backend_encrypts_seed(file_keyring):
    info = file_keyring.recover("alice", ABANDON_12, PASS)
    seed = mnemonic_to_private_key(ABANDON_12).seed
    raw = (file_keyring.home / "keys" / "alice.json").read_text()
    assert seed.hex() not in raw
    record = json.loads(raw)
    assert record["backend"] == "file"
    assert record["address"] == info.address
    assert record["seed"]["kdf"] == "argon2id"
    assert record["seed"]["opslimit"] == KDF_MIN.opslimit
    assert record["seed"]["memlimit"] == KDF_MIN.memlimit
    assert len(bytes.fromhex(record["seed"]["salt"])) == 16


def test_file_backend_salts_are_random(file_keyring):
    file_keyring.recover("a", ABANDON_12, PASS)
    file_keyring.recover("b", ABANDON_12, PASS)
    read = lambda name: json.loads((file_keyring.keys_dir / f"{name}.json").read_text())["seed"]  # noqa: E731
    assert read("a")["salt"] != read("b")["salt"]
    assert read("a")["secretbox"] != read("b")["secretbox"]


def test_invalid_wrong_passphrase(file_keyring):
    file_keyring.add("alice", PASS)
    with pytest.raises(KeyringError, match="wrong passphrase"):
        file_keyring.load_private_key("alice", "nope")
    with pytest.raises(KeyringError, match="wrong passphrase"):
        file_keyring.export("alice", "nope", "x")


def test_invalid_missing_passphrase(file_keyring):
    with pytest.raises(KeyringError, match="passphrase is required"):
        file_keyring.add("alice")
    with pytest.raises(KeyringError, match="passphrase is required"):
        file_keyring.add("alice", "")
    assert file_keyring.list() == []
    file_keyring.add("alice", PASS)
    with pytest.raises(KeyringError, match="required"):
        file_keyring.load_private_key("alice")


def test_invalid_tampered_ciphertext(file_keyring):
    file_keyring.add("alice", PASS)
    path = file_keyring.keys_dir / "alice.json"
    record = json.loads(path.read_text())
    box = bytearray.fromhex(record["seed"]["secretbox"])
    box[-1] ^= 1
    record["seed"]["secretbox"] = box.hex()
    path.write_text(json.dumps(record))
    with pytest.raises(KeyringError, match="wrong passphrase"):
        file_keyring.load_private_key("alice", PASS)


def test_invalid_tampered_public_key(file_keyring):
    file_keyring.add("alice", PASS)
    other, _ = file_keyring.add("bob", PASS)
    path = file_keyring.keys_dir / "alice.json"
    record = json.loads(path.read_text())
    record["public_key"] = other.public_key
    path.write_text(json.dumps(record))
    with pytest.raises(KeyringError, match="corrupt"):
        file_keyring.load_private_key("alice", PASS)


def test_invalid_kdf_limits_in_file(file_keyring):
    file_keyring.add("alice", PASS)
    path = file_keyring.keys_dir / "alice.json"
    record = json.loads(path.read_text())
    record["seed"]["memlimit"] = 2**40  # a crafted file must not make us allocate a terabyte
    path.write_text(json.dumps(record))
    with pytest.raises(KeyringError, match="out of range"):
        file_keyring.load_private_key("alice", PASS)


def test_invalid_corrupt_file(file_keyring):
    file_keyring.keys_dir.mkdir(parents=True)
    (file_keyring.keys_dir / "broken.json").write_text("{not json")
    with pytest.raises(KeyringError, match="corrupt"):
        file_keyring.show("broken")


def test_invalid_constructor_arguments(tmp_path):
    with pytest.raises(KeyringError, match="backend"):
        Keyring(tmp_path, backend="os")
    with pytest.raises(KeyringError, match="out of range"):
        Keyring(tmp_path, kdf=KdfLimits(0, 0))
    assert Keyring(tmp_path).kdf == KDF_MODERATE


def test_backends_do_not_mix(tmp_path):
    Keyring(tmp_path, backend="test").recover("devkey", ABANDON_12)
    with pytest.raises(KeyringError, match="'test' backend"):
        Keyring(tmp_path, backend="file", kdf=KDF_MIN).load_private_key("devkey", PASS)


# Test backend


def test_test_backend_stores_clear_seed(tmp_path):
    keyring = Keyring(tmp_path, backend="test")
    keyring.recover("dev", ABANDON_12)
    record = json.loads((tmp_path / "keys" / "dev.json").read_text())
    assert record["backend"] == "test"
    assert "UNENCRYPTED" in record["WARNING"]
    assert record["seed_unencrypted"] == mnemonic_to_private_key(ABANDON_12).seed.hex()
    assert keyring.load_private_key("dev") == mnemonic_to_private_key(ABANDON_12)


# Files on disk


@pytest.mark.skipif(not POSIX, reason="POSIX permissions")
def test_file_and_directory_modes(keyring):
    keyring.add("alice", PASS)
    assert stat.S_IMODE(os.stat(keyring.keys_dir).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(keyring.keys_dir / "alice.json").st_mode) == 0o600


def test_no_temp_files_left(keyring):
    keyring.add("alice", PASS)
    keyring.add("bob", PASS)
    assert sorted(p.name for p in keyring.keys_dir.iterdir()) == ["alice.json", "bob.json"]


def test_list_ignores_foreign_files(keyring):
    keyring.add("alice", PASS)
    (keyring.keys_dir / ".tmp-abc.json").write_text("{}")
    (keyring.keys_dir / "notes.txt").write_text("hi")
    assert [info.name for info in keyring.list()] == ["alice"]
