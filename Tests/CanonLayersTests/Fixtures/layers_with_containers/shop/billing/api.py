from shop.billing import models

VERSION = 1
