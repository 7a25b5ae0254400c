"""HTTP helpers of bench_http.py: signing in over HTTP, and a bounded load on one URL (wrk, or a
Python loop when wrk is not available). Loopback only."""

import http.client
import re
import statistics
import subprocess
import tempfile
import threading
import time
from urllib.parse import urlencode, urlparse

# wrk prints one parseable line: requests, duration (µs), errors, median and p95 latency (µs).
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %f %f\\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(95)))
end
"""


def _connection(url: str) -> tuple[http.client.HTTPConnection, str]:
    parsed = urlparse(url)
    if parsed.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("the HTTP benchmark runs on loopback only")
    path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
    return http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30), path


def fetch(url: str, cookie: str = "", method="GET", body=None, headers=None):
    connection, path = _connection(url)
    all_headers = {"Cookie": cookie, **(headers or {})} if cookie else dict(headers or {})
    connection.request(method, path, body=body, headers=all_headers)
    response = connection.getresponse()
    content = response.read().decode("utf-8", "replace")
    cookies = {}
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            key, _sep, rest = value.partition("=")
            cookies[key] = rest.split(";", 1)[0]
    connection.close()
    response.cookies = cookies
    return (response.status, content) if method == "GET" else response


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if fetch(url)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {timeout:.0f} s")


def login(base: str, email: str, password: str) -> str:
    """Sign in through allauth's form as a browser does; return the Cookie header to send.

    The production cookies are Secure; on plain loopback HTTP they are passed on by hand."""
    connection, path = _connection(base + "/accounts/login/")
    connection.request("GET", path)
    page = connection.getresponse()
    html = page.read().decode()
    csrf_cookie = next(
        v.split(";", 1)[0].split("=", 1)[1]
        for k, v in page.getheaders()
        if k.lower() == "set-cookie" and v.startswith("csrftoken=")
    )
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = fetch(
        base + "/accounts/login/",
        cookie=f"csrftoken={csrf_cookie}",
        method="POST",
        body=urlencode({"login": email, "password": password, "csrfmiddlewaretoken": token}),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    if response.status != 302 or "sessionid" not in response.cookies:
        raise SystemExit(f"signing in failed: HTTP {response.status}")
    return f"csrftoken={csrf_cookie}; sessionid={response.cookies['sessionid']}"


def wrk_load(wrk: str, url: str, cookie: str, *, seconds: int, connections: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT)
        script.flush()
        command = [wrk, "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s"]
        command += ["-H", f"Cookie: {cookie}", "-s", script.name, url]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    fields = next(line for line in output.splitlines() if line.startswith("RESULT")).split()[1:]
    requests, duration_us, errors = int(fields[0]), int(fields[1]), int(fields[2])
    return {
        "requests": requests,
        "rps": requests / (duration_us / 1e6),
        "p50": float(fields[3]) / 1000,
        "p95": float(fields[4]) / 1000,
        "errors": errors,
    }


def python_load(
    url: str, cookie: str, *, seconds: int, connections: int, max_requests: int = 20_000
) -> dict:
    """The fallback: `connections` keep-alive clients for `seconds`, at most `max_requests`."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client():
        connection, path = _connection(url)
        while time.monotonic() < deadline and len(latencies) < max_requests:
            began = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Cookie": cookie})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                connection.close()
                connection, path = _connection(url)
                ok = False
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                latencies.append(elapsed)
                errors[0] += not ok
        connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "rps": len(ordered) / elapsed,
        "p50": statistics.median(ordered),
        "p95": ordered[int(0.95 * (len(ordered) - 1))],
        "errors": errors[0],
    }
