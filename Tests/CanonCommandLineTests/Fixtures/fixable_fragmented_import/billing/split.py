from shop.models import Order, Item

ITEMS = [Item]
