from app.websocket import WebSocketManager

_manager = None


def get_manager() -> WebSocketManager:
    global _manager
    if _manager is None:
        _manager = WebSocketManager()
    return _manager
