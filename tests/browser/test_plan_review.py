"""Upload -> review beside the source -> edit, link, delete -> activate, in a real browser."""

import pytest

from chitieu.plans.models import Plan
from tests.browser.conftest import login, shot
from tests.conftest import seed_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_review_activate(page, people, tree, catalog):
    login(page, "unit_admin")
    page.click("text=Tải lên kế hoạch")
    page.set_input_files("#id_file", str(seed_path("000")))
    page.select_option("#id_issuer", label="Sở Nội vụ tỉnh Thử Nghiệm")
    page.click("button:has-text('Đọc tệp')")
    page.wait_for_selector("#targets")
    assert "15 chỉ tiêu, 26 nhiệm vụ" in page.inner_text(".messages")  # two sentences are the schedule
    assert page.locator("#targets tbody tr").count() == 15
    assert page.locator("#tasks tbody tr").count() == 26
    assert "Chế độ báo cáo" in page.inner_text("#che-do-bao-cao")
    plan = Plan.objects.get()

    # each item shows where it came from: clicking its line number highlights that source line
    first = plan.targets.order_by("position").first()
    page.click(f"#target-{first.pk} td.line a")
    page.wait_for_selector("#L23.active")
    assert "đạt trên 70%" in page.inner_text("#L23")
    shot(page, "plan-review")

    # edit a target in place (HTMX), with a bad value first
    page.click(f"#target-{first.pk} >> text=Sửa")
    page.fill(f"#target-{first.pk} input[name=threshold]", "nhiều")
    page.click(f"#target-{first.pk} button:has-text('Lưu')")
    page.wait_for_selector(f"#target-{first.pk} [data-field=threshold]")
    assert "Ngưỡng phải là số" in page.inner_text(f"#target-{first.pk}")
    page.fill(f"#target-{first.pk} input[name=threshold]", "75")
    page.click(f"#target-{first.pk} button:has-text('Lưu')")
    page.wait_for_selector(f"#target-{first.pk} >> text=trên 75%")
    first.refresh_from_db()
    assert (first.operator, first.threshold) == (">", 75)

    # confirm a catalog link proposed with its score
    second = plan.targets.order_by("position")[1]
    options = page.locator(f"#link-{second.pk} option").all_inner_texts()
    assert any("(" in o for o in options[1:]), options
    page.select_option(f"#link-{second.pk}", index=1)
    page.click(f"#target-{second.pk} button:has-text('Xác nhận')")
    page.wait_for_selector(f"#target-{second.pk} .badge")
    second.refresh_from_db()
    assert second.indicator is not None

    # delete a task
    task = plan.tasks.order_by("position").first()
    page.once("dialog", lambda d: d.accept())
    page.click(f"#task-{task.pk} button:has-text('Xóa')")
    page.wait_for_selector(f"#task-{task.pk}", state="detached")
    assert plan.tasks.count() == 25

    # activation waits until every unit name the tree does not know is settled by a person
    page.click("#activate")
    page.wait_for_selector("#truoc-kich-hoat")
    plan.refresh_from_db()
    assert plan.status == "draft"
    settled = 0
    while page.locator("form.name-choice").count():
        form = page.locator("form.name-choice").first
        form.locator("select").select_option(value=str(tree["dept"].pk))
        form.locator("button").click()
        page.wait_for_load_state("load")
        settled += 1
        assert settled < 60
    assert settled >= 1
    page.click("#activate")
    page.wait_for_selector("[data-status=active]")
    plan.refresh_from_db()
    assert plan.status == "active"
    shot(page, "plan-activated")
