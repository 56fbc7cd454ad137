"""Imports from the systems schools already keep (iCalendar feeds, EDEXML files, Zermelo,
Somtoday Connect) into the platform's pupils, classes, teachers and free dayparts, keeping only
the fields the platform uses."""
