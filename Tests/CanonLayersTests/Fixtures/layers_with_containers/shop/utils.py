from shop.orders import api


def fmt(value):
    return str(value)
