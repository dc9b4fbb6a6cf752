SNIPPET = """
class Invoice:
    pass
"""


class Line:
    pass
