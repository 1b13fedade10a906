# Number formats for Kazakh, which Django does not ship: thousands grouped with a
# non-breaking space, as in Russian and Kyrgyz (dates keep Django's defaults).
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
