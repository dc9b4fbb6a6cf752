label = "🛒 refund"; from shop.models import Order
