final class CartManager {}

struct Cart {
    var items: [String] = []
}

struct AppCoordinator {}
