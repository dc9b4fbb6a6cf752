"""The old billing module, still imported by the reports."""


def round_cents(value):
    return round(value, 2)


class Money:
    amount = 0


def format_money(value):
    return f"{value:.2f}"


class Tax:
    rate = 0


_rates = None


def get_rates():
    global _rates
    if _rates is None:
        _rates = {"EUR": 1}
    return _rates
