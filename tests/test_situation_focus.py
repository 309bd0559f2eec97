"""Where focus lands on a guide opened for one situation: on the chosen button after the
picker's own round trip (no JavaScript), nowhere special for any other address with
?situation= (a shared link, the 长辈版 switch's way back), which starts at the top."""

import pytest
from bs4 import BeautifulSoup

from tests import factories

pytestmark = pytest.mark.django_db


def autofocused(client, url):
    page = BeautifulSoup(client.get(url).content, "html.parser")
    return [button.get("value") for button in page.select("button[autofocus]")]


def test_the_pickers_round_trip_focuses_the_chosen_situation(client):
    guide = factories.guide()
    first = guide.situations.first()
    assert autofocused(client, f"{guide.url}?situation={first.pk}&picked=1") == [str(first.pk)]
    assert autofocused(client, f"{guide.url}?situation=&picked=1") == [""]  # 全部情形


def test_a_shared_address_with_a_situation_does_not_move_focus(client):
    guide = factories.guide()
    first = guide.situations.first()
    assert autofocused(client, f"{guide.url}?situation={first.pk}") == []
    assert autofocused(client, f"{guide.url}?situation=") == []
