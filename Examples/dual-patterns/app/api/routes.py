from app.legacy.websocket_manager import WebSocketManager
from app.services.registry import get_manager


def connect(user_id, socket):
    manager: WebSocketManager = get_manager()
    manager.connect(user_id, socket)
