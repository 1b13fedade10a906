"""Phase 2's demonstration content: the national council's roster, two past cycles with their
decisions (Level 2 for Almaty, Level 1 for Shymkent expiring soon, Aktobe not recognised on
re-assessment and its earlier Level 1 expired), and the cycle in progress: its call open,
Pavlodar's portfolio submitted with the community group's report and two reviewers' scores,
Almaty's expression of interest. Dates are counted from the day the demo is built, so the
deadlines of the open call always lie ahead.

The past is recorded as rows (it happened before the platform); the cycle in progress goes
through the services wherever a rule applies to it. Safe to run again: nothing is added
once the demo's cycles exist.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from meirim.accounts.models import User
from meirim.geography.models import Municipality
from meirim.portfolio.models import Portfolio
from meirim.recognition import applications, dates, reviews
from meirim.recognition.models import (
    Application,
    CommunityGroup,
    CommunityGroupMember,
    CommunityReport,
    CommunityVerdict,
    CouncilMember,
    Criterion,
    Cycle,
    Decision,
    Level,
    Recognition,
)

ALL_COMMITMENTS = [f"A{n}" for n in range(1, 8)]
PAVLODAR = "KZ-PAV-PAVLODAR"
KOKSHETAU = "KZ-AKM-KOKSHETAU"
ALMATY = "KZ-ALA"
SHYMKENT = "KZ-SHY"
AKTOBE = "KZ-AKT-AKTOBE"


@dataclass(frozen=True)
class _Criterion:
    code: str
    names: dict[str, str]
    descriptions: dict[str, str]
    fields: dict[str, Any]


CRITERIA = (
    _Criterion(
        "K1",
        {
            "kk": "Ұлттық индекс бойынша нысаналы көрсеткіштерге қол жеткізудегі прогресс",
            "ru": "Прогресс по национальному индексу в достижении целевых показателей",
            "en": "Progress on the national index towards the targets",
            "ky": "Улуттук индекс боюнча максаттуу көрсөткүчтөргө жетүүдөгү прогресс",
        },
        {
            "kk": "Әр индикатордың базалық және соңғы мәні; байланысты индикаторлардағы жақсару.",
            "ru": "Базовое и последнее значение каждого индикатора; улучшение по связанным "
            "индикаторам.",
            "en": "The baseline and latest value of every indicator; improvement on the linked "
            "indicators.",
            "ky": "Ар бир индикатордун базалык жана акыркы мааниси; байланышкан индикаторлор "
            "боюнча жакшыруу.",
        },
        {"indicators": ["I01", "I02", "I10", "I17", "I30"], "weight": 2},
    ),
    _Criterion(
        "K2",
        {
            "kk": "Бала құқықтарын басым қоятын басқару",
            "ru": "Управление, ставящее права детей на первое место",
            "en": "Governance that puts children's rights first",
            "ky": "Балдардын укуктарын биринчи орунга койгон башкаруу",
        },
        {
            "kk": "Басқаруды бағалау құралының жауаптары және олардың жақсаруы.",
            "ru": "Ответы инструмента оценки управления и их улучшение.",
            "en": "The governance self-assessment's answers and how they improved.",
            "ky": "Башкарууну баалоо куралынын жооптору жана алардын жакшырышы.",
        },
        {"governance_questions": ["G01", "G02", "G05", "G10", "G20"]},
    ),
    _Criterion(
        "K3",
        {
            "kk": "Балалар мен жастардың қатысуы",
            "ru": "Участие детей и молодёжи",
            "en": "Children's and young people's participation",
            "ky": "Балдардын жана жаштардын катышуусу",
        },
        {
            "kk": "Қатысудың алуан түрлілігі, сапасы және саны (P1–P9).",
            "ru": "Разнообразие, качество и масштаб участия (P1–P9).",
            "en": "The diversity, quality and quantity of participation (P1–P9).",
            "ky": "Катышуунун ар түрдүүлүгү, сапаты жана саны (P1–P9).",
        },
        {"participation_evidence": [f"P{n}" for n in range(1, 10)]},
    ),
    _Criterion(
        "K4",
        {
            "kk": "Пайдаланушылар бағалаған объектілер мен қызметтердің сапасы",
            "ru": "Качество объектов и услуг по оценке их пользователей",
            "en": "Quality of facilities and services, evaluated by their users",
            "ky": "Колдонуучулар баалаган объекттердин жана кызматтардын сапаты",
        },
        {
            "kk": "Аудиттен бері не жақсарды және балалар оны қалай бағалады.",
            "ru": "Что улучшилось после аудита и как это оценили дети.",
            "en": "What improved since the audit and how children rated it.",
            "ky": "Аудиттен бери эмне жакшырды жана балдар аны кантип баалашты.",
        },
        {"uses_facilities": True},
    ),
    _Criterion(
        "K5",
        {
            "kk": "Стратегия мен іс-қимыл жоспарының балалар өміріне ықпалы",
            "ru": "Влияние стратегии и плана действий на жизнь детей",
            "en": "Impact of the strategy and action plan on children's lives",
            "ky": "Стратегиянын жана иш-аракеттер планынын балдардын жашоосуна таасири",
        },
        {
            "kk": "Шаралар тізімі және олардың ықпалының дәлелі (бұрын/кейін, балалардың пікірі).",
            "ru": "Перечень мер и доказательства их влияния (до/после, отзывы детей).",
            "en": "The checklist of actions and evidence of their impact (before/after, "
            "children's feedback).",
            "ky": "Чаралардын тизмеси жана алардын таасиринин далилдери (мурун/кийин, "
            "балдардын пикири).",
        },
        {"uses_strategy_impact": True},
    ),
)

ROSTER = (
    ("Айгерім Сейтқали", CouncilMember.Constituency.MINISTRY, "Оқу-ағарту министрлігі", "council"),
    ("Нұрлан Жақыпов", CouncilMember.Constituency.MINISTRY, "Денсаулық сақтау министрлігі", ""),
    ("Дина Оспанова", CouncilMember.Constituency.UNICEF, "ЮНИСЕФ Қазақстан", ""),
    ("Ерасыл Төлеген", CouncilMember.Constituency.CHILDREN_YOUTH, "Жастар ресурстық орталығы", ""),
    ("Мадина Ахметова", CouncilMember.Constituency.NGO, "«Балалар құқығы» қоғамдық қоры", ""),
    ("Тимур Каримов", CouncilMember.Constituency.MEDIA, "Қазақстан баспасөз клубы", ""),
    ("Гүлжан Бекова", CouncilMember.Constituency.PARENTS, "Ата-аналар қауымдастығы", ""),
    ("Алексей Ким", CouncilMember.Constituency.INTERNATIONAL_PRIVATE, "Бизнес-қауымдастық", ""),
)


def _months(day: datetime.date, months: int) -> datetime.date:
    return dates.add_months(day, months)


def _town(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


def _cycle(name: str, start: datetime.date, offsets: dict[str, int], **fields: Any) -> Cycle:
    cycle = Cycle.objects.create(
        name=name,
        starts_on=start,
        ends_on=_months(start, 24),
        eoi_deadline=_months(start, offsets["eoi"]),
        portfolio_deadline=_months(start, offsets["portfolio"]),
        community_report_deadline=_months(start, offsets["community"]),
        decision_date=_months(start, offsets["decision"]),
        level1_threshold=50,
        level2_threshold=75,
        is_demo=True,
        **fields,
    )
    for order, criterion in enumerate(CRITERIA, start=1):
        Criterion.objects.create(
            cycle=cycle,
            code=criterion.code,
            order=order,
            **{f"name_{lang}": text for lang, text in criterion.names.items()},
            **{f"description_{lang}": text for lang, text in criterion.descriptions.items()},
            **criterion.fields,
        )
    return cycle


def _past_application(cycle: Cycle, code: str, *, submitted: datetime.date) -> Application:
    moment = timezone.make_aware(datetime.datetime.combine(submitted, datetime.time(11, 0)))
    return Application.objects.create(
        cycle=cycle,
        municipality=_town(code),
        state=Application.State.DECIDED,
        commitments=ALL_COMMITMENTS,
        signatory_name="Қала әкімі",
        signed_on=submitted,
        eoi_submitted_at=moment,
        portfolio_submitted_at=moment + datetime.timedelta(days=150),
        community_report_received_at=moment + datetime.timedelta(days=200),
        is_demo=True,
    )


def _past_decision(
    application: Application,
    level: str,
    decided_on: datetime.date,
    reasons: str,
    recommendations: str,
    previous_level: str = "",
) -> Recognition | None:
    decision = Decision.objects.create(
        application=application,
        level=level,
        reasons=reasons,
        recommendations=recommendations,
        decided_on=decided_on,
        previous_level=previous_level,
    )
    if level == Level.NONE:
        return None
    return Recognition.objects.create(
        municipality=application.municipality,
        cycle=application.cycle,
        decision=decision,
        level=level,
        granted_on=decided_on,
        expires_on=dates.expiry(application.cycle, level, decided_on),
        is_demo=True,
    )


def _roster() -> None:
    for name, constituency, organisation, username in ROSTER:
        CouncilMember.objects.create(
            name=name,
            constituency=constituency,
            organisation=organisation,
            user=User.objects.filter(username=username).first() if username else None,
            is_demo=True,
        )


def _past_cycles(today: datetime.date) -> None:
    """Two closed cycles: their decisions and the statuses they granted."""
    older = _cycle(
        "2022–2024",
        _months(today, -48),
        {"eoi": 2, "portfolio": 8, "community": 10, "decision": 12},
        state=Cycle.State.CLOSED,
    )
    aktobe_first = _past_application(older, AKTOBE, submitted=_months(today, -47))
    first = _past_decision(
        aktobe_first,
        Level.L1,
        older.decision_date,
        "Қала негізгі талаптарды орындады: базалық деректер толық, стратегия қабылданған.",
        "Балалардың қатысуын тек кеңес беру деңгейінен жоғары көтеру.",
    )
    assert first is not None
    # Its two years ran out: the status expired (the daily task's work, recorded).
    Recognition.objects.filter(pk=first.pk).update(
        ended_on=first.expires_on, end_reason=Recognition.End.EXPIRED
    )

    closed = _cycle(
        "2024–2026",
        _months(today, -30),
        {"eoi": 2, "portfolio": 5, "community": 7, "decision": 8},
        state=Cycle.State.CLOSED,
    )
    decided_on = closed.decision_date
    _past_decision(
        _past_application(closed, ALMATY, submitted=_months(today, -29)),
        Level.L2,
        decided_on,
        "Барлық бес критерий бойынша тұрақты прогресс; балалар кеңесі бюджетке ықпал етеді.",
        "Аудандар бойынша бөлінген деректерді жариялауды жалғастыру.",
    )
    # Level 1 for two years from eight months into the cycle: it ends two months after the
    # demo's day, so its 90-day notice is due.
    _past_decision(
        _past_application(closed, SHYMKENT, submitted=_months(today, -29)),
        Level.L1,
        decided_on,
        "Индекс бойынша жақсару бар, бірақ объектілердің қолжетімділігі әлі төмен.",
        "Мүгедектігі бар балалар үшін ойын алаңдарын бейімдеу.",
    )
    _past_decision(
        _past_application(closed, AKTOBE, submitted=_months(today, -29)),
        Level.NONE,
        decided_on,
        "Стратегияның ықпалы бағаланбаған: шаралар орындалды деп белгіленген, бірақ "
        "балаларға әсері туралы дәлел жоқ.",
        "Әр шараның алдындағы және кейінгі көрсеткіштерін жинау; балалардан сұрау.",
        previous_level=Level.L1,
    )
    Cycle.objects.filter(pk__in=[older.pk, closed.pk]).update(
        call_opened_at=timezone.now() - datetime.timedelta(days=900),
        decisions_published_at=timezone.now() - datetime.timedelta(days=600),
    )


def _groups() -> None:
    """Community groups: Pavlodar's (with the demo's young member), Kokshetau's, Almaty's."""
    members = {
        PAVLODAR: [
            ("Әлихан Серікұлы", CommunityGroupMember.Kind.YOUNG_PERSON, "18_24", "youth"),
            ("Аяжан Мұратқызы", CommunityGroupMember.Kind.CHILD, "14_17", ""),
            ("Данияр Ерланұлы", CommunityGroupMember.Kind.CHILD, "10_13", ""),
            ("Сәуле Ибраева", CommunityGroupMember.Kind.ADULT, "", ""),
        ],
        KOKSHETAU: [
            ("Аружан Қасымова", CommunityGroupMember.Kind.CHILD, "14_17", "community"),
            ("Илья Петров", CommunityGroupMember.Kind.YOUNG_PERSON, "18_24", ""),
        ],
        ALMATY: [
            ("Томирис Абенова", CommunityGroupMember.Kind.CHILD, "14_17", ""),
            ("Арман Нурланов", CommunityGroupMember.Kind.YOUNG_PERSON, "18_24", ""),
        ],
    }
    organisations = {
        PAVLODAR: "Павлодар жастар кеңесі",
        KOKSHETAU: "Молодёжный совет Кокшетау",
        ALMATY: "Алматы балалар парламенті",
    }
    formed = _months(timezone.localdate(), -3)
    for code, people in members.items():
        group = CommunityGroup.objects.create(
            municipality=_town(code), formed_on=formed, is_demo=True
        )
        for name, kind, band, username in people:
            CommunityGroupMember.objects.create(
                group=group,
                name=name,
                kind=kind,
                age_band=band,
                organisation=organisations[code],
                user=User.objects.filter(username=username).first() if username else None,
                joined_on=formed,
                is_demo=True,
            )


def _phase1_done_before(code: str) -> None:
    """Cities recognised before the platform existed went through Phase 1 on paper."""
    Portfolio.objects.get_or_create(
        municipality=_town(code), defaults={"state": Portfolio.State.FEEDBACK_RECEIVED}
    )


def demo_populate() -> None:
    """Add Phase 2's demonstration content once (see the module's description)."""
    if Cycle.objects.filter(is_demo=True).exists():
        return
    today = timezone.localdate()
    with transaction.atomic():
        _roster()
        _past_cycles(today)
        _groups()
        for code in (ALMATY, SHYMKENT, AKTOBE):
            _phase1_done_before(code)
        current = _cycle(
            "2026–2028",
            _months(today, -2),
            {"eoi": 4, "portfolio": 8, "community": 10, "decision": 12},
            state=Cycle.State.CALL_OPEN,
        )
        Cycle.objects.filter(pk=current.pk).update(
            call_opened_at=timezone.now() - datetime.timedelta(days=60)
        )
    _current_cycle(current)


def _current_cycle(cycle: Cycle) -> None:
    """Almaty re-applies and its portfolio is under review, with its group's report and two
    reviewers' scores (the council member agrees with the group more than the reviewer
    does); Pavlodar has applied and is preparing its portfolio, three indicators of its open
    year still unreported — the newcomer's walk carries it on."""
    today = timezone.localdate()
    almaty = applications.eoi_submit(
        cycle=cycle,
        municipality=_town(ALMATY),
        commitments=ALL_COMMITMENTS,
        signatory_name="Ерболат Досаев",
        signatory_position="Алматы қаласының әкімі",
        signed_on=today - datetime.timedelta(days=40),
        actor=None,
    )
    Application.objects.filter(pk=almaty.pk).update(is_demo=True)
    applications.portfolio_texts_save(application=almaty, texts=ALMATY_TEXTS, actor=None)
    applications.evidence_save(application=almaty, statements=ALMATY_EVIDENCE, actor=None)
    applications.portfolio_submit(application=almaty, actor=None)
    almaty.refresh_from_db()
    _almaty_report(almaty)
    _almaty_reviews(almaty)

    pavlodar = applications.eoi_submit(
        cycle=cycle,
        municipality=_town(PAVLODAR),
        commitments=ALL_COMMITMENTS,
        signatory_name="Асхат Оралов",
        signatory_position="Павлодар қаласының әкімі",
        signed_on=today - datetime.timedelta(days=20),
        actor=None,
    )
    Application.objects.filter(pk=pavlodar.pk).update(is_demo=True)
    applications.portfolio_texts_save(application=pavlodar, texts=PAVLODAR_TEXTS, actor=None)
    applications.evidence_save(application=pavlodar, statements=PAVLODAR_EVIDENCE, actor=None)


