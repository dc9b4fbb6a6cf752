// The old store kept its own copy of Order: the duplicate Canon reports.
struct Order {
    var id: Int
}

struct Receipt {}
