"""A safety officer drafts a procedure, the safety department publishes it, and a press operator
finds it on a phone by searching a word from its body, reads it and confirms (已阅读确认)."""

from tests.e2e.conftest import log_in

TITLE = "冲压模具快换作业安全操作规程"


def _switch_user(page, emp_no: str) -> None:
    page.wait_for_load_state("networkidle")  # static requests in flight would set the session cookie again
    page.goto("about:blank")
    page.context.clear_cookies()
    log_in(page, emp_no)
    page.wait_for_url(lambda url: "/auth/login" not in url)


def test_officer_drafts_safety_dept_publishes_employee_acknowledges(phone):
    _switch_user(phone, "10200")  # 部门安全员 王振华 (冲压车间)
    phone.goto("/kb/new/procedures")
    phone.fill("input[name=title]", TITLE)
    phone.get_by_label("冲压工", exact=True).check()  # positions by name, from a checkbox list
    phone.fill("textarea[name=ppe]", "防冲击护目镜\n防割手套\n劳保鞋")
    phone.fill("textarea[name=before_work]", "确认快换夹紧器气压正常\n滑块停在下死点并插好安全栓")
    phone.fill("textarea[name=during_work]", "换模时执行上锁挂牌\n一人指挥，确认无人后再点动")
    phone.fill("textarea[name=after_work]", "拔出安全栓，空行程试车两次")
    phone.fill("textarea[name=prohibitions]", "严禁未插安全栓时将手伸入模区")
    phone.fill("textarea[name=emergency]", "立即按下急停并报告班组长")
    phone.fill("textarea[name=body]", "## 适用范围\n\n冲压车间使用快换夹紧装置的压力机换模作业。")
    phone.click("button:has-text('保存草稿')")
    phone.wait_for_url("**/kb/d/**")
    assert "草稿已保存" in phone.content()
    phone.click("button:has-text('提交审核')")
    assert "已提交审核" in phone.content()

    _switch_user(phone, "10002")  # 安全管理部门 刘安平
    phone.goto("/kb/review")
    phone.click(f"text={TITLE}")
    phone.click("button:has-text('审核通过并发布')")
    assert "已发布" in phone.content()

    _switch_user(phone, "10202")  # 冲压工 赵红梅
    assert TITLE in phone.content()  # home panel 待阅读确认
    phone.goto("/kb/")
    phone.fill("input[name=q]", "快换夹紧装置")  # a phrase found only in the new procedure's body
    phone.press("input[name=q]", "Enter")
    phone.wait_for_url("**/kb/search?**")
    first = phone.locator(".search-hit").first
    assert TITLE in first.inner_text()
    first.locator(f"a:has-text('{TITLE}')").click()
    assert "滑块停在下死点并插好安全栓" in phone.content()
    phone.click("button:has-text('已阅读确认')")
    assert "已确认阅读" in phone.content()
    assert phone.locator(".kb-ack-state").inner_text().strip().endswith("已确认")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path="test-artifacts/kb-procedure-phone.png", full_page=True)
    phone.goto("/kb/my-position")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path="test-artifacts/kb-my-position-phone.png", full_page=True)
