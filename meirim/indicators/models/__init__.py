from meirim.indicators.models.catalogue import (
    BaselineFigure,
    BaselineSection,
    CatalogueItem,
    CatalogueVersion,
    Category,
    DenominatorSeries,
    GovernanceQuestion,
    GovernanceSection,
    Indicator,
    SubDomain,
)

__all__ = [
    "BaselineFigure",
    "BaselineSection",
    "CatalogueItem",
    "CatalogueVersion",
    "Category",
    "DenominatorSeries",
    "GovernanceQuestion",
    "GovernanceSection",
    "Indicator",
    "SubDomain",
]
