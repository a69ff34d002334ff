"""Reference chat backend (Python / aiohttp). Protocol: ../PROTOCOL.md."""

import argparse
import asyncio
import datetime
import functools
import hashlib
import http.server
import json
import secrets
import signal
import socket
import struct
import sys
import threading
import time
import urllib.error
import urllib.request

from aiohttp import WSMsgType, web
import aiohttp

# Compact and unescaped so the bytes on the wire match the Go backend apart
# from the documented differences.
dumps = functools.partial(json.dumps, separators=(",", ":"), ensure_ascii=False)

# struct tcp_info (linux/tcp.h): 8 one-byte fields, then __u32s; last_data_recv is the 12th.
TCP_INFO_SIZE = 104
TCPI_LAST_DATA_RECV = 52


def now_iso():
    # timespec pins the shape: plain isoformat() drops the fraction when
    # microsecond == 0, which would make one timestamp in a million look different.
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="microseconds")


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


class Users:
    """Shared by the event loop and the auth thread; single dict operations are
    atomic under the GIL, which is all either side needs."""

    def __init__(self):
        self.by_name = {}
        self.by_token = {}

    def login(self, name):
        user = self.by_name.get(name)
        if user is None:
            user = {
                "id": "u_" + hashlib.sha256(name.encode()).hexdigest()[:12],
                "name": name,
                "created_at": now_iso(),
            }
            self.by_name[name] = user
        token = secrets.token_hex(16)
        self.by_token[token] = user
        return token, user

    def lookup(self, authorization):
        if not authorization:
            return None
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return self.by_token.get(token.strip())


def start_auth_thread(users, auth_ms):
    """The original service ran auth as a separate process; a thread-based HTTP
    server keeps that shape. It matters for --blocking-auth: a blocking call
    from the event loop to the loop's own port could never be answered, while
    this server answers from its own threads, so the loop is only held for the
    duration of each call."""

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            if self.path.split("?", 1)[0] != "/api/auth/verify":
                return self.reply(404, {"error": "not found"})
            time.sleep(auth_ms / 1000)
            user = users.lookup(self.headers.get("Authorization"))
            if user is None:
                return self.reply(401, {"error": "unauthorized"})
            self.reply(200, user)

        def reply(self, status, body):
            data = dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_args):
            pass

    class Server(http.server.ThreadingHTTPServer):
        # The default listen backlog of 5 drops SYNs under a burst, adding
        # 1 s retransmit stalls that have nothing to do with the loop.
        request_queue_size = 512

    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="auth", daemon=True).start()
    return server


def arrived_at(request):
    """When the request reached this host, on the time.monotonic() clock.

    The auth deadline runs from there, not from the handler's start: behind a
    blocked event loop a handler starts late, and even the accept is late, so
    a deadline counted from either would hardly ever expire, however long the
    client had been waiting. The kernel knows better: TCP_INFO's
    tcpi_last_data_recv is the milliseconds since data last arrived on the
    socket, and nothing arrives after the upgrade request until the client
    hears back."""
    now = time.monotonic()
    sock = request.transport.get_extra_info("socket") if request.transport else None
    try:
        info = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, TCP_INFO_SIZE)
    except (AttributeError, OSError):
        return now
    (last_data_recv_ms,) = struct.unpack_from("I", info, TCPI_LAST_DATA_RECV)
    return now - last_data_recv_ms / 1000


