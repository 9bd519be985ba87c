"""``surety keys``: both backends, passphrases through prompts, export and import, errors."""
from __future__ import annotations

import json

from suretychain.client.keyring import is_valid_mnemonic, mnemonic_to_private_key
from suretychain.core.crypto import encode_address

ABANDON_12 = "abandon " * 11 + "about"
ABANDON_12_ADDRESS = "sure1t9p72w4d5gnse4m8lqeamkqsmksf2tcmmz3g3y"
PASS = "correct horse battery staple"


def test_test_backend_round_trip(surety):
    added = surety("--keyring-backend", "test", "--output", "json", "keys", "add", "alice", "--words", "12")
    assert added.exit_code == 0, added.output
    key = json.loads(added.stdout)
    assert is_valid_mnemonic(key["mnemonic"])
    assert key["address"] == encode_address(mnemonic_to_private_key(key["mnemonic"]).public_key.address)
    assert "write this mnemonic down" in added.stderr

    listed = surety("keys", "list", "--keyring-backend", "test", "-o", "json")
    assert [k["name"] for k in json.loads(listed.stdout)] == ["alice"]
    shown = surety("keys", "show", "alice", "--address", "--keyring-backend", "test")
    assert shown.stdout.strip() == key["address"]

    deleted = surety("keys", "delete", "alice", "--keyring-backend", "test", input="y\n")
    assert deleted.exit_code == 0, deleted.output
    assert "(no keys)" in surety("keys", "list", "--keyring-backend", "test").stdout


def test_text_add_prints_the_mnemonic_once_with_a_warning(surety):
    result = surety("--keyring-backend", "test", "keys", "add", "bob")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert any("write this mnemonic down" in line for line in lines)
    assert is_valid_mnemonic(lines[-1]) and len(lines[-1].split()) == 24


def test_file_backend_recover_export_import(surety, tmp_path):
    recovered = surety("keys", "recover", "abandon", input=f"{ABANDON_12}\n{PASS}\n{PASS}\n")
    assert recovered.exit_code == 0, recovered.output
    assert ABANDON_12_ADDRESS in recovered.stdout
    stored = json.loads((surety.home / "keys" / "abandon.json").read_text())
    assert "seed" in stored and "seed_unencrypted" not in stored

    exported = surety("keys", "export", "abandon", input=f"{PASS}\nexport-pass\nexport-pass\n")
    assert exported.exit_code == 0, exported.output
    armored = exported.stdout[exported.stdout.index("-----BEGIN"):]
    armored_file = tmp_path / "abandon.key"
    armored_file.write_text(armored)

    imported = surety("keys", "import", "copy", str(armored_file), input=f"export-pass\nnew-pass\nnew-pass\n")
    assert imported.exit_code == 0, imported.output
    assert ABANDON_12_ADDRESS in imported.stdout
    shown = surety("-o", "json", "keys", "show", "copy")
    assert json.loads(shown.stdout)["address"] == ABANDON_12_ADDRESS


def test_file_backend_add_asks_for_confirmation(surety):
    mismatch = surety("keys", "add", "carol", input=f"{PASS}\nother\n{PASS}\n{PASS}\n")
    assert mismatch.exit_code == 0, mismatch.output
    assert "do not match" in mismatch.output


def test_wrong_passphrase_is_an_error(surety):
    surety("keys", "recover", "abandon", input=f"{ABANDON_12}\n{PASS}\n{PASS}\n")
    result = surety("keys", "export", "abandon", input="wrong\nx\nx\n")
    assert result.exit_code == 1
    assert "Error: wrong passphrase for key 'abandon'" in result.stderr


def test_bad_mnemonic_and_missing_key_are_errors(surety):
    bad = surety("--keyring-backend", "test", "keys", "recover", "x", input="abandon abandon\n")
    assert bad.exit_code == 1 and "Error: invalid mnemonic" in bad.stderr
    missing = surety("keys", "show", "nobody")
    assert missing.exit_code == 1 and "Error: no key named 'nobody'" in missing.stderr


def test_duplicate_name_is_refused(surety):
    surety("--keyring-backend", "test", "keys", "add", "dup")
    again = surety("--keyring-backend", "test", "keys", "add", "dup")
    assert again.exit_code == 1 and "already exists" in again.stderr
