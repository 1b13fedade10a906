# Formats for Kazakh, which Django does not ship: thousands grouped with a
# non-breaking space, as in Russian and Kyrgyz; short dates as day.month.year.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
