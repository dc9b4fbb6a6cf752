from plugins.sms import send


def helper():
    return send
