# The pages' dates and moments as 2027-01-13 and 2027-01-13 17:00 (Beijing time), wherever they are written:
# one form to read and compare in tables, messages and e-mails alike. A letter writes its date out
# (templates/projects/recommendation_letter.html).
DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
