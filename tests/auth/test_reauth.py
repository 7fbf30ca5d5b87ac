"""Signing asks for the password again and the account's own name, whatever the session."""

from __future__ import annotations

import pytest
from conftest import PASSWORD, enrol_second_factor, spare_recovery_code

from supervision.auth.reauth import ReauthError, confirm_identity, sign


def test_the_right_password_and_name_sign(make_user):
    user = make_user("Dr. Noémie Okoye")
    signature = sign(user, "  dr noemie   okoye ", PASSWORD)
    assert signature.typed_name == "dr noemie okoye"
    assert signature.signed_at is not None


@pytest.mark.parametrize("typed", ["", "   ", "Noemie", "Dr. Noémie Okoye Jr", "Sam Okoye"])
def test_another_name_does_not_sign(make_user, typed):
    user = make_user("Dr. Noémie Okoye")
    with pytest.raises(ReauthError) as raised:
        sign(user, typed, PASSWORD)
    assert raised.value.field == "signature"
    assert "Dr. Noémie Okoye" in str(raised.value)


@pytest.mark.parametrize("password", ["", "a calm harbour", "A calm harbour at dusk"])
def test_a_wrong_password_does_not_sign(make_user, password):
    user = make_user("Sam")
    with pytest.raises(ReauthError) as raised:
        sign(user, "Sam", password)
    assert raised.value.field == "password"
    with pytest.raises(ReauthError):
        confirm_identity(user, password)


def test_someone_with_a_second_factor_signs_only_with_a_current_code(make_user):
    user = make_user("Sam")
    enrol_second_factor(user)
    with pytest.raises(ReauthError) as missing:
        sign(user, "Sam", PASSWORD)
    assert missing.value.field == "code"
    with pytest.raises(ReauthError) as wrong:
        sign(user, "Sam", PASSWORD, "000000")
    assert wrong.value.field == "code"
    code = spare_recovery_code(user)
    assert sign(user, "Sam", PASSWORD, code).typed_name == "Sam"
    with pytest.raises(ReauthError):
        sign(user, "Sam", PASSWORD, code)  # a recovery code is spent once
