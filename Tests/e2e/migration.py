"""End-to-end: a live migration (seed 004) with traffic through nginx and through mosquitto. The
test plays the migration manager: a meter's source instance A serves the name, the target B is
registered beside it, the name is pinned to A; HTTP clients call the meter's method through nginx
(which proxies to the endpoint registryd's answer names, `X-Registryd-Endpoint`) and A publishes
its readings through mosquitto with the registryd plugin to a wildcard subscriber. Then the
manager freezes A, flips the pin to B (`PUT /v1/resolve/pin`), waits until the broker reports
having applied the flip's index (`$SYS/broker/registryd/index`), and resumes B. Prints
`migration: N passed, N failed`.

    scripts/mosquitto-plugin; apt-get install -y nginx; python3 -m pip install paho-mqtt PyJWT cryptography
    python3 Tests/e2e/migration.py .build/debug/registryd
"""
import http.client
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import harness
import jwt
from mqtt_clients import Broker, Client, stop_all

NGINX = next((path for path in ["/usr/sbin/nginx", shutil.which("nginx")] if path and os.access(path, os.X_OK)), None)
AUTHORITY = "plant.example"
POLICY = """\
attribute subject.role : String from authority "plant.example";
meter: permit call, publish, subscribe on "plant.example/Meter/**" when subject.role == "operator";
"""
checks = harness.Checks("migration")
check = checks.check


def instance(name, port, topic):
    return {"name": "plant.example/Meter", "version": "1.0.0", "instance": {"id": name},
            "objects": [{"name": "plant.example/Meter/m1",
                         "methods": [{"name": "read", "endpoints": [
                             {"protocol": "rest", "url": f"http://127.0.0.1:{port}/read", "method": "GET"}]}],
                         "channels": [{"name": "readings", "endpoints": [
                             {"protocol": "mqtt", "broker": "mqtt://127.0.0.1:1883", "topic": topic}]}]}]}


def upstream(label):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", "1")
            self.end_headers()
            self.wfile.write(label.encode())

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def nginx_conf(work, port, registryd_port, token):
    return harness.nginx_config(work, f"""
    server {{
        listen 127.0.0.1:{port};
        location /plant.example/ {{
            auth_request /_registryd;
            # Route by registryd's answer: the binding's endpoint for this method, which a pin
            # (a migration's flip) chooses.
            auth_request_set $registryd_endpoint $upstream_http_x_registryd_endpoint;
            proxy_pass $registryd_endpoint;
        }}
        location = /_registryd {{
            internal;
            proxy_pass http://127.0.0.1:{registryd_port}/v1/gateway/authorize;
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
            proxy_set_header X-Original-URI $request_uri;
            proxy_set_header X-Original-Method $request_method;
            proxy_set_header X-Forwarded-Uri "";
            proxy_set_header X-Forwarded-Method "";
            proxy_set_header X-Registryd-Token "{token}";
        }}
    }}
""")


