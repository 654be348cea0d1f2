"""Remote images for the JSON edit variant: `images[].image_url` / `mask.image_url` as `https://`
URLs, fetched while the request is read (like data URLs are decoded), before admission.

Each fetch is bounded: the upload path's byte limit per image (the body is streamed and dropped
past it), a total deadline over all of a request's fetches, at most `MAX_IMAGES` images, no
redirects, no proxies from the environment, no content encodings. The host is resolved here and
every address it resolves to must be public (`is_public_address`); the connection then goes to a
vetted address only (`_PinnedBackend`, an httpcore network backend), so a DNS answer that changes
between the check and the connect cannot point inside. TLS still checks the certificate against
the URL's host name, which httpcore sends as SNI. `http://`, private addresses and other ports
are refused unless the operator allows them (`remote_images_allow_*`, meant for tests).
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import anyio
import httpcore
import httpx

from imagegate.errors import InvalidRequestError
from imagegate.pipeline.uploads import GENERIC_MIME_TYPES, IMAGE_MIME_TYPES, MAX_IMAGES, Raw, decode_data_url

Resolver = Callable[[str, int], Awaitable[list[str]]]
_DEFAULT_PORTS = {"https": 443, "http": 80}


@dataclass(frozen=True)
class RemoteImage:
    """An image URL checked for its form, not fetched yet."""

    url: httpx.URL
    param: str
    max_bytes: int


Source = Raw | RemoteImage


@dataclass(frozen=True)
class RemotePolicy:
    """What the operator allows (see the `remote_images*` settings)."""

    enabled: bool = True
    allow_private: bool = False
    allow_http: bool = False
    allow_any_port: bool = False
    timeout: float = 10.0  # all of one request's fetches together
    max_total_bytes: int = 128 * 1024 * 1024  # all of one request's fetched bodies together

    @classmethod
    def from_settings(cls, settings: Any) -> RemotePolicy:
        return cls(
            enabled=settings.remote_images, allow_private=settings.remote_images_allow_private,
            allow_http=settings.remote_images_allow_http, allow_any_port=settings.remote_images_allow_any_port,
            timeout=settings.remote_images_timeout_seconds, max_total_bytes=settings.max_request_bytes,
        )


def _error(param: str, message: str, code: str = "invalid_image_url") -> InvalidRequestError:
    return InvalidRequestError(f"Invalid '{param}': {message}", param=param, code=code)


def is_public_address(text: str) -> bool:
    """Whether an IP address is globally routable: not loopback, private, link-local, multicast,
    reserved, unspecified, shared, documentation, nor an IPv6 form that embeds such an IPv4 one."""
    try:
        addr = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(addr, ipaddress.IPv6Address):
        embedded = [addr.ipv4_mapped, addr.sixtofour, *(addr.teredo or ())]
        if addr in ipaddress.IPv6Network("64:ff9b::/96"):  # NAT64: the last 32 bits are an IPv4 address
            embedded.append(ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF))
        if any(v4 is not None and not is_public_address(str(v4)) for v4 in embedded):
            return False
        if addr.ipv4_mapped is not None:
            return True
    bad = addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_multicast or addr.is_reserved or addr.is_unspecified
    return addr.is_global and not bad


def image_source(url: Any, param: str, max_bytes: int, policy: RemotePolicy) -> Source:
    """A data URL decoded now, or a remote URL checked for its form (scheme, host, port)."""
    if not (policy.enabled and isinstance(url, str) and url[:8].lower().startswith(("https://", "http://"))):
        return decode_data_url(url, param, remote=policy.enabled)
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, UnicodeError):
        raise _error(param, "the URL is not valid.") from None
    if parsed.scheme != "https" and not (parsed.scheme == "http" and policy.allow_http):
        raise _error(param, "only https:// image URLs are fetched (or a base64 data URL).")
    if not parsed.host:
        raise _error(param, "the URL has no host.")
    if parsed.port not in (None, _DEFAULT_PORTS[parsed.scheme]) and not policy.allow_any_port:
        raise _error(param, f"only the default port ({_DEFAULT_PORTS[parsed.scheme]}) is fetched.")
    return RemoteImage(parsed, param, max_bytes)


async def system_resolver(host: str, port: int) -> list[str]:
    """The host's addresses from the system resolver (in a worker thread)."""
    infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


class _PinnedBackend(httpcore.AsyncNetworkBackend):
    """Connects to the vetted addresses only, whatever name the connection asks for."""

    def __init__(self, host: str, addresses: list[str]) -> None:
        self._host, self._addresses, self._inner = host, addresses, httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None, socket_options: Any = None) -> httpcore.AsyncNetworkStream:
        if host != self._host:
            raise httpcore.ConnectError(f"unexpected host {host!r}")
        failure: Exception = httpcore.ConnectError("no address")
        for address in self._addresses:
            try:
                return await self._inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        raise failure

    async def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: Any = None) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not used")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _PinnedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport over a connection pool that uses `_PinnedBackend`."""

    def __init__(self, ssl_context: ssl.SSLContext, backend: _PinnedBackend) -> None:
        super().__init__(verify=ssl_context, trust_env=False, retries=0)
        if not hasattr(self, "_pool"):  # httpx keeps its httpcore pool here (0.23 to 0.28)
            raise RuntimeError("httpx.AsyncHTTPTransport has no _pool: the address pinning needs updating")
        self._pool = httpcore.AsyncConnectionPool(ssl_context=ssl_context, max_connections=1, retries=0, network_backend=backend)


