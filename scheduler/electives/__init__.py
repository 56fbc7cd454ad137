"""Problem C: cross-school electives (regio-leren), an exact min-cost flow (`network`), and the
report of which timetable slots would have to move (`timetables`)."""
