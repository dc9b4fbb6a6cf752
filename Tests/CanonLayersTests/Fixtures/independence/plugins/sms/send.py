def deliver():
    pass
