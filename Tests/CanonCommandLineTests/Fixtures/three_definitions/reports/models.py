TEMPLATE = "class Invoice:"


class Invoice:
    class Line:
        pass
