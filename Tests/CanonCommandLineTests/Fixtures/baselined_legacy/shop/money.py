"""Money as the shop knows it."""


class Money:
    amount = 0


class Tax:
    rate = 0
