"""The one WebSocket manager the app is meant to have."""


class WebSocketManager:
    def __init__(self) -> None:
        self.connections: dict[str, object] = {}

    def connect(self, user_id: str, socket: object) -> None:
        self.connections[user_id] = socket
