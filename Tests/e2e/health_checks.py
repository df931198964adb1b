"""End-to-end: health checks as Consul has them, run by a real `registryd serve --pull-allow
127.0.0.1` against real peers: an HTTP server (status and body), a TCP listener, a gRPC server
with grpcio's own `grpc.health.v1` servicer (grpcio-health-checking), a CoAP server (aiocoap,
which answers a CoAP ping with a reset), and a TTL check the test reports. Prints
`health-checks: N passed, N failed`.

    python3 -m pip install grpcio grpcio-health-checking aiocoap
    python3 Tests/e2e/health_checks.py .build/debug/registryd
"""
import asyncio
import socket
import sys
import threading
import time
from concurrent import futures
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import aiocoap
import aiocoap.resource
import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

import harness

checks = harness.Checks("health-checks")
check = checks.check


class HTTPPeer(BaseHTTPRequestHandler):
    status, body = 200, b"ready"

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.send_response(HTTPPeer.status)
        self.send_header("Content-Length", str(len(HTTPPeer.body)))
        self.end_headers()
        self.wfile.write(HTTPPeer.body)


def tcp_listener():
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(16)

    def accept():
        while True:
            try:
                connection, _ = server.accept()
                connection.close()
            except OSError:
                return
    threading.Thread(target=accept, daemon=True).start()
    return server


def coap_server(port, ready, stop):
    """aiocoap on `port` (UDP) in its own event loop until `stop` is set."""
    async def main():
        root = aiocoap.resource.Site()
        context = await aiocoap.Context.create_server_context(root, bind=("127.0.0.1", port))
        ready.set()
        while not stop.is_set():
            await asyncio.sleep(0.1)
        await context.shutdown()
    asyncio.run(main())


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def checks_of(daemon, id):
    status, _, body = harness.call(daemon.base, "GET", f"/v1/services/{id}/checks", token=daemon.admin)
    return body if status == 200 else {"status": status, "body": body}


def wait_for(what, predicate, timeout=15):
    deadline = time.time() + timeout
    value = None
    while time.time() < deadline:
        value = what()
        if predicate(value):
            return True, value
        time.sleep(0.2)
    return False, value


def status_of(body, check_id):
    return next((c["status"] for c in body.get("checks", []) if c["id"] == check_id), None) if isinstance(body, dict) else None


