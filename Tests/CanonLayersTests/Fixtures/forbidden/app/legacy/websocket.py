from app.websocket import Manager

__all__ = ["Manager"]