class Client:
    def __init__(self, ws, user):
        self.ws = ws
        self.user = user
        self.ready = False
        # One writer per connection keeps frames in the order the queue logic
        # produced them, whichever task produced them.
        self.outbox = asyncio.Queue()
        self.writer = None

    def send(self, msg):
        self.outbox.put_nowait(("json", msg))

    def close(self, code, reason):
        self.outbox.put_nowait(("close", (code, reason)))

    def finish(self):
        self.outbox.put_nowait(("stop", None))

    async def start(self):
        # Whatever join() queued goes out from the handler's own task. Handing
        # it to a brand-new writer task instead would, behind a blocked loop,
        # hold a guest's first frame until every other ready task had run.
        # The writer starts only afterwards, so order is kept.
        try:
            while not self.outbox.empty():
                if not await self._deliver(self.outbox.get_nowait()):
                    break
        except (ConnectionError, RuntimeError):
            pass
        self.writer = asyncio.ensure_future(self._write_loop())

    async def _deliver(self, item):
        kind, payload = item
        if kind == "json":
            await self.ws.send_str(dumps(payload))
            return True
        if kind == "close":
            await self.ws.close(code=payload[0], message=payload[1].encode())
        return False

    async def _write_loop(self):
        try:
            while await self._deliver(await self.outbox.get()):
                pass
        except (ConnectionError, RuntimeError):
            pass


class Slots:
    def __init__(self, slots):
        self.slots = slots
        self.active = 0
        self.waiting = []

    def join(self, client):
        if self.active < self.slots:
            self.active += 1
            self._admit(client)
        else:
            self.waiting.append(client)
            client.send({"type": "queued", "position": len(self.waiting)})

    def leave(self, client):
        if client.ready:
            client.ready = False
            self.active -= 1
            if self.waiting and self.active < self.slots:
                self.active += 1
                self._admit(self.waiting.pop(0))
                self._renumber(0)
        elif client in self.waiting:
            i = self.waiting.index(client)
            self.waiting.pop(i)
            self._renumber(i)

    def _admit(self, client):
        client.ready = True
        client.send({"type": "ready", "user": client.user["name"] if client.user else None})

    def _renumber(self, start):
        for i in range(start, len(self.waiting)):
            self.waiting[i].send({"type": "queued", "position": i + 1})


def json_response(body, status=200):
    return web.Response(
        text=dumps(body), status=status, content_type="application/json", charset="utf-8"
    )


@web.middleware
async def json_errors(request, handler):
    try:
        return await handler(request)
    except web.HTTPNotFound:
        return json_response({"error": "not found"}, 404)
    except web.HTTPMethodNotAllowed:
        return json_response({"error": "method not allowed"}, 405)


