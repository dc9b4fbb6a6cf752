import shop.utils


class Order:
    pass
