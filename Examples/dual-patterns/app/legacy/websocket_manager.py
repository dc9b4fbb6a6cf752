"""Kept from before the consolidation; nobody dared delete it."""


class WebSocketManager:
    connections = {}

    def connect(self, user_id, socket):
        self.connections[user_id] = socket