def main():
    daemon = harness.Daemon(sys.argv[1], prefix="registryd-checks-", args=["--pull-allow", "127.0.0.1"])
    http_peer = ThreadingHTTPServer(("127.0.0.1", 0), HTTPPeer)
    threading.Thread(target=http_peer.serve_forever, daemon=True).start()
    tcp = tcp_listener()
    grpc_server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    servicer = health.HealthServicer()
    servicer.set("meter.v1.Meter", health_pb2.HealthCheckResponse.SERVING)
    health_pb2_grpc.add_HealthServicer_to_server(servicer, grpc_server)
    grpc_port = grpc_server.add_insecure_port("127.0.0.1:0")
    grpc_server.start()
    coap_port = free_udp_port()
    coap_ready, coap_stop = threading.Event(), threading.Event()
    coap_thread = threading.Thread(target=coap_server, args=(coap_port, coap_ready, coap_stop), daemon=True)
    coap_thread.start()
    coap_ready.wait(10)
    try:
        http_port, tcp_port = http_peer.server_address[1], tcp.getsockname()[1]
        manifest = {
            "name": "plant.example/Meter", "version": "1.0.0",
            "instance": {"id": "meter-1", "checks": [
                {"id": "api", "http": f"http://127.0.0.1:{http_port}/health", "body": "ready", "interval": "1s", "timeout": "1s",
                 "failuresBeforeCritical": 2, "successBeforePassing": 2},
                {"id": "port", "tcp": f"127.0.0.1:{tcp_port}", "interval": "1s", "timeout": "1s"},
                {"id": "grpc", "grpc": f"127.0.0.1:{grpc_port}", "service": "meter.v1.Meter", "interval": "1s", "timeout": "2s"},
                {"id": "coap", "coap": f"coap://127.0.0.1:{coap_port}", "interval": "1s", "timeout": "1s"},
                {"id": "heartbeat", "ttl": "4s", "interval": "1s"},
            ]},
            "objects": [{"name": "plant.example/Meter/m1", "methods": [{"name": "read", "endpoints": [
                {"protocol": "rest", "url": f"http://127.0.0.1:{http_port}/read", "method": "GET"}]}]}],
        }
        status, _, body = harness.call(daemon.base, "POST", "/v1/services", manifest, token=daemon.admin)
        check("an instance with five checks registers", status in (200, 201), (status, body))

        def report(state, output="fine"):
            return harness.call(daemon.base, "PUT", "/v1/services/meter-1/checks/heartbeat", {"status": state, "output": output},
                                token=daemon.admin)
        status, _, body = report("passing", "all good")
        check("a TTL report is accepted", status == 200 and status_of(body, "heartbeat") == "passing", (status, body))

        ok, body = wait_for(lambda: checks_of(daemon, "meter-1"),
                            lambda b: all(c.get("lastRun") for c in b.get("checks", []) if c["kind"] != "ttl") and len(b.get("checks", [])) == 5)
        check("every check ran and its output is visible", ok, body)
        outputs = {c["id"]: (c["status"], c["output"]) for c in body.get("checks", [])}
        check("HTTP with a body match passes", outputs.get("api", ("",))[0] == "passing" and "HTTP 200" in outputs["api"][1], outputs)
        check("TCP connect passes", outputs.get("port", ("",))[0] == "passing", outputs)
        check("gRPC health (grpcio's servicer) passes: SERVING", outputs.get("grpc", ("",))[0] == "passing" and "SERVING" in outputs["grpc"][1],
              outputs)
        check("a CoAP ping to aiocoap is answered", outputs.get("coap", ("",))[0] == "passing" and "RST" in outputs["coap"][1], outputs)
        check("the instance is ok while every check passes", body.get("health") == "ok", body.get("health"))

        # One failure is not enough (failuresBeforeCritical 2); two are.
        HTTPPeer.body = b"starting"
        report("passing")
        ok, body = wait_for(lambda: checks_of(daemon, "meter-1"), lambda b: status_of(b, "api") == "critical", timeout=10)
        check("a body that no longer matches fails the HTTP check after two runs", ok, body)
        check("the instance is as bad as its worst check (broken), the note names the check",
              ok and body.get("health") == "broken", body.get("health"))
        status, _, resolved = harness.call(daemon.base, "GET", "/v1/resolve?name=plant.example/Meter/m1/read", token=daemon.admin)
        check("a broken instance leaves name resolution", status in (200, 404) and not (isinstance(resolved, dict) and resolved.get("endpoints")),
              (status, resolved))
        status, _, shown = harness.call(daemon.base, "GET", "/v1/services/meter-1", token=daemon.admin)
        check("the registration's note is the failing check's output", isinstance(shown, dict) and "check api" in str(shown.get("healthNote", shown)),
              shown if not isinstance(shown, dict) else shown.get("healthNote"))
        HTTPPeer.body = b"ready"
        report("passing")
        ok, body = wait_for(lambda: checks_of(daemon, "meter-1"), lambda b: b.get("health") == "ok", timeout=10)
        check("two passing runs bring it back to ok (successBeforePassing 2)", ok, body)

        HTTPPeer.status = 503
        report("passing")
        ok, body = wait_for(lambda: checks_of(daemon, "meter-1"), lambda b: status_of(b, "api") == "warning", timeout=10)
        check("HTTP 503 is a warning: the instance is degraded", ok and body.get("health") == "degraded", body)
        HTTPPeer.status = 200
        report("passing")
        wait_for(lambda: checks_of(daemon, "meter-1"), lambda b: b.get("health") == "ok", timeout=10)

        servicer.set("meter.v1.Meter", health_pb2.HealthCheckResponse.NOT_SERVING)
        ok, body = wait_for(lambda: checks_of(daemon, "meter-1"), lambda b: status_of(b, "grpc") == "critical", timeout=10)
        check("gRPC NOT_SERVING fails the gRPC check", ok and "NOT_SERVING" in str(body), body)
        servicer.set("meter.v1.Meter", health_pb2.HealthCheckResponse.SERVING)

        # No report within the TTL: critical.
        ok, body = wait_for(lambda: checks_of(daemon, "meter-1"), lambda b: status_of(b, "heartbeat") == "critical", timeout=10)
        check("a TTL check not reported within its ttl turns critical", ok and "TTL expired" in str(body), body)
        status, _, body = report("passing")
        check("a report brings it back at once", status_of(body, "heartbeat") == "passing", body)

        tcp.close()
        ok, body = wait_for(lambda: checks_of(daemon, "meter-1"), lambda b: status_of(b, "port") == "critical", timeout=10)
        check("a closed port fails the TCP check", ok, body)
        coap_stop.set()
        coap_thread.join(timeout=10)
        ok, body = wait_for(lambda: checks_of(daemon, "meter-1"), lambda b: status_of(b, "coap") == "critical", timeout=10)
        check("a CoAP server that is gone fails the CoAP check", ok, body)

        status, _, body = harness.call(daemon.base, "PUT", "/v1/services/meter-1/checks/api", {"status": "passing"}, token=daemon.admin)
        check("only TTL checks are reported (409 for an HTTP check)", status == 409, (status, body))
        status, _, body = harness.call(daemon.base, "PUT", "/v1/services/meter-1/checks/heartbeat", {"status": "great"}, token=daemon.admin)
        check("a report with an unknown status is a 400", status == 400, (status, body))
        status, _, body = harness.call(daemon.base, "POST", "/v1/tokens", {"scopes": ["register:other.example/"]}, token=daemon.admin)
        other = body.get("token") if isinstance(body, dict) else None
        status, _, body = harness.call(daemon.base, "PUT", "/v1/services/meter-1/checks/heartbeat", {"status": "critical"}, token=other)
        check("another tenant's token cannot report this instance's check (403)", status == 403, (status, body))
        heartbeat = next((c for c in checks_of(daemon, "meter-1").get("checks", []) if c["id"] == "heartbeat"), {})
        check("and its report changed nothing", heartbeat.get("output") != "reported critical", heartbeat)

        # Only --pull-allow hosts are reached.
        fenced = {"name": "plant.example/Fenced", "version": "1.0.0",
                  "instance": {"id": "fenced-1", "checks": [{"id": "port", "tcp": f"localhost:{http_port}", "interval": "1s"}]}}
        harness.call(daemon.base, "POST", "/v1/services", fenced, token=daemon.admin)
        ok, body = wait_for(lambda: checks_of(daemon, "fenced-1"), lambda b: status_of(b, "port") == "critical", timeout=10)
        check("a check of a host --pull-allow does not name is never run: critical, says why", ok and "pull-allow" in str(body), body)

        # A TTL check nobody ever reports turns critical too.
        silent = {"name": "plant.example/Silent", "version": "1.0.0",
                  "instance": {"id": "silent-1", "checks": [{"id": "beat", "ttl": "1s", "interval": "1s"}]}}
        harness.call(daemon.base, "POST", "/v1/services", silent, token=daemon.admin)
        ok, body = wait_for(lambda: checks_of(daemon, "silent-1"), lambda b: status_of(b, "beat") == "critical", timeout=10)
        check("a TTL check never reported turns critical after its ttl", ok and body.get("health") == "broken", body)

        # deregisterAfter: critical for that long removes the instance.
        doomed = {"name": "plant.example/Doomed", "version": "1.0.0",
                  "instance": {"id": "doomed-1", "checks": [
                      {"id": "port", "tcp": "127.0.0.1:1", "interval": "1s", "timeout": "1s", "deregisterAfter": "2s"}]}}
        status, _, body = harness.call(daemon.base, "POST", "/v1/services", doomed, token=daemon.admin)
        ok, _ = wait_for(lambda: harness.call(daemon.base, "GET", "/v1/services/doomed-1", token=daemon.admin)[0], lambda s: s == 404,
                         timeout=15)
        check("an instance critical for its deregisterAfter is deregistered", ok)

        for bad, why in [({"tcp": "no-port"}, "a tcp check without a port"),
                         ({"http": "http://x/", "tcp": "x:1"}, "two kinds in one check"),
                         ({"grpc": "x:1", "body": "y"}, "a body on a gRPC check"),
                         ({"ttl": "0s"}, "a zero TTL"),
                         ({"coap": "http://x/"}, "a CoAP check with an HTTP URL")]:
            status, _, body = harness.call(daemon.base, "POST", "/v1/services",
                                           {"name": "plant.example/Bad", "version": "1", "instance": {"checks": [bad]}}, token=daemon.admin)
            check(f"{why} is a 400 naming the field", status == 400 and "checks" in str(body), (status, body))
    finally:
        http_peer.shutdown()
        try:
            tcp.close()
        except OSError:
            pass
        grpc_server.stop(0)
        coap_stop.set()
        daemon.stop()
    checks.finish()


main()