@dataclass
class RemoteFetcher:
    """Fetches a request's remote images under `policy`; `resolver` and `ssl_context` are seams."""

    policy: RemotePolicy
    resolver: Resolver = system_resolver
    ssl_context: ssl.SSLContext | None = None
    _fetched: int = field(default=0, init=False)

    async def resolve(self, sources: list[Source]) -> list[Raw]:
        """Every source's bytes and MIME type: remote ones fetched together within the deadline."""
        remote = [s for s in sources if isinstance(s, RemoteImage)]
        if not remote:
            return [s for s in sources if not isinstance(s, RemoteImage)]
        if len(remote) > MAX_IMAGES + 1:
            raise InvalidRequestError(f"Invalid 'image': too many images ({len(remote)}); at most {MAX_IMAGES} are accepted.", param="image", code="too_many_images")
        results: dict[int, Raw] = {}
        errors: dict[int, InvalidRequestError] = {}

        async def one(i: int, item: RemoteImage) -> None:
            try:
                results[i] = await self.fetch(item)
            except InvalidRequestError as exc:
                errors[i] = exc
                scope.cancel()

        try:
            with anyio.fail_after(self.policy.timeout):
                async with anyio.create_task_group() as tg:
                    scope = tg.cancel_scope
                    for i, item in enumerate(sources):
                        if isinstance(item, RemoteImage):
                            tg.start_soon(one, i, item)
        except TimeoutError:
            late = next(s for i, s in enumerate(sources) if isinstance(s, RemoteImage) and i not in results)
            raise _error(late.param, f"the image could not be fetched within {self.policy.timeout:g} seconds.") from None
        if errors:
            raise errors[min(errors)]
        return [results[i] if isinstance(s, RemoteImage) else s for i, s in enumerate(sources)]

    async def fetch(self, item: RemoteImage) -> Raw:
        """One image's bytes and declared MIME type, from a vetted address."""
        host = item.url.raw_host.decode("ascii")
        port = item.url.port or _DEFAULT_PORTS[item.url.scheme]
        try:
            addresses = await self.resolver(item.url.host, port)
        except (OSError, UnicodeError, ValueError):
            raise _error(item.param, f"the host '{item.url.host}' could not be resolved.") from None
        if not addresses:
            raise _error(item.param, f"the host '{item.url.host}' could not be resolved.")
        if not self.policy.allow_private and not all(is_public_address(a) for a in addresses):
            raise _error(item.param, f"the host '{item.url.host}' resolves to a private or reserved address; only public addresses are fetched.")
        context = self.ssl_context or httpx.create_ssl_context()  # certifi, or SSL_CERT_FILE/DIR
        transport = _PinnedTransport(context, _PinnedBackend(host, addresses))
        limit = self.policy.timeout
        timeout = httpx.Timeout(min(5.0, limit), connect=min(3.0, limit))
        headers = {"Accept": "image/png, image/jpeg, image/webp", "Accept-Encoding": "identity", "User-Agent": "imagegate"}
        try:
            async with httpx.AsyncClient(transport=transport, follow_redirects=False, trust_env=False, timeout=timeout, headers=headers) as client:
                async with client.stream("GET", item.url) as response:
                    return await self._read(item, response)
        except httpx.TimeoutException:
            raise _error(item.param, "the image server did not answer in time.") from None
        except (httpx.HTTPError, OSError) as exc:
            raise _error(item.param, f"the image could not be fetched ({type(exc).__name__}: {str(exc)[:200]}).") from None

    async def _read(self, item: RemoteImage, response: httpx.Response) -> Raw:
        if response.is_redirect or 300 <= response.status_code < 400:
            raise _error(item.param, f"the image URL answered a redirect (HTTP {response.status_code}); redirects are not followed.")
        if response.status_code != 200:
            raise _error(item.param, f"the image URL answered HTTP {response.status_code}.")
        mime = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if mime not in IMAGE_MIME_TYPES and mime not in GENERIC_MIME_TYPES:
            raise _error(item.param, f"the URL's content type is '{mime}', not an image (png, jpeg or webp).")
        if response.headers.get("content-encoding", "identity").strip().lower() != "identity":
            raise _error(item.param, "the image was sent with a content encoding; only plain bodies are read.")
        too_large = _error(item.param, f"the image is over the {item.max_bytes // (1024 * 1024)} MB limit.", "image_too_large")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > item.max_bytes:
            raise too_large
        body = bytearray()
        async for chunk in response.aiter_raw():
            body += chunk
            self._fetched += len(chunk)
            if len(body) > item.max_bytes:
                raise too_large
            if self._fetched > self.policy.max_total_bytes:
                raise _error(item.param, "the request's images are over its byte limit together.", "image_too_large")
        return bytes(body), mime