def build_app(args, users, auth_url):
    slots = Slots(args.slots)
    clients = set()
    state = {"conn": 0}
    app = web.Application(middlewares=[json_errors])

    async def login(request):
        try:
            body = await request.json()
        except (ValueError, UnicodeDecodeError):
            body = None
        if (
            not isinstance(body, dict)
            or not isinstance(body.get("username"), str)
            or not body["username"]
            or not isinstance(body.get("password"), str)
        ):
            return json_response({"error": "bad request"}, 400)
        if body["password"] != "secret":
            return json_response({"error": "invalid credentials"}, 401)
        token, user = users.login(body["username"])
        return json_response({"token": token, "user": user})

    async def me(request):
        user = users.lookup(request.headers.get("Authorization"))
        if user is None:
            return json_response({"error": "unauthorized"}, 401)
        return json_response(user)

    async def verify(request):
        await asyncio.sleep(args.auth_ms / 1000)
        return await me(request)

    async def health(_request):
        return json_response({"ok": True})

    def verify_blocking(token, deadline):
        # Deliberately synchronous inside a coroutine: the event loop, and with
        # it every other connection, stalls for the whole round trip.
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("auth deadline passed before the check could start")
        req = urllib.request.Request(auth_url, headers={"Authorization": "Bearer " + token})
        try:
            with urllib.request.urlopen(req, timeout=remaining) as res:
                return json.loads(res.read())
        except urllib.error.HTTPError as err:
            if err.code == 401:
                return None
            raise

    async def verify_async(token, deadline):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("auth deadline passed before the check could start")
        async with app["http"].get(
            auth_url,
            headers={"Authorization": "Bearer " + token},
            timeout=aiohttp.ClientTimeout(total=remaining),
        ) as res:
            if res.status == 401:
                return None
            res.raise_for_status()
            return await res.json()

    async def chat(request):
        deadline = arrived_at(request) + args.auth_timeout_ms / 1000
        ws = web.WebSocketResponse(compress=False)
        await ws.prepare(request)
        state["conn"] += 1
        conn = state["conn"]
        token = request.query.get("token")
        user = None
        if token:
            try:
                if args.blocking_auth:
                    user = verify_blocking(token, deadline)
                else:
                    user = await verify_async(token, deadline)
            except Exception as err:  # any auth-service failure is the same to the client
                log(f"ws #{conn} auth unavailable: {err!r}")
                await ws.close(code=1011, message=b"auth unavailable")
                return ws
            if user is None:
                log(f"ws #{conn} invalid token")
                await ws.close(code=4001, message=b"invalid token")
                return ws
        log(f"ws #{conn} open user={user['name'] if user else '-'}")

        client = Client(ws, user)
        clients.add(client)
        slots.join(client)
        await client.start()
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                try:
                    data = json.loads(msg.data)
                except ValueError:
                    data = None
                kind = data.get("type") if isinstance(data, dict) else None
                if kind == "leave":
                    client.close(1000, "bye")
                    break
                if kind != "message" or not isinstance(data.get("text"), str):
                    client.send({"type": "error", "error": "bad message"})
                elif not client.ready:
                    client.send({"type": "error", "error": "not ready"})
                else:
                    # Inline on purpose: one message at a time per connection,
                    # later frames wait until this reply is out.
                    await asyncio.sleep(args.infer_ms / 1000)
                    client.send({"type": "reply", "text": "echo: " + data["text"], "at": now_iso()})
        finally:
            slots.leave(client)
            clients.discard(client)
            client.finish()
            await client.writer
        return ws

    async def on_startup(app):
        app["http"] = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))

    async def on_shutdown(_app):
        for client in list(clients):
            client.close(1001, "server shutdown")
        writers = [c.writer for c in list(clients) if c.writer is not None]
        await asyncio.gather(*writers, return_exceptions=True)

    async def on_cleanup(app):
        await app["http"].close()

    app.on_startup.append(on_startup)
    app.on_shutdown.append(on_shutdown)
    app.on_cleanup.append(on_cleanup)
    app.router.add_post("/api/auth/login", login)
    app.router.add_get("/api/me", me, allow_head=False)
    app.router.add_get("/api/auth/verify", verify, allow_head=False)
    app.router.add_get("/api/health", health, allow_head=False)
    app.router.add_get("/ws/chat", chat, allow_head=False)
    return app


async def main(args):
    users = Users()
    auth = start_auth_thread(users, args.auth_ms)
    auth_url = "http://127.0.0.1:%d/api/auth/verify" % auth.server_address[1]
    app = build_app(args, users, auth_url)

    # Binding the socket ourselves is the simple way to learn the port for --port 0.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.SockSite(runner, sock, shutdown_timeout=2.0, backlog=512).start()

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print("listening on %d" % sock.getsockname()[1], flush=True)
    log(
        f"chat-python slots={args.slots} infer-ms={args.infer_ms} auth-ms={args.auth_ms}"
        f" auth-timeout-ms={args.auth_timeout_ms}"
        f" blocking-auth={args.blocking_auth} auth-service={auth_url}"
    )
    await stop.wait()
    await runner.cleanup()
    auth.shutdown()
    auth.server_close()


def parse_args():
    p = argparse.ArgumentParser(description="reference chat backend (aiohttp)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--slots", type=int, default=4)
    p.add_argument("--infer-ms", type=int, default=50)
    p.add_argument("--auth-ms", type=int, default=20)
    p.add_argument("--auth-timeout-ms", type=int, default=1000)
    p.add_argument("--blocking-auth", action="store_true")
    args = p.parse_args()
    if args.slots < 1:
        p.error("--slots must be >= 1")
    if args.auth_timeout_ms < 1:
        p.error("--auth-timeout-ms must be >= 1")
    return args


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
