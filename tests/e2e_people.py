"""What the people of the end-to-end test do in the browser (tests/test_end_to_end.py): the
editor writes a guide in Wagtail's admin form and submits it, the reviewer approves it, a
visitor picks a handling situation, the manager opens the bulletin archive.

Selenium steps only, by the labels and names a person sees; no Django import, so the same
steps drive any running site.
"""

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as visible
from selenium.webdriver.support.ui import Select, WebDriverWait

# The demo logins (demo/site/data.py USERS; README: `make run` prints them).
PASSWORDS = {
    "editor": "zhengwu-editor-2026",
    "reviewer": "zhengwu-reviewer-2026",
    "manager": "zhengwu-manager-2026",
}


def wait(browser, seconds=15):
    return WebDriverWait(browser, seconds)


def log_in(browser, base_url, username):
    browser.get(base_url + "/admin/login/")
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(PASSWORDS[username])
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait(browser).until(lambda b: "/admin/login/" not in b.current_url)


def click(browser, element):
    """Click as a person would, after scrolling it into the middle of the window (the
    admin's sticky header and footer would otherwise take the click)."""
    browser.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element
    )
    wait(browser).until(visible.element_to_be_clickable(element))
    element.click()


def open_tab(browser, label):
    tab = browser.find_element(
        By.XPATH, f"//a[@role='tab'][contains(normalize-space(), '{label}')]"
    )
    click(browser, tab)


def fill(browser, field_id, text):
    field = browser.find_element(By.ID, field_id)
    browser.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", field
    )
    field.clear()
    field.send_keys(text)


def pick(browser, field_id, label):
    Select(browser.find_element(By.ID, field_id)).select_by_visible_text(label)


def choose_snippet(browser, field_id, name):
    """Wagtail's snippet chooser: open the modal, search for `name`, click it."""
    chooser = browser.find_element(By.ID, f"{field_id}-chooser")
    click(browser, chooser.find_element(By.CSS_SELECTOR, "[data-chooser-action-choose]"))
    modal = wait(browser).until(visible.visibility_of_element_located((By.CSS_SELECTOR, ".modal")))
    modal.find_element(By.CSS_SELECTOR, "input[name=q]").send_keys(name)

    def click_choice(b):
        # The results are searched again as the name is typed, and each answer replaces the
        # list: a link found in one answer may be gone by the click, so look again until a
        # click lands (a replaced link raises StaleElementReference, which the wait ignores).
        for link in b.find_elements(By.CSS_SELECTOR, ".modal a[data-chooser-modal-choice]"):
            # A material is listed with its code: 公司章程（CL-HT-0001）.
            if link.text.strip() == name or link.text.startswith(name + "（"):
                link.click()
                return True
        return False

    WebDriverWait(browser, 15, ignored_exceptions=(StaleElementReferenceException,)).until(
        click_choice
    )
    wait(browser).until(lambda b: "blank" not in chooser.get_attribute("class"))
    wait(browser).until(lambda b: not b.find_elements(By.CSS_SELECTOR, ".modal, .modal-backdrop"))


def add_row(browser, panel):
    """Press an inline panel's add button; the new row's field ids start with the result."""
    total = browser.find_element(By.ID, f"id_{panel}-TOTAL_FORMS")
    index = int(total.get_attribute("value"))
    click(browser, browser.find_element(By.ID, f"id_{panel}-ADD"))
    wait(browser).until(lambda b: int(total.get_attribute("value")) == index + 1)
    return f"id_{panel}-{index}"


def write_guide(browser, base_url, guide, shoot):
    """The editor adds a guide under 办事指南 and submits it to the review workflow."""
    browser.get(base_url + "/admin/pages/")
    click(browser, browser.find_element(By.CSS_SELECTOR, "a[aria-label=\"查看'首页'的子页面\"]"))
    # The row's "…" menu → 添加子页面 (one page type may go there: straight to its form).
    row = browser.find_element(By.XPATH, "//tr[.//a[normalize-space()='办事指南']]")
    click(browser, row.find_element(By.CSS_SELECTOR, "[data-w-dropdown-target=toggle]"))
    click(browser, row.find_element(By.CSS_SELECTOR, "a[href$='/add_subpage/']"))
    wait(browser).until(lambda b: "/add/cms/serviceguidepage/" in b.current_url)

    # 基本信息: identity and classification.
    fill(browser, "id_title", guide["title"])
    fill(browser, "id_implementation_code", guide["code"])
    fill(browser, "id_basic_code", guide["basic_code"])
    fill(browser, "id_summary", guide["summary"])
    pick(browser, "id_item_type", guide["item_type"])
    pick(browser, "id_audience", guide["audience"])
    choose_snippet(browser, "id_department", guide["department"])
    shoot("editor-identity")

    # 依据、条件与材料: a legal basis, who may apply, the materials, the two situations.
    open_tab(browser, "依据、条件与材料")
    row = add_row(browser, "legal_bases")
    pick(browser, f"{row}-kind", "设定依据")
    fill(browser, f"{row}-title", guide["basis"])
    fill(browser, f"{row}-article", guide["article"])
    fill(browser, "id_applicant_scope", guide["applicant_scope"])
    for material in guide["materials"]:
        row = add_row(browser, "materials")
        choose_snippet(browser, f"{row}-material", material)
    for situation in guide["situations"]:
        row = add_row(browser, "situations")
        fill(browser, f"{row}-name", situation["name"])
        for option in Select(browser.find_element(By.ID, f"{row}-materials")).options:
            if option.text.startswith(situation["material"] + "（"):
                option.click()
        fill(browser, f"{row}-promised_days", str(situation["promised_days"]))
    shoot("editor-situations")

    # 流程、时限与收费: one step, the time limits.
    open_tab(browser, "流程、时限与收费")
    row = add_row(browser, "steps")
    fill(browser, f"{row}-name", guide["step"])
    fill(browser, "id_legal_days", str(guide["legal_days"]))
    fill(browser, "id_promised_days", str(guide["promised_days"]))

    # 渠道与咨询: where to ask.
    open_tab(browser, "渠道与咨询")
    fill(browser, "id_enquiry_phone", guide["phone"])
    shoot("editor-channels")

    # Submit to the workflow: the footer's "more actions" menu.
    click(browser, browser.find_element(By.CSS_SELECTOR, "footer .w-dropdown__toggle"))
    click(browser, browser.find_element(By.CSS_SELECTOR, "footer button[name=action-submit]"))
    wait(browser, 30).until(lambda b: "/add/" not in b.current_url)
    shoot("editor-submitted")


def approve(browser, base_url, title, shoot):
    """The reviewer approves the guide from the dashboard's 等待你的审查 list: that publishes it."""
    browser.get(base_url + "/admin/")
    row = wait(browser).until(
        lambda b: b.find_element(By.XPATH, f"//tr[.//td[contains(normalize-space(), '{title}')]]")
    )
    shoot("reviewer-dashboard")
    click(browser, row.find_element(By.CSS_SELECTOR, "[data-w-dropdown-target=toggle]"))
    click(
        browser,
        row.find_element(
            By.XPATH,
            ".//button[@data-workflow-action-url][normalize-space()='批准'][not(@data-launch-modal)]",
        ),
    )
    # The dashboard reloads with a message and without the guide in the list.
    wait(browser, 30).until(
        lambda b: (
            not b.find_elements(By.XPATH, f"//tr[.//td[contains(normalize-space(), '{title}')]]")
        )
    )
    shoot("reviewer-approved")
