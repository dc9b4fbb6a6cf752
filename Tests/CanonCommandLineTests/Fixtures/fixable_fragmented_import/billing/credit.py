"""Crédit notes."""
import os
from shop.models import (
    Order,  # the one in shop
)
