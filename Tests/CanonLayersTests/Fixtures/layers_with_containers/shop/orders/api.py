from shop.orders import models
from shop.orders.domain import Order

router = object()
