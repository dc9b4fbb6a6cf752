"""Invoices.

class Invoice: in a docstring is not a definition.
"""


@dataclass
class Invoice:
    total: int = 0
