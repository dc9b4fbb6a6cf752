import shop.models as m

x = m.Order()