def _almaty_report(application: Application) -> None:
    """The Almaty group's report, as its members sent it (recorded: its authors have no
    accounts in the demo)."""
    report = CommunityReport.objects.create(
        application=application,
        text=ALMATY_REPORT,
        submitted_at=timezone.now() - datetime.timedelta(days=2),
    )
    for code, verdict, comment in ALMATY_VERDICTS:
        CommunityVerdict.objects.create(
            report=report,
            criterion=application.cycle.criteria.get(code=code),
            verdict=verdict,
            comment=comment,
        )
    Application.objects.filter(pk=application.pk).update(
        community_report_received_at=report.submitted_at
    )


def _almaty_reviews(application: Application) -> None:
    """The council member who reviews scores every criterion; the reviewer three of them,
    far from the council member on K4 (a disagreement the side-by-side page highlights)."""
    for username, marks in REVIEWS.items():
        if not User.objects.filter(username=username).exists():
            continue
        assignment = reviews.reviewer_assign(application=application, username=username, actor=None)
        reviews.conflict_declare(assignment=assignment, conflict=False, note="", actor=None)
        reviews.scores_save(
            assignment=assignment,
            scores=[
                reviews.ScoreIn(code, score, comment, cited)
                for code, score, comment, cited in marks
            ],
            actor=None,
        )


