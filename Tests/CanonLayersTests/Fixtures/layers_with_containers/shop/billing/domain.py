def pay():
    from shop.billing import api
    return api
