"""Imports from the systems schools already keep: a school's administration and timetable
(Zermelo, Somtoday Connect) read into the platform's pupils, classes, teachers and free
dayparts, keeping only the fields the platform uses."""
