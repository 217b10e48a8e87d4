"""A new hire logs in on a phone, must change the initial password, and lands on the home page."""

from tests.e2e.conftest import log_in


def test_new_hire_changes_initial_password_on_a_phone(phone):
    log_in(phone, "10204")
    phone.wait_for_url("**/auth/password")
    assert "首次登录须修改初始密码" in phone.content()

    phone.fill("input[name=current_password]", "Anzhi2026")
    phone.fill("input[name=new_password]", "abc")
    phone.fill("input[name=confirm]", "abc")
    phone.click("button[type=submit]")
    assert "密码至少 8 位" in phone.content()

    phone.fill("input[name=current_password]", "Anzhi2026")
    phone.fill("input[name=new_password]", "Xinyuan2026")
    phone.fill("input[name=confirm]", "Xinyuan2026")
    phone.click("button[type=submit]")
    phone.wait_for_url(lambda url: url.endswith("/"))
    assert "您好，马小军" in phone.content()
    assert "我的任务" in phone.content()
    # Nothing overflows the 360 px screen horizontally.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path="test-artifacts/first-login-phone.png", full_page=True)