def main():
    if NGINX is None:
        print("migration: skipped (nginx not installed)")
        sys.exit(0)
    daemon = harness.Daemon(sys.argv[1], prefix="registryd-migration-")
    work = tempfile.mkdtemp(prefix="registryd-migration-conf-")
    source, target = upstream("A"), upstream("B")
    nginx = broker = None
    clients = []
    stop = threading.Event()
    try:
        admin = daemon.admin
        key = harness.authority(daemon, AUTHORITY)
        status, _, body = harness.call(daemon.base, "PUT", "/v1/policies/plant", POLICY, token=admin, content_type="text/plain")
        check("policy stored", status == 200, (status, body))
        status, _, body = harness.call(daemon.base, "POST", "/v1/services", instance("meter-a", source.server_address[1], "plant/meter/a/readings"),
                                       token=admin)
        check("the source instance registers", status in (200, 201), (status, body))
        status, _, body = harness.call(daemon.base, "PUT", "/v1/resolve/pin?name=plant.example/Meter",
                                       {"generation": 0, "instances": ["meter-a"]}, token=admin)
        check("the name is pinned to the source", status == 200, (status, body))
        generation = body.get("generation", 0) if isinstance(body, dict) else 0
        status, _, body = harness.call(daemon.base, "POST", "/v1/services", instance("meter-b", target.server_address[1], "plant/meter/b/readings"),
                                       token=admin)
        check("the target instance registers beside it", status in (200, 201), (status, body))
        status, _, body = harness.call(daemon.base, "POST", "/v1/tokens", {"scopes": ["decide", "query"]}, token=admin)
        gateway_token = body["token"]

        now = int(time.time())
        def credential(sub):
            return jwt.encode({"iss": AUTHORITY, "sub": sub, "nbf": now - 60, "exp": now + 3600, "attributes": {"role": "operator"}},
                              key, algorithm="EdDSA")

        nginx_port = harness.free_port()
        with open(os.path.join(work, "nginx.conf"), "w") as file:
            file.write(nginx_conf(work, nginx_port, daemon.port, gateway_token))
        nginx = subprocess.Popen([NGINX, "-p", work, "-c", f"{work}/nginx.conf", "-g", "daemon off;"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        mqtt_port = harness.free_port()
        broker = Broker(work, mqtt_port, daemon.base, gateway_token, {"sys_topics": "allow"})
        time.sleep(0.5)
        if not check("nginx and mosquitto start", nginx.poll() is None and broker.running(), broker.log_tail(800)):
            return

        # HTTP clients: two threads calling the meter through nginx the whole time.
        results = []
        caller = credential("caller")

        def call_loop():
            connection = http.client.HTTPConnection("127.0.0.1", nginx_port, timeout=10)
            while not stop.is_set():
                started = time.time()
                try:
                    connection.request("GET", "/plant.example/Meter/m1/read", headers={"Authorization": f"Bearer {caller}"})
                    response = connection.getresponse()
                    results.append((started, time.time(), response.status, response.read().decode()))
                except Exception as error:  # noqa: BLE001
                    results.append((started, time.time(), 0, repr(error)))
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", nginx_port, timeout=10)
                time.sleep(0.005)

        callers = [threading.Thread(target=call_loop) for _ in range(2)]
        for thread in callers:
            thread.start()

        subscriber = Client(mqtt_port, "dashboard", credential("dashboard")).wait()
        clients.append(subscriber)
        check("the subscriber's wildcard subscription is granted", subscriber.subscribe("plant/meter/+/readings") is True,
              subscriber.granted)
        index_seen = []
        watcher = Client(mqtt_port, "migration-manager", credential("manager")).wait()
        clients.append(watcher)
        watcher.client.on_message = lambda c, u, m: index_seen.append(int(m.payload or 0))
        watcher.subscribe("$SYS/broker/registryd/index")
        meter_a = Client(mqtt_port, "meter-a", credential("meter-a")).wait()
        meter_b = Client(mqtt_port, "meter-b", credential("meter-b")).wait()
        clients += [meter_a, meter_b]

        # Before the flip: A publishes; B's early messages are no channel's (B does not serve yet).
        sent_a = []
        for seq in range(50):
            meter_a.publish("plant/meter/a/readings", b"a-%d" % seq)
            sent_a.append(b"a-%d" % seq)
            if seq % 10 == 0:
                meter_b.publish("plant/meter/b/readings", b"b-early-%d" % seq)
            time.sleep(0.02)
        time.sleep(0.5)

        # The flip: freeze A (it stopped above), rebind the name, wait for the broker, resume B.
        flip_started = time.time()
        status, _, body = harness.call(daemon.base, "PUT", "/v1/resolve/pin?name=plant.example/Meter",
                                       {"generation": generation, "instances": ["meter-b"]}, token=admin)
        flip_done = time.time()
        flip_index = body.get("index", 0) if isinstance(body, dict) else 0
        check("the flip is accepted", status == 200 and flip_index > 0, (status, body))
        deadline = time.time() + 10
        while time.time() < deadline and not any(i >= flip_index for i in index_seen):
            time.sleep(0.01)
        check("the broker reports the flip's index on $SYS/broker/registryd/index", any(i >= flip_index for i in index_seen),
              (flip_index, index_seen[-3:]))
        meter_a.publish("plant/meter/a/readings", b"a-after-flip")  # a source that did not freeze
        sent_b = []
        for seq in range(50):
            meter_b.publish("plant/meter/b/readings", b"b-%d" % seq)
            sent_b.append(b"b-%d" % seq)
            time.sleep(0.02)
        time.sleep(1)
        stop.set()
        for thread in callers:
            thread.join(timeout=15)

        got = [payload for _, payload in subscriber.received]
        check("no reading of the source before the flip was lost", all(m in got for m in sent_a), [m for m in sent_a if m not in got][:5])
        check("the target's messages before the flip were no channel's: none delivered",
              not any(m.startswith(b"b-early") for m in got), [m for m in got if m.startswith(b"b-early")])
        check("after the flip the source's topic delivers nothing", b"a-after-flip" not in got, got[-5:])
        check("no reading of the target after the flip was lost", all(m in got for m in sent_b), [m for m in sent_b if m not in got][:5])
        check("the subscriber stayed connected through the flip (rebound bindings are decided again, not cut)",
              not subscriber.disconnected.is_set())

        failed = [r for r in results if r[2] != 200]
        before = [r for r in results if r[1] < flip_started]
        after = [r for r in results if r[0] > flip_done]
        check(f"no HTTP request lost across the flip ({len(results)} requests)", results and not failed, failed[:3])
        check(f"before the flip every request reached the source ({len(before)})", before and all(r[3] == "A" for r in before),
              [r for r in before if r[3] != "A"][:3])
        check(f"after the flip's answer no request reached the source ({len(after)})", after and all(r[3] == "B" for r in after),
              [r for r in after if r[3] != "B"][:3])

        time.sleep(0.5)
        status, _, body = harness.call(daemon.base, "GET", "/v1/bindings?api=plant.example/Meter/m1/read", token=admin)
        bindings = body.get("bindings", []) if isinstance(body, dict) else []
        to_source = [b for b in bindings if any(str(source.server_address[1]) in e["address"] for e in b["claims"]["endpoints"])]
        to_target = [b for b in bindings if any(str(target.server_address[1]) in e["address"] for e in b["claims"]["endpoints"])]
        check("the bindings issued for the source's endpoint were revoked by the flip", to_source and all(b["revoked"] for b in to_source),
              [(b["id"], b["revoked"]) for b in to_source])
        check("bindings for the target's endpoint were issued after it", to_target and not any(b["revoked"] for b in to_target),
              [(b["id"], b["revoked"]) for b in to_target])
    finally:
        stop.set()
        stop_all(clients, broker, print_log=checks.failed > 0)
        if nginx:
            nginx.terminate()
            nginx.wait(timeout=10)
        source.shutdown()
        target.shutdown()
        daemon.stop()
        shutil.rmtree(work, ignore_errors=True)
    checks.finish()


main()