ALMATY_TEXTS = {
    "introduction": (
        "Алматы — крупнейший город страны, где живут более 600 тысяч детей. Город у подножия "
        "гор, с быстрым ростом новых микрорайонов на окраинах, где детских садов, площадок и "
        "безопасных маршрутов в школу пока меньше, чем в центре. Портфолио подготовлено "
        "городским координационным советом вместе с детским парламентом: 14 встреч с детьми "
        "в восьми районах и онлайн-опрос 3 200 школьников."
    ),
    "index_commentary": (
        "С 2021 года снизились младенческая смертность и травматизм детей на дорогах; охват "
        "дошкольным образованием вырос в новых микрорайонах. Данных по детям с инвалидностью "
        "на уровне районов пока нет — это отмечено в плане действий."
    ),
    "facilities_improvement": (
        "После аудита 2024 года 27 дворовых площадок переоборудованы с пандусами и "
        "инклюзивным оборудованием; открыты два молодёжных центра в Алатауском районе."
    ),
    "users_evaluation": (
        "Дети оценили площадки до и после ремонта (средняя оценка выросла с 2,6 до 4,1 из 5); "
        "в молодёжных центрах проведены три фокус-группы с подростками."
    ),
    "participation_summary": (
        "Детский парламент (42 депутата 12–17 лет) участвует в распределении бюджета "
        "инициатив; решения о двух парках приняты вместе с детьми."
    ),
    "impact_summary": (
        "Из 38 мер плана 31 выполнена, 24 оценены по данным до/после или отзывам детей."
    ),
}
ALMATY_EVIDENCE = {
    "K1": "Прогресс по 41 из 74 индикаторов; 6 ухудшились — причины описаны, меры в плане.",
    "K2": "Стратегия для детей утверждена маслихатом; права ребёнка включены в регламент "
    "подготовки всех городских программ.",
    "K3": "Детский парламент, бюджет инициатив детей, онлайн-опросы; уровни H6–H8 по "
    "лестнице Харта.",
    "K4": "27 площадок и два молодёжных центра, оценённые детьми до и после.",
    "K5": "Чек-лист из 38 мер с доказательствами влияния по 24 из них.",
}
ALMATY_REPORT = (
    "Мы, молодёжная группа города, прочитали портфолио и поговорили с детьми в трёх "
    "районах. Площадки действительно стали лучше, но в Наурызбайском районе до ближайшей "
    "доступной площадки по-прежнему больше двух километров. Детский парламент работает, "
    "однако его решения по бюджету в 2026 году учтены только частично."
)
ALMATY_VERDICTS = (
    ("K1", "agree", "Цифры совпадают с тем, что мы видим."),
    ("K2", "agree", ""),
    ("K3", "partly", "Решения парламента учтены не полностью."),
    ("K4", "partly", "Окраины отстают от центра."),
    ("K5", "agree", ""),
)
REVIEWS = {
    "council": [
        ("K1", 4, "Сильный прогресс, ухудшения объяснены.", "Раздел индекса, I01, I10"),
        ("K2", 3, "Стратегия есть, нужен бюджетный мониторинг.", "Доказательства K2"),
        ("K3", 4, "Участие на высоких ступенях лестницы Харта.", "P1–P9"),
        ("K4", 3, "Хорошая оценка детьми, но окраины отстают.", "Аудит, оценки детей"),
        ("K5", 4, "Большинство мер оценены по данным до/после.", "Чек-лист мер"),
    ],
    "reviewer": [
        ("K1", 3, "Прогресс есть, но по 6 индикаторам ухудшение.", "Раздел индекса"),
        ("K2", 3, "Соответствует.", "Доказательства K2"),
        ("K4", 1, "Нет данных о доступности на окраинах.", "Аудит"),
    ],
}
PAVLODAR_TEXTS = {
    "introduction": (
        "Павлодар — Ертіс өзенінің жағасындағы өнеркәсіпті қала, мұнда 90 мыңнан астам бала "
        "тұрады. Дайындық кезеңінде қалалық үйлестіру кеңесі құрылды, басқаруды бағалау "
        "өткізілді және балалармен бірге стратегия жазылды."
    ),
    "index_commentary": (
        "2025 жылдың деректері әлі толық емес: үш индикатор бойынша мәліметтер жиналуда."
    ),
}
PAVLODAR_EVIDENCE = {
    "K1": "Бастапқы деректермен салыстырғанда 30-дан астам индикатор жақсарды.",
    "K3": "Жастар кеңесі мен мектеп парламенттері стратегияны талқылауға қатысты.",
}
