class Order:
    pass


class Item:
    pass
