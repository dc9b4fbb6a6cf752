from typing import TypedDict


class User(TypedDict):
    id: str
    email: str


class UserList(TypedDict):
    users: list[User]
