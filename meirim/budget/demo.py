"""Demonstration content of the budget for children (labelled ``is_demo``)."""

from __future__ import annotations

from decimal import Decimal

from meirim.budget import services
from meirim.budget.models import BudgetAnswer, BudgetLine, CityBudget
from meirim.geography.models import Municipality
from meirim.planning.models import Action

# City totals (tenge) and lines: (department, title, amount, share % or None, action code).
TOTALS = {2024: "98500000000", 2025: "104200000000", 2026: "111800000000"}
LINES = [
    ("Білім беру бөлімі", "Мектепке дейінгі ұйымдар", "9800000000", None, "7.1.b"),
    (
        "Білім беру бөлімі",
        "Мектеп оқушыларын ыстық тамақпен қамтамасыз ету",
        "2100000000",
        None,
        "",
    ),
    (
        "Дене шынықтыру және спорт бөлімі",
        "Балалар-жасөспірімдер спорт мектептері",
        "1450000000",
        None,
        "",
    ),
    ("Мәдениет бөлімі", "Кітапханалар", "620000000", "35", "7.1.a"),
    (
        "Жұмыспен қамту және әлеуметтік бағдарламалар бөлімі",
        "Көп балалы отбасыларға көмек",
        "1300000000",
        "60",
        "",
    ),
    (
        "Тұрғын үй-коммуналдық шаруашылық бөлімі",
        "Ойын алаңдары мен саябақтарды абаттандыру",
        "2400000000",
        "40",
        "7.1.b",
    ),
    (
        "Жолаушылар көлігі және автомобиль жолдары бөлімі",
        "Мектеп маңындағы қауіпсіз өткелдер",
        "3100000000",
        "25",
        "7.3.b",
    ),
    ("Денсаулық сақтау басқармасы", "Балалар емханаларын жабдықтау", "1750000000", None, ""),
]
# Growth of each line per year from 2024 (index 0) to 2026.
GROWTH = (Decimal("0.9"), Decimal("0.96"), Decimal("1"))
ANSWERS = {
    "BQ1": ("yes", "Бюджеттің барлық баптары балалар үлесі бойынша талданды."),
    "BQ2": ("partly", "Жасөспірімдер кеңесі бюджет жобасын талқылады; кеңес әлі жүйелі емес."),
    "BQ3": ("yes", "Бюджет әкімдік сайтында және «Балалар үні» бағдарламасында жарияланды."),
    "BQ4": ("partly", "Баптардың көбі стратегия іс-қимылдарымен байланыстырылған."),
}


def demo_populate(municipality: Municipality, *, complete: bool) -> None:
    """Pavlodar (``complete``): totals, eight lines and BQ1–BQ4 for 2024–2026.
    Kokshetau: nothing (the walk through enters a budget)."""
    if not complete:
        return
    if BudgetLine.objects.filter(municipality=municipality, is_demo=True).exists():
        return
    actions = {a.code: a for a in Action.objects.filter(municipality=municipality)}
    for index, (year, total) in enumerate(sorted(TOTALS.items())):
        if not CityBudget.objects.filter(municipality=municipality, year=year).exists():
            services.city_budget_set(
                municipality=municipality, year=year, total=Decimal(total), actor=None
            )
        for department, title, amount, share, action in LINES:
            services.budget_line_save(
                municipality=municipality,
                values={
                    "year": year,
                    "department": department,
                    "title": title,
                    "amount": (Decimal(amount) * GROWTH[index]).quantize(Decimal("1")),
                    "child_share": "indirect" if share else "direct",
                    "share_percent": Decimal(share) if share else None,
                },
                actions=[actions[action]] if action in actions else [],
                actor=None,
                is_demo=True,
            )
        if not BudgetAnswer.objects.filter(municipality=municipality, year=year).exists():
            services.budget_answers_save(
                municipality=municipality, year=year, answers=ANSWERS, actor=None
            )
