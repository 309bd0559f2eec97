"""The generated rows as database rows (tuples in the order of the fields listed here, foreign
keys as ids), written by the import toolkit's bulk writer (`imports.writers.bulk_writer`)."""

FINDING_FIELDS = [
    "number",
    "round",
    "window",
    "department",
    "staff",
    "category",
    "description",
    "deduction",
    "fix_deadline",
    "fixed_at",
]
CASE_FIELDS = [
    "number",
    "item_code",
    "item_name",
    "window",
    "department",
    "accepted_at",
    "promised_days",
    "legal_days",
    "completed_at",
    "promised_due",
    "legal_due",
]
EVALUATION_FIELDS = [
    "number",
    "case_number",
    "window",
    "department",
    "staff",
    "channel",
    "rating",
    "comment",
    "evaluated_at",
    "appeal",
    "follow_up",
]


def finding_db_row(row, round_ids):
    staff = row[4]
    return (
        row[0],
        round_ids[row[1]],
        row[2].pk,
        row[3],
        staff.pk if staff else None,
        *row[5:],
    )


def case_db_row(row):
    return (*row[:3], row[3].pk, *row[4:])


def evaluation_db_row(row):
    return (*row[:2], row[2].pk, row[3], row[4].pk, *row[5:])
