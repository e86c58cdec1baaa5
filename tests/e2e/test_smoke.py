import pytest

pytestmark = pytest.mark.e2e


def test_home_page_renders_in_a_real_browser(live_url: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_url + "/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Upcoming meetings"
