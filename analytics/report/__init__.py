"""The work summary (工作总结) and the meeting handout, written from the warehouse's figures.

`build.work_summary` turns a town's year into a `Report` (headings, sentences, tables, charts and
the figures behind every number); `docx`, `pdf` and `handout` render it. Nothing here invents a
claim: where only the committee can write (the political framing, the stories), the report holds a
marked placeholder.
"""

from analytics.report.build import NoReportData, work_summary
from analytics.report.model import Report

__all__ = ["NoReportData", "Report", "work_summary"]
