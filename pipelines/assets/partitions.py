"""Monthly partitions shared by every monthly dataset and derived stage."""

import dagster as dg

FIRST_MONTH = "2018-01-01"

monthly = dg.MonthlyPartitionsDefinition(start_date=FIRST_MONTH, end_offset=1)
