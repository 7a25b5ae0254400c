"""Bank statements: the 1C client-bank exchange format and MT940, read into one shape."""

from .common import ParsedStatement, StatementError, StatementLineData
from .parse import parse_statement

__all__ = ["ParsedStatement", "StatementError", "StatementLineData", "parse_statement"]
