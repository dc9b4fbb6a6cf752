from app.legacy.websocket import Manager
import requests


def connect():
    return Manager(), requests
