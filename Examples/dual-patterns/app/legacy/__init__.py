import warnings

warnings.warn("app.legacy is deprecated; use app.websocket", DeprecationWarning, stacklevel=2)
