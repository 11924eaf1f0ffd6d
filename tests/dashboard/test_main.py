"""`python -m dashboard accounts`: the demo accounts make demo prints."""
from __future__ import annotations

from dashboard.__main__ import print_accounts
from tests.support import settings_for


def test_accounts_lists_every_role_at_three_scopes(source_url, tmp_path, capsys):
    """15 named accounts: four roles at city, district and street, three separate administrators."""
    print_accounts(settings_for(source_url, tmp_path))
    lines = capsys.readouterr().out.splitlines()
    assert "Demo@2026" in lines[0]
    accounts = {line.split()[0]: (line.split()[1], line.split()[2]) for line in lines[1:]}
    assert len(accounts) == 15
    assert accounts["dongcheng_dept_head"] == ("dept_head", "东城区城管执法局")
    assert accounts["donghuamen_staff"] == ("staff", "东华门街道")
    assert {accounts[f"city_{r}"][0] for r in ("sysadmin", "secadmin", "auditor")} == {
        "sysadmin", "secadmin", "auditor"}
