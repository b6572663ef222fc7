"""The one date format of the app (issue 17), for English: "7 Dec 2026" and
"7 Dec 2026, 14:05" in ``TIME_ZONE``. Django's own ``en`` formats ("Dec. 7, 2026, 2:05 p.m.")
would win over ``settings.DATE_FORMAT``, so ``FORMAT_MODULE_PATH`` points here; ``|date``,
``{{ datetime }}`` and the admin all use these. Input formats stay Django's."""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = "M Y"
