"""National legal review, both ways: a profile's legal facts as a worksheet, and back.

facts.py holds the model both directions share (a profile's legal facts as a reviewer sees
them, the sheet's columns and control sheet); export.py writes the worksheet ('review export');
apply.py applies a filled one to the profile ('review import').
"""

from .apply import import_sheet
from .export import export_sheet
from .facts import COLUMNS, CONTROL_SHEET, REVIEWER_COLUMNS

__all__ = ["COLUMNS", "CONTROL_SHEET", "REVIEWER_COLUMNS", "export_sheet", "import_sheet"]
