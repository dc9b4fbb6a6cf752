from app.websocket import WebSocketManager


def notify(manager: WebSocketManager, user_id: str, text: str) -> None:
    manager.connections[user_id].send(text)
