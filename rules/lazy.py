"""A computed attribute kept on the instance after its first read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")


class lazy(Generic[T]):  # noqa: N801 - used as a decorator, like functools.cached_property
    """functools.cached_property without its lock: on Python 3.11 every first read takes an
    RLock, and the engine reads such attributes of every sentence it looks at. The instances
    here are never shared between threads while being filled (one article, one call)."""

    def __init__(self, fn: Callable[[Any], T]) -> None:
        self.fn, self.name = fn, fn.__name__
        self.__doc__ = fn.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type) -> lazy[T]: ...
    @overload
    def __get__(self, instance: object, owner: type) -> T: ...

    def __get__(self, instance: object | None, owner: type) -> lazy[T] | T:
        if instance is None:
            return self
        # A non-data descriptor: once in the instance's __dict__, the value is read from there.
        value = instance.__dict__[self.name] = self.fn(instance)
        return value
