"""Every signed-in page has its menu: always shown on a desktop, one tap away on a phone."""

from tests.e2e.conftest import log_in


def test_desktop_shows_the_menu_and_logout_without_a_tap(desktop):
    log_in(desktop, "10002")
    desktop.wait_for_url(lambda url: url.endswith("/"))
    nav = desktop.locator("nav.nav-desktop")
    assert nav.is_visible()
    assert nav.get_by_role("link", name="知识库").is_visible()
    assert nav.get_by_role("button", name="退出").is_visible()
    assert not desktop.locator("details.menu summary").is_visible()


def test_phone_menu_opens_with_one_tap(phone):
    log_in(phone, "10202")
    phone.wait_for_url(lambda url: url.endswith("/"))
    nav = phone.locator("nav.nav-phone")
    assert not nav.is_visible()
    assert not phone.locator("nav.nav-desktop").is_visible()
    phone.locator("details.menu summary").click()
    assert nav.get_by_role("link", name="知识库").is_visible()
    nav.get_by_role("link", name="知识库").click()
    phone.wait_for_url("**/kb/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
