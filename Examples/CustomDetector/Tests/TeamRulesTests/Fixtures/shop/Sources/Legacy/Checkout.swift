struct Cart {}

final class CheckoutCoordinator {}
