"""Request bodies are limited before anything parses them (web.body_limit), over a real uvicorn socket: a body
declared too long is refused before it is sent, a chunked one once it passes the limit; the API answers a
problem, the forms a page; a body under the limit still goes through."""

from __future__ import annotations

import contextlib
import json
import socket
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.api.conftest import COORD, World
from tests.web_server import serving
from web.body_limit import BODY_LIMIT, MIB, BodyLimitMiddleware

# The limit does not depend on the database: these tests run on SQLite only.
sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
TWO_MIB = 2 * MIB


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    sent: int  # bytes of the body the server took before it answered and closed
    seconds: float


def exchange(base_url: str, method: str, path: str, headers: dict[str, str], pieces: Iterable[bytes] = ()) -> Answer:
    """One request over a raw socket: the head, then the body's pieces for as long as the server takes them, then
    the answer as far as the server sent it."""
    address = urlsplit(base_url)
    head = "\r\n".join([f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", *(f"{k}: {v}" for k, v in headers.items())])
    sent = 0
    started = time.monotonic()
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        sock.sendall(head.encode("latin-1") + b"\r\n\r\n")
        try:
            for piece in pieces:
                sock.sendall(piece)
                sent += len(piece)
        except OSError:
            pass  # the server answered and closed the connection: it did not read the rest
        data = bytearray()
        with contextlib.suppress(OSError):
            while chunk := sock.recv(65536):
                data += chunk
    seconds = time.monotonic() - started
    response_head, _, body = bytes(data).partition(b"\r\n\r\n")
    status_line, *lines = response_head.decode("latin-1").split("\r\n")
    fields = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    return Answer(int(status_line.split()[1]), fields, body, sent, seconds)


def chunked(pieces: Iterable[bytes]) -> Iterator[bytes]:
    for piece in pieces:
        yield b"%x\r\n%s\r\n" % (len(piece), piece)
    yield b"0\r\n\r\n"


def json_body(size: int, meeting_id: int) -> bytes:
    """A valid JSON body of ``size`` bytes raising an idea (padded with whitespace, which JSON ignores)."""
    body = json.dumps({"meeting_id": meeting_id, "title": "Pitkä runko"}).encode()
    return body + b" " * (size - len(body))


@pytest.fixture
def server(app) -> Iterator[str]:
    with serving(app) as url:
        yield url


def assert_problem(answer: Answer) -> dict:
    assert answer.status == 413, answer
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["connection"] == "close"
    problem = json.loads(answer.body)
    assert (problem["status"], problem["type"]) == (413, "urn:raati:problem:content-too-large")
    assert problem["errors"][0]["field"] == "body"
    assert str(BODY_LIMIT) in problem["detail"]
    return problem


@sqlite_only
def test_a_body_declared_over_the_limit_is_refused_before_a_byte_of_it_is_sent(server: str, world: World) -> None:
    headers = {**world.auth(COORD), "Content-Type": "application/json", "Content-Length": str(TWO_MIB)}
    answer = exchange(server, "POST", "/api/v1/ideas", headers)  # the head alone: the server does not wait
    assert_problem(answer)
    assert answer.seconds < 1


@sqlite_only
def test_a_2_mib_json_body_with_its_length_gets_a_413_problem_quickly(server: str, world: World) -> None:
    headers = {**world.auth(COORD), "Content-Type": "application/json", "Content-Length": str(TWO_MIB)}
    answer = exchange(server, "POST", "/api/v1/ideas", headers, [json_body(TWO_MIB, world.meeting_a)])
    assert_problem(answer)
    assert answer.seconds < 2


@sqlite_only
def test_a_chunked_body_is_counted_and_cut_off_past_the_limit(server: str, world: World) -> None:
    headers = {**world.auth(COORD), "Content-Type": "application/json", "Transfer-Encoding": "chunked"}
    body = json_body(TWO_MIB, world.meeting_a)
    pieces = (body[start : start + 65536] for start in range(0, TWO_MIB, 65536))
    two_mib = exchange(server, "POST", "/api/v1/ideas", headers, chunked(pieces))
    assert_problem(two_mib)
    # A stream that would go on for 256 MiB: the server stops reading soon after the limit and closes.
    endless = exchange(server, "POST", "/api/v1/ideas/1/notes", headers, chunked(b"x" * MIB for _ in range(256)))
    assert_problem(endless)
    assert endless.sent < 64 * MIB
    with httpx.Client(base_url=server, timeout=10) as client:
        ideas = client.get("/api/v1/ideas", headers=world.auth(COORD)).json()
    assert [idea["title"] for idea in ideas if idea["title"] == "Pitkä runko"] == []  # nothing was raised


@sqlite_only
def test_a_body_under_the_limit_still_goes_through(server: str, world: World) -> None:
    with httpx.Client(base_url=server, timeout=10) as client:
        assert client.get("/api/v1/me", headers=world.auth(COORD)).status_code == 200
        headers = {**world.auth(COORD), "Content-Type": "application/json"}
        raised = client.post("/api/v1/ideas", content=json_body(BODY_LIMIT, world.meeting_a), headers=headers)
        assert raised.status_code == 201, raised.text
        assert raised.json()["title"] == "Pitkä runko"
        chunks = iter([json_body(BODY_LIMIT, world.meeting_a)])  # an iterator: sent chunked, without a length
        streamed = client.post("/api/v1/ideas", content=chunks, headers=headers)
        assert streamed.status_code == 201, streamed.text


@sqlite_only
@pytest.mark.parametrize("framing", ["content-length", "chunked"])
def test_a_form_post_over_the_limit_gets_a_readable_page(server: str, framing: str) -> None:
    form = b"email=" + b"x" * TWO_MIB
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept-Language": "sv-FI, en;q=0.8"}
    if framing == "chunked":
        answer = exchange(server, "POST", "/sign-in", {**headers, "Transfer-Encoding": "chunked"}, chunked([form]))
    else:
        answer = exchange(server, "POST", "/sign-in", {**headers, "Content-Length": str(len(form))}, [form])
    assert answer.status == 413
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    page = answer.body.decode()
    assert '<html lang="sv">' in page
    assert "<h1>Formuläret är för stort</h1>" in page
    assert "större än 1 MB" in page


def test_a_path_may_declare_a_larger_limit() -> None:
    """The mechanism for uploads: a route's path listed with its own limit; the others keep the default."""

    async def length(request: Request) -> JSONResponse:
        return JSONResponse({"received": len(await request.body())})

    app = Starlette(routes=[Route(path, length, methods=["POST"]) for path in ("/uploads/{name}", "/api/notes")])
    limited = BodyLimitMiddleware(app, limit=1024, larger={"/uploads/{name}": 8 * 1024})
    with serving(limited) as url, httpx.Client(base_url=url, timeout=10) as client:
        assert client.post("/uploads/minutes.pdf", content=b"x" * 8 * 1024).json() == {"received": 8 * 1024}
        assert client.post("/uploads/minutes.pdf", content=iter([b"x" * 5000, b"y" * 3000])).status_code == 200
        assert client.post("/uploads/minutes.pdf", content=b"x" * (8 * 1024 + 1)).status_code == 413
        assert client.post("/api/notes", content=b"x" * 1024).json() == {"received": 1024}
        refused = client.post("/api/notes", content=iter([b"x" * 1000, b"y" * 1000]))
        assert (refused.status_code, refused.headers["content-type"]) == (413, "application/problem+json")
    assert limited.limit_for("/uploads/a/b") == 1024  # a path parameter is one segment, as in routing


@sqlite_only
def test_the_document_declares_413_wherever_a_body_is_read(client) -> None:
    document = client.get("/openapi.json").json()
    with_body = [(path, method, op) for path, item in document["paths"].items() for method, op in item.items()
                 if "requestBody" in op]  # fmt: skip
    assert len(with_body) == 4  # raise, transition, note; a panel's change
    for path, method, operation in with_body:
        assert "application/problem+json" in operation["responses"]["413"]["content"], (method, path)
