from app.legacy import websocket
