"""A fake Telegram Bot API server on 127.0.0.1 for the tests: the real python-telegram-bot
talks to it through `base_url`. It records every call, serves injected updates to
getUpdates, answers chat-member questions, injects faults and can enforce Telegram's limits.
"""

from __future__ import annotations

import asyncio
import email.parser
import email.policy
import itertools
import json
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

# Form values PTB sends as plain strings; every other value is JSON-encoded.
_STRING_PARAMS = {
    "text", "caption", "parse_mode", "callback_query_id", "description", "short_description",
    "url", "language_code", "inline_message_id", "data", "message_effect_id", "business_connection_id",
}
_SENDS = {"sendMessage", "sendPhoto", "editMessageText", "editMessageReplyMarkup", "sendDocument"}
GROUP_ANONYMOUS_BOT = 1087968824


@dataclass(frozen=True)
class Call:
    """One request the server received: the Bot API method, its decoded parameters, when."""

    method: str
    params: dict[str, Any]
    at: float


@dataclass
class _Fault:
    kind: str
    chat_id: int | None
    times: int
    retry_after: int
    migrate_to: int | None
    delay: float


class ApiError(Exception):
    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


@dataclass
class _Limits:
    """Telegram's broadcast limits: 30/s overall, ~1/s per chat, 20/min per group or channel."""

    per_second: int = 30
    per_chat_interval: float = 1.0
    per_chat_burst: int = 3  # short bursts into one chat are tolerated
    group_per_minute: int = 20
    overall: deque[float] = field(default_factory=deque)
    chats: dict[int, deque[float]] = field(default_factory=lambda: defaultdict(deque))

    def check(self, chat_id: int, now: float) -> int | None:
        """Record a send; return a retry_after in seconds when it breaks a limit."""
        while self.overall and now - self.overall[0] >= 1.0:
            self.overall.popleft()
        if len(self.overall) >= self.per_second:
            return 1
        recent = self.chats[chat_id]
        while recent and now - recent[0] >= 60.0:
            recent.popleft()
        if chat_id < 0 and len(recent) >= self.group_per_minute:
            return max(1, int(60 - (now - recent[0])) + 1)
        window = self.per_chat_interval * self.per_chat_burst
        in_window = [t for t in recent if now - t < window]
        if len(in_window) >= self.per_chat_burst:
            return max(1, int(window - (now - in_window[0])) + 1)
        self.overall.append(now)
        recent.append(now)
        return None


