# Django's Arabic locale has no DATETIME_FORMAT and falls back to the English
# order ("ديسمبر 14, 2026, 9:30 ص"); this follows its Arabic DATE_FORMAT.
DATETIME_FORMAT = "j F، Y، g:i A"
