"""Personal-data detection and redaction of children's messages (also used for public
comments): eager on phones, e-mails, links, addresses and names, in the four languages."""

from __future__ import annotations

import itertools

import pytest
from django.utils import translation

from meirim.voice import privacy

PERSONAL = [
    ("Позвоните маме +7 701 123 45 67 пожалуйста", "phone", "701 123 45 67"),
    ("мой номер 8(701)1234567", "phone", "1234567"),
    ("звони 0555 12 34 56", "phone", "12 34 56"),
    ("write to aigerim.s@mail.kz please", "email", "aigerim.s@mail.kz"),
    ("смотри https://vk.com/id12345 там фото", "link", "vk.com/id12345"),
    ("my insta @aru_kz_2014", "link", "@aru_kz_2014"),
    ("напиши мне t.me/aru_2014 или instagram.com/aru", "link", "aru_2014"),
    ("Менин номерим +996 555 123 456", "phone", "555 123 456"),
    ("ЖСН 140512600123 менікі", "phone", "140512600123"),
    ("Я живу на ул. Абая 25 кв 7, там нет света", "address", "Абая 25"),
    ("Біз Абай көшесінде 12 үйде тұрамыз", "address", "12"),
    ("I live at 5 Lenin street and it is dark", "address", "street and it is dark"),
    ("Меня зовут Айгерим и мне 12 лет", "name", "Айгерим"),
    ("Менің атым Нұрсұлтан, мектеп жаман", "name", "Нұрсұлтан"),
    ("My name is Daniyar Bekov", "name", "Daniyar"),
    ("В нашем классе учитель Асель Маратовна кричит", "name", "Асель Маратовна"),
]

PLAIN = [
    "Сделайте, пожалуйста, скейт-парк возле озера.",
    "Мектепке баратын жолда бағдаршам керек.",
    "We need 20 more benches in the park in 2026.",
    "Во дворе нет горки для малышей.",
    "Спорт залы кешке де ашық болса екен.",
    "В 2025-2026 учебном году нужен кружок шахмат.",
    "Биз 2024–2025-окуу жылында спорт аянтча сурайбыз.",
]


@pytest.mark.parametrize(("text", "kind", "secret"), PERSONAL)
def test_personal_data_is_found_and_removed(text, kind, secret):
    found = privacy.findings(text)
    assert privacy.looks_personal(text)
    assert kind in {f.kind for f in found}, found
    with translation.override("en"):
        redacted = privacy.redact(text)
    assert secret not in redacted
    assert "[removed]" in redacted


@pytest.mark.parametrize("text", PLAIN)
def test_ordinary_messages_are_not_held(text):
    assert not privacy.looks_personal(text), privacy.findings(text)
    assert privacy.redact(text) == text


def test_the_marker_is_in_the_readers_language_and_spans_do_not_overlap():
    text = "Меня зовут Айгерим, мой телефон +7 777 000 11 22, почта a@b.kz"
    spans = privacy.findings(text)
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))
    with translation.override("ru"):
        redacted = privacy.redact(text)
    assert "Айгерим" not in redacted and "777" not in redacted and "a@b.kz" not in redacted
    assert "[" in redacted and "removed" not in redacted
