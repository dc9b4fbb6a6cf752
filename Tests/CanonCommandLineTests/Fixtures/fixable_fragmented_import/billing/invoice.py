from shop import Order
