from app.websocket.manager import WebSocketManager


def broadcast(manager: WebSocketManager, text: str) -> None:
    for socket in manager.connections.values():
        socket.send(text)
