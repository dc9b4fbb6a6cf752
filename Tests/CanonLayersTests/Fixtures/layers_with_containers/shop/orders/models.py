from shop.orders.api import router
