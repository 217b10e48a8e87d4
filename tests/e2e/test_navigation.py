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


def test_a_long_desktop_menu_folds_managers_pages_into_sections(desktop):
    log_in(desktop, "10001")  # the administrator sees every page of the site
    desktop.wait_for_url(lambda url: url.endswith("/"))
    nav = desktop.locator("nav.nav-desktop")
    assert nav.get_by_role("link", name="知识库").is_visible()
    assert nav.get_by_role("button", name="退出").is_visible()
    audit = nav.get_by_role("link", name="审计日志")
    assert not audit.is_visible()
    box = desktop.locator("header.topbar").bounding_box()
    assert box["height"] < 70, "the menu fits in one row at 1366 px"
    nav.locator("summary", has_text="系统管理").click()
    assert audit.is_visible()
    audit.click()
    desktop.wait_for_url("**/audit**")
    assert "here" in (nav.locator("summary", has_text="系统管理").get_attribute("class") or "")


def test_the_phone_menu_names_its_sections(phone):
    log_in(phone, "10001")
    phone.wait_for_url(lambda url: url.endswith("/"))
    phone.locator("details.menu summary").click()
    nav = phone.locator("nav.nav-phone")
    assert nav.locator(".nav-heading", has_text="系统管理").is_visible()
    nav.get_by_role("link", name="审计日志").scroll_into_view_if_needed()
    assert nav.get_by_role("link", name="审计日志").is_visible()
