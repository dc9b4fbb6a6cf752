from typing import TYPE_CHECKING

from shop.billing import domain
from shop.billing.api import VERSION

if TYPE_CHECKING:
    from shop.billing.api import Handler