class FakeBotApi:
    """The fake server. Start it, point python-telegram-bot at `base_url`, inspect `calls`."""

    def __init__(self, *, enforce_limits: bool = False, token: str = "123456:TEST-TOKEN") -> None:
        self.token = token
        self.bot_id = int(token.split(":")[0])
        self.bot_username = "releasewatch_test_bot"
        self.enforce_limits = enforce_limits
        self.too_many_requests = 0
        self.calls: list[Call] = []
        self.messages: dict[int, list[dict[str, Any]]] = defaultdict(list)
        self.photos: dict[int, list[bytes]] = defaultdict(list)
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self._updates: list[dict[str, Any]] = []
        self._served_offset = 0
        self._admins: dict[int, dict[int, bool]] = {}
        self._chat_types: dict[int, str] = {}
        self._faults: dict[str, list[_Fault]] = defaultdict(list)
        self._limits = _Limits()
        self._lock = threading.Condition()
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = defaultdict(lambda: itertools.count(1))
        self._callback_ids = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> FakeBotApi:
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes: without TCP_NODELAY each answer
            # waits ~40 ms for a delayed ACK.
            disable_nagle_algorithm = True

            def do_POST(self) -> None:  # noqa: N802
                api._handle(self)

            do_GET = do_POST  # noqa: N815

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        # A short poll interval: stop() waits for one, and every test stops a server.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            with self._lock:
                self._lock.notify_all()
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeBotApi:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "start() the server first"
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # -- inspection ------------------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def sent_texts(self, chat_id: int) -> list[str]:
        with self._lock:
            return [m.get("text", m.get("caption", "")) for m in self.messages.get(chat_id, [])]

    def wait_until(self, predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
        """Block until `predicate()` holds (for a service in another thread or process)."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            pass
        else:
            raise RuntimeError("inside an event loop use `await api.until(...)`: blocking here "
                               "would stop the bot under test")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.01)
        return predicate()

    async def until(self, predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
        """Wait without blocking the event loop until `predicate()` holds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            await asyncio.sleep(0.01)
        return predicate()

    def _consumed(self) -> bool:
        return not self._updates or self._served_offset > self._updates[-1]["update_id"]

    def wait_updates_consumed(self, timeout: float = 5.0) -> bool:
        """True once every pushed update was confirmed by a later getUpdates offset."""
        return self.wait_until(self._consumed, timeout)

    async def updates_consumed(self, timeout: float = 5.0) -> bool:
        """The same as wait_updates_consumed, for async tests."""
        return await self.until(self._consumed, timeout)

    # -- chats and administrators ----------------------------------------------------------

    def set_admins(self, chat_id: int, user_ids: list[int], *, can_post_messages: bool = True) -> None:
        with self._lock:
            self._admins[chat_id] = {uid: can_post_messages for uid in user_ids}

    def _chat(self, chat_id: int, chat_type: str, *, forum: bool = False) -> dict[str, Any]:
        self._chat_types[chat_id] = chat_type
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = "Reader"
        else:
            chat["title"] = f"Chat {abs(chat_id)}"
        if forum:
            chat["is_forum"] = True
        return chat

    @staticmethod
    def _user(user_id: int, language_code: str = "en", *, is_bot: bool = False) -> dict[str, Any]:
        return {"id": user_id, "is_bot": is_bot, "first_name": "Reader", "language_code": language_code}

    def _bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id, "is_bot": True, "first_name": "releasewatch",
            "username": self.bot_username, "can_join_groups": True,
            "can_read_all_group_messages": False, "supports_inline_queries": False,
        }

    @staticmethod
    def _member(user: dict[str, Any], status: str, *, can_post_messages: bool = True) -> dict[str, Any]:
        member: dict[str, Any] = {"status": status, "user": user}
        if status == "administrator":
            member.update(
                can_be_edited=False, is_anonymous=False, can_manage_chat=True,
                can_delete_messages=True, can_manage_video_chats=True, can_restrict_members=True,
                can_promote_members=False, can_change_info=True, can_invite_users=True,
                can_post_stories=False, can_edit_stories=False, can_delete_stories=False,
                can_post_messages=can_post_messages, can_edit_messages=can_post_messages,
                can_pin_messages=True, can_manage_topics=False,
            )
        elif status == "creator":
            member.update(is_anonymous=False)
        elif status == "kicked":
            member.update(until_date=0)
        return member

    # -- injecting updates -----------------------------------------------------------------

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            update.setdefault("update_id", next(self._update_ids))
            self._updates.append(update)
            self._lock.notify_all()
        return update

    def text_message(
        self, text: str, *, chat_id: int, user_id: int, chat_type: str = "private",
        thread_id: int | None = None, language_code: str = "en",
        sender_chat_id: int | None = None, entities: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        with self._lock:
            message_id = next(self._message_ids[chat_id])
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": self._chat(chat_id, chat_type, forum=thread_id is not None),
            "text": text,
        }
        if sender_chat_id is not None:
            message["from"] = self._user(GROUP_ANONYMOUS_BOT, language_code, is_bot=True)
            message["sender_chat"] = self._chat(sender_chat_id, chat_type)
        elif chat_type != "channel":
            message["from"] = self._user(user_id, language_code)
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        if entities:
            message["entities"] = entities
        key = "channel_post" if chat_type == "channel" else "message"
        return self.push_update({key: message})

    def command(self, text: str, **kwargs: Any) -> dict[str, Any]:
        """A message starting with a /command (with its bot_command entity)."""
        length = len(text.split(maxsplit=1)[0]) if text.strip() else 0
        entities = [{"type": "bot_command", "offset": 0, "length": length}]
        return self.text_message(text, entities=entities, **kwargs)

    def callback(
        self, data: str, *, chat_id: int, user_id: int, message_id: int,
        chat_type: str = "private", language_code: str = "en",
    ) -> dict[str, Any]:
        with self._lock:
            query_id = str(next(self._callback_ids))
        return self.push_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": self._user(user_id, language_code),
                    "chat_instance": f"ci{chat_id}",
                    "data": data,
                    "message": {
                        "message_id": message_id,
                        "date": int(time.time()),
                        "chat": self._chat(chat_id, chat_type),
                        "from": self._bot_user(),
                        "text": "…",
                    },
                }
            }
        )

    def my_chat_member(
        self, *, chat_id: int, chat_type: str, user_id: int, old: str, new: str,
        can_post_messages: bool = True, language_code: str = "en",
    ) -> dict[str, Any]:
        bot = self._bot_user()
        return self.push_update(
            {
                "my_chat_member": {
                    "chat": self._chat(chat_id, chat_type),
                    "from": self._user(user_id, language_code),
                    "date": int(time.time()),
                    "old_chat_member": self._member(bot, old),
                    "new_chat_member": self._member(bot, new, can_post_messages=can_post_messages),
                }
            }
        )

    # -- faults ----------------------------------------------------------------------------

    def fail(
        self, method: str, kind: str, *, chat_id: int | None = None, times: int = 1,
        retry_after: int = 1, migrate_to: int | None = None, delay: float = 0.0,
    ) -> None:
        """Queue a fault for `method` (optionally only for `chat_id`), used `times` times.

        kind: "429", "403", "400" (chat not found), "400-not-modified", "migrate", "500",
        or "slow" (answers with success after `delay` seconds).
        """
        known = {"429", "403", "400", "400-not-modified", "migrate", "500", "slow"}
        if kind not in known:
            raise ValueError(f"unknown fault {kind!r}; one of {sorted(known)}")
        with self._lock:
            self._faults[method].append(_Fault(kind, chat_id, times, retry_after, migrate_to, delay))

    def _take_fault(self, method: str, chat_id: int | None) -> _Fault | None:
        for fault in self._faults.get(method, []):
            if fault.times > 0 and (fault.chat_id is None or fault.chat_id == chat_id):
                fault.times -= 1
                return fault
        return None

    @staticmethod
    def _raise_fault(fault: _Fault) -> None:
        if fault.kind == "429":
            raise ApiError(429, f"Too Many Requests: retry after {fault.retry_after}",
                           {"retry_after": fault.retry_after})
        if fault.kind == "403":
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if fault.kind == "400":
            raise ApiError(400, "Bad Request: chat not found")
        if fault.kind == "400-not-modified":
            raise ApiError(400, "Bad Request: message is not modified: specified new message "
                                "content and reply markup are exactly the same")
        if fault.kind == "migrate":
            raise ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat",
                           {"migrate_to_chat_id": fault.migrate_to})
        if fault.kind == "500":
            raise ApiError(500, "Internal Server Error")

    # -- HTTP ------------------------------------------------------------------------------

    def _handle(self, req: BaseHTTPRequestHandler) -> None:
        length = int(req.headers.get("Content-Length") or 0)
        body = req.rfile.read(length) if length else b""
        path = req.path.split("?", 1)[0]
        prefix = f"/bot{self.token}/"
        if not path.startswith(prefix):
            self._reply(req, 401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        method = path[len(prefix):]
        params = self._decode(req.headers.get("Content-Type", ""), body)
        with self._lock:
            self.calls.append(Call(method, params, time.monotonic()))
        try:
            result = self._dispatch(method, params)
        except ApiError as e:
            answer: dict[str, Any] = {"ok": False, "error_code": e.code, "description": e.description}
            if e.parameters:
                answer["parameters"] = e.parameters
            self._reply(req, e.code, answer)
            return
        self._reply(req, 200, {"ok": True, "result": result})

    @staticmethod
    def _reply(req: BaseHTTPRequestHandler, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        try:
            req.send_response(status)
            req.send_header("Content-Type", "application/json")
            req.send_header("Content-Length", str(len(data)))
            req.end_headers()
            req.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout on its side); the call still happened

    @staticmethod
    def _value(key: str, raw: str) -> Any:
        if key in _STRING_PARAMS:
            return raw
        try:
            return json.loads(raw)
        except ValueError:
            return raw

    def _decode(self, content_type: str, body: bytes) -> dict[str, Any]:
        if not body:
            return {}
        if content_type.startswith("application/json"):
            return dict(json.loads(body))
        if content_type.startswith("multipart/form-data"):
            message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
            )
            params: dict[str, Any] = {}
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True) or b""
                if part.get_filename():
                    params[str(name)] = payload
                else:
                    params[str(name)] = self._value(str(name), payload.decode("utf-8"))
            return params
        form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
        return {k: self._value(k, v[0]) for k, v in form.items()}

    def _dispatch(self, method: str, p: dict[str, Any]) -> Any:
        chat_id = p.get("chat_id")
        chat_id = int(chat_id) if isinstance(chat_id, int | str) and str(chat_id).lstrip("-").isdigit() else None
        with self._lock:
            fault = self._take_fault(method, chat_id)
        if fault is not None:
            if fault.kind == "slow":
                time.sleep(fault.delay)
            else:
                self._raise_fault(fault)
        if method in _SENDS and self.enforce_limits and chat_id is not None:
            with self._lock:
                retry_after = self._limits.check(chat_id, time.monotonic())
                if retry_after is not None:
                    self.too_many_requests += 1
            if retry_after is not None:
                raise ApiError(429, f"Too Many Requests: retry after {retry_after}",
                               {"retry_after": retry_after})
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            raise ApiError(404, "Not Found: method not found")
        return handler(p, chat_id)

    # -- methods ---------------------------------------------------------------------------

    def _m_getMe(self, p: dict[str, Any], chat_id: int | None) -> Any:  # noqa: N802
        return self._bot_user()

    def _m_deleteWebhook(self, p: dict[str, Any], chat_id: int | None) -> Any:  # noqa: N802
        return True

    def _m_getUpdates(self, p: dict[str, Any], chat_id: int | None) -> Any:  # noqa: N802
        offset = int(p.get("offset") or 0)
        timeout = min(float(p.get("timeout") or 0), 2.0)  # short waits keep shutdowns quick
        deadline = time.monotonic() + timeout
        with self._lock:
            self._served_offset = max(self._served_offset, offset)
            while True:
                pending = [u for u in self._updates if u["update_id"] >= offset]
                remaining = deadline - time.monotonic()
                if pending or remaining <= 0 or self._server is None:
                    return pending[: int(p.get("limit") or 100)]
                self._lock.wait(remaining)

    def _m_setMyCommands(self, p: dict[str, Any], chat_id: int | None) -> Any:  # noqa: N802
        key = json.dumps([p.get("scope"), p.get("language_code", "")])
        with self._lock:
            self.commands[key] = p.get("commands", [])
        return True

    def _m_getMyCommands(self, p: dict[str, Any], chat_id: int | None) -> Any:  # noqa: N802
        key = json.dumps([p.get("scope"), p.get("language_code", "")])
        with self._lock:
            return self.commands.get(key, [])

    def _m_deleteMyCommands(self, p: dict[str, Any], chat_id: int | None) -> Any:  # noqa: N802
        return True

    _m_setMyDescription = _m_deleteMyCommands
    _m_setMyShortDescription = _m_deleteMyCommands
    _m_sendChatAction = _m_deleteMyCommands
    _m_close = _m_deleteMyCommands
    _m_logOut = _m_deleteMyCommands

    def _new_message(self, chat_id: int, p: dict[str, Any], **content: Any) -> dict[str, Any]:
        with self._lock:
            message: dict[str, Any] = {
                "message_id": next(self._message_ids[chat_id]),
                "date": int(time.time()),
                "chat": self._chat(chat_id, self._chat_types.get(
                    chat_id, "private" if chat_id > 0 else "supergroup")),
                "from": self._bot_user(),
                **content,
            }
            if p.get("message_thread_id"):
                message["message_thread_id"] = int(p["message_thread_id"])
            if p.get("reply_markup"):
                message["reply_markup"] = p["reply_markup"]
            self.messages[chat_id].append(message)
            return message

    def _m_sendMessage(self, p: dict[str, Any], chat_id: int | None) -> Any:  # noqa: N802
        if chat_id is None:
            raise ApiError(400, "Bad Request: chat not found")
        if not str(p.get("text", "")).strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(str(p["text"])) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        return self._new_message(chat_id, p, text=p["text"])

    def _m_sendPhoto(self, p: dict[str, Any], chat_id: int | None) -> Any:  # noqa: N802
        if chat_id is None:
            raise ApiError(400, "Bad Request: chat not found")
        photo = p.get("photo")
        if isinstance(photo, bytes):
            with self._lock:
                self.photos[chat_id].append(photo)
        size = {"file_id": "photo1", "file_unique_id": "u1", "width": 800, "height": 400}
        return self._new_message(chat_id, p, photo=[size], caption=p.get("caption", ""))

    def _find(self, chat_id: int | None, message_id: Any) -> dict[str, Any]:
        for message in self.messages.get(chat_id or 0, []):
            if message["message_id"] == int(message_id):
                return message
        raise ApiError(400, "Bad Request: message to edit not found")

    def _m_editMessageText(self, p: dict[str, Any], chat_id: int | None) -> Any:  # noqa: N802
        with self._lock:
            message = self._find(chat_id, p.get("message_id", 0))
            if message.get("text") == p.get("text") and message.get("reply_markup") == p.get(
                "reply_markup"
            ):
                raise ApiError(400, "Bad Request: message is not modified: specified new "
                                    "message content and reply markup are exactly the same")
            message["text"] = p.get("text", "")
            message["edited"] = message.get("edited", 0) + 1
            if "reply_markup" in p:
                message["reply_markup"] = p["reply_markup"]
            return message

    def _m_editMessageReplyMarkup(self, p: dict[str, Any], chat_id: int | None) -> Any:  # noqa: N802
        with self._lock:
            message = self._find(chat_id, p.get("message_id", 0))
            message["reply_markup"] = p.get("reply_markup")
            message["edited"] = message.get("edited", 0) + 1
            return message

    def _m_deleteMessage(self, p: dict[str, Any], chat_id: int | None) -> Any:  # noqa: N802
        with self._lock:
            message = self._find(chat_id, p.get("message_id", 0))
            self.messages[chat_id or 0].remove(message)
        return True

    def _m_answerCallbackQuery(self, p: dict[str, Any], chat_id: int | None) -> Any:  # noqa: N802
        return True

    def _m_getChat(self, p: dict[str, Any], chat_id: int | None) -> Any:  # noqa: N802
        if chat_id is None:
            raise ApiError(400, "Bad Request: chat not found")
        chat_type = self._chat_types.get(chat_id, "private" if chat_id > 0 else "supergroup")
        chat = self._chat(chat_id, chat_type)
        chat.update(accent_color_id=0, max_reaction_count=11,
                    accepted_gift_types={"unlimited_gifts": False, "limited_gifts": False,
                                         "unique_gifts": False, "premium_subscription": False,
                                         "gifts_from_channels": False})
        return chat

    def _m_getChatMember(self, p: dict[str, Any], chat_id: int | None) -> Any:  # noqa: N802
        user_id = int(p.get("user_id", 0))
        user = self._bot_user() if user_id == self.bot_id else self._user(user_id)
        with self._lock:
            admins = self._admins.get(chat_id or 0, {})
        if user_id in admins:
            return self._member(user, "administrator", can_post_messages=admins[user_id])
        return self._member(user, "member")

    def _m_getChatAdministrators(self, p: dict[str, Any], chat_id: int | None) -> Any:  # noqa: N802
        with self._lock:
            admins = dict(self._admins.get(chat_id or 0, {}))
        return [
            self._member(self._user(uid), "administrator", can_post_messages=post)
            for uid, post in admins.items()
        ]
