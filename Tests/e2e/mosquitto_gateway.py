"""End-to-end: Debian's mosquitto 2.0 with the registryd plugin (gateways/mosquitto), configured
by `examples/mosquitto/mosquitto.conf` itself (addresses, paths and token replaced), asking a real
`registryd serve`; paho-mqtt clients connect, publish and subscribe. Prints
`mosquitto-gateway: N passed, N failed`.

    scripts/mosquitto-plugin; python3 -m pip install paho-mqtt PyJWT cryptography
    python3 Tests/e2e/mosquitto_gateway.py .build/debug/registryd
"""
import shutil
import sys
import tempfile
import time

import harness
import jwt
from mqtt_clients import Broker, Client, stop_all

AUTHORITY = "plant.example"

POLICY = """\
domain Role = Visitor < Operator < Engineer;
attribute subject.role : Role from authority "plant.example";

pub: permit publish on "plant.example/Line/*/temperature" when subject.role >= Operator;
watch1: permit subscribe on "plant.example/Line/press1/temperature" when subject.role >= Visitor;
watch2: permit subscribe on "plant.example/Line/press2/*", "plant.example/Line/all/*" when subject.role >= Engineer;
slow: limit publish on "plant.example/Line/press2/temperature" to 10 msg/s;
"""
# The same without `pub`: publishing is no longer permitted to anyone.
POLICY_WITHOUT_PUBLISH = "\n".join(line for line in POLICY.splitlines() if not line.startswith("pub:")) + "\n"


def channel(name, topic):
    return {"name": name, "endpoints": [{"protocol": "mqtt", "broker": "mqtt://127.0.0.1:1883", "topic": topic}]}


MANIFEST = {
    "name": "plant.example/Line", "version": "1.0.0", "instance": {"id": "line-1"},
    "objects": [
        {"name": "plant.example/Line/press1", "channels": [channel("temperature", "plant/press1/temperature")]},
        {"name": "plant.example/Line/press2", "channels": [channel("temperature", "plant/press2/temperature")]},
        # A channel served on a filter: every press's vibration.
        {"name": "plant.example/Line/all", "channels": [channel("vibration", "plant/+/vibration")]},
    ],
}

checks = harness.Checks("mosquitto-gateway")
check = checks.check


def settle(seconds=0.5):
    time.sleep(seconds)


def main():
    daemon = harness.Daemon(sys.argv[1], prefix="registryd-mosquitto-")
    work = tempfile.mkdtemp(prefix="registryd-mosquitto-conf-")
    broker = None
    clients = []
    try:
        admin = daemon.admin
        key = harness.authority(daemon, AUTHORITY)
        status, _, body = harness.call(daemon.base, "PUT", "/v1/policies/plant", POLICY, token=admin, content_type="text/plain")
        check("policy stored", status == 200, (status, body))
        status, _, body = harness.call(daemon.base, "POST", "/v1/services", MANIFEST, token=admin)
        check("the line's channels are registered", status in (200, 201), (status, body))
        status, _, body = harness.call(daemon.base, "POST", "/v1/tokens", {"scopes": ["decide", "query"], "description": "mosquitto"}, token=admin)
        broker_token = body.get("token", "none") if isinstance(body, dict) else "none"

        def credential(sub, role):
            now = int(time.time())
            return jwt.encode({"iss": AUTHORITY, "sub": sub, "nbf": now - 60, "exp": now + 3600, "attributes": {"role": role}},
                              key, algorithm="EdDSA")

        # A topic is first come, first served across sites: another tenant cannot put its channel
        # (and so its policies) on the line's topics, nor a filter over them.
        status, _, body = harness.call(daemon.base, "POST", "/v1/tokens", {"scopes": ["register:evil.example/"]}, token=admin)
        evil = body.get("token") if isinstance(body, dict) else None
        for topic in ["plant/press1/temperature", "plant/#", "+/press2/temperature", "plant/press7/vibration"]:
            status, _, body = harness.call(daemon.base, "POST", "/v1/services", {
                "name": "evil.example/Tap", "version": "1", "instance": {"id": "tap"},
                "objects": [{"name": "evil.example/Tap/t", "channels": [channel("c", topic)]}]}, token=evil)
            check(f"another site's channel on `{topic}` (overlapping the line's) is refused: 403 registration.not_owned",
                  status == 403 and body.get("error", {}).get("code") == "registration.not_owned", (status, body))
        status, _, body = harness.call(daemon.base, "POST", "/v1/services", {
            "name": "evil.example/Tap", "version": "1", "instance": {"id": "tap"},
            "objects": [{"name": "evil.example/Tap/t", "channels": [channel("c", "evil/tap/readings")]}]}, token=evil)
        check("its own topics are its own", status in (200, 201), (status, body))

        # registryd's answer to a broker, as the plugin reads it.
        status, _, body = harness.call(daemon.base, "POST", "/v1/gateway/mqtt",
                                       {"action": "subscribe", "topic": "plant/+/temperature", "credentials": [credential("v", "Visitor")]},
                                       token=broker_token)
        check("a wildcard filter is judged per channel: press1 permits, press2 denies",
              status == 200 and body.get("decision") == "permit"
              and {c["api"]: c["decision"] for c in body.get("channels", [])}
              == {"plant.example/Line/press1/temperature": "permit", "plant.example/Line/press2/temperature": "deny"}, (status, body))
        status, _, body = harness.call(daemon.base, "POST", "/v1/gateway/mqtt",
                                       {"action": "publish", "topic": "plant/+/temperature", "credentials": [credential("o", "Operator")]},
                                       token=broker_token)
        check("publishing on a filter is a 400", status == 400 and body.get("error", {}).get("code") == "gateway.invalid_topic", (status, body))
        status, _, body = harness.call(daemon.base, "POST", "/v1/gateway/mqtt",
                                       {"action": "publish", "topic": "plant/press1/temperature", "credentials": ["garbage"]}, token=broker_token)
        check("credentials that do not verify: 401", status == 401, (status, body))
        for bad, why in [("not json", "a body that is not JSON"), ({"action": "fly", "credentials": []}, "an unknown action"),
                         ({"action": "publish", "credentials": []}, "a publish without a topic"),
                         ({"action": "subscribe", "credentials": [], "topic": "a/#/b"}, "a malformed filter"),
                         ({"action": "publish", "credentials": ["x"] * 33, "topic": "a"}, "33 credentials"),
                         ({"action": "publish", "credentials": [], "topic": "a", "admin": True}, "an unknown member")]:
            status, _, body = harness.call(daemon.base, "POST", "/v1/gateway/mqtt", bad, token=broker_token,
                                           content_type="application/json")
            check(f"{why} is a 400 with a JSON error", status == 400 and isinstance(body, dict) and "error" in body, (status, body))
        status, _, body = harness.call(daemon.base, "POST", "/v1/gateway/mqtt",
                                       {"action": "publish", "topic": "plant/press1/temperature", "credentials": [credential("o", "Operator")]},
                                       token=admin.replace(admin[-4:], "AAAA"))
        check("a broker without a decide token: 401", status == 401, (status, body))

        # The shipped example configuration, pointed at this test's daemon, plugin and port.
        port = harness.free_port()
        broker = Broker(work, port, daemon.base, broker_token, {"stats_interval": 1, "sys_topics": "allow"})
        if not check("mosquitto starts with the example configuration and the plugin", broker.running(), broker.log_tail(1500)):
            return

        def connect(name, password):
            client = Client(port, name, password).wait()
            clients.append(client)
            return client

        anonymous = connect("anonymous", None)
        check("a client without credentials is refused at CONNECT", not anonymous.connected.is_set(), str(anonymous.connect_code))
        forged = connect("forged", credential("mallory", "Engineer")[:-6] + "AAAAAA")
        check("a forged credential is refused at CONNECT", not forged.connected.is_set(), str(forged.connect_code))

        operator = connect("operator", credential("olga", "Operator"))
        visitor = connect("visitor", credential("vic", "Visitor"))
        engineer = connect("engineer", credential("erin", "Engineer"))
        check("clients with verifying credentials connect",
              operator.connected.is_set() and visitor.connected.is_set() and engineer.connected.is_set(),
              (operator.connect_code, visitor.connect_code, engineer.connect_code))

        check("a permitted subscription is granted", visitor.subscribe("plant/press1/temperature") is True, visitor.granted)
        check("a denied subscription is refused in SUBACK", visitor.subscribe("plant/press2/temperature") is False, visitor.granted)
        check("a wildcard subscription reaching one permitted channel is granted", visitor.subscribe("plant/+/temperature") is True,
              visitor.granted)
        check("the engineer subscribes to everything", engineer.subscribe("plant/#") is True, engineer.granted)
        settle()

        operator.publish("plant/press1/temperature", b"p1-1")
        operator.publish("plant/press2/temperature", b"p2-1")
        visitor.publish("plant/press1/temperature", b"visitor-1")
        operator.publish("plant/unknown/topic", b"unknown-1")
        settle(1.5)
        seen_by_visitor = [payload for _, payload in visitor.received]
        seen_by_engineer = [payload for _, payload in engineer.received]
        check("a permitted publish is delivered", b"p1-1" in seen_by_visitor and b"p1-1" in seen_by_engineer,
              (seen_by_visitor, seen_by_engineer))
        check("a denied publish is delivered to nobody", b"visitor-1" not in seen_by_visitor + seen_by_engineer,
              (seen_by_visitor, seen_by_engineer))
        check("the wildcard subscriber gets the permitted channel, not the denied one",
              seen_by_visitor.count(b"p1-1") >= 1 and b"p2-1" not in seen_by_visitor, seen_by_visitor)
        check("the engineer gets press2's message", b"p2-1" in seen_by_engineer, seen_by_engineer)
        check("a topic no channel is served on is denied by default", b"unknown-1" not in seen_by_engineer, seen_by_engineer)

        # A channel served on a filter (`plant/+/vibration`): its concrete topics map to it.
        operator.publish("plant/press1/vibration", b"vib-denied")  # no rule permits publishing vibration
        engineer_vib = connect("engineer-vib", credential("erin2", "Engineer"))
        engineer_vib.subscribe("plant/+/vibration")
        settle()
        check("publishing on a filter channel's topic follows that channel's rules (denied)",
              not any(p == b"vib-denied" for _, p in engineer.received + engineer_vib.received), engineer.received[-3:])

        # The limit: 10 msg/s on press2, a client sending 100/s for 5 s.
        fast = connect("fast-operator", credential("fred", "Operator"))
        engineer.received.clear()
        started = time.time()
        sent = 0
        while time.time() - started < 5:
            fast.publish("plant/press2/temperature", b"fast-%d" % sent)
            sent += 1
            time.sleep(max(0, started + sent / 100 - time.time()))
        elapsed = time.time() - started
        settle(1)
        delivered = sum(1 for topic, _ in engineer.received if topic == "plant/press2/temperature")
        rate = delivered / elapsed
        check(f"a limit of 10 msg/s holds within 10% under 100/s (sent {sent} in {elapsed:.1f} s, delivered {delivered}: {rate:.1f}/s)",
              9.0 <= rate <= 11.0 and sent >= 450, (sent, delivered, rate))
        counters = {}
        stats = Client(port, "stats", credential("erin3", "Engineer"))
        clients.append(stats)
        stats.connected.wait(10)
        stats.client.on_message = lambda c, u, m: counters.__setitem__(m.topic.rsplit("/", 1)[-1], int(m.payload or 0))
        stats.client.subscribe("$SYS/broker/registryd/#")
        time.sleep(2.5)
        check("the plugin counts what it dropped ($SYS/broker/registryd/dropped)", counters.get("dropped", 0) >= sent - delivered - 5,
              counters)
        check("cached bindings answer most checks (cache_hits)", counters.get("cache_hits", 0) > sent // 2, counters)

        # Revocation: the operator's binding for press1 is revoked; its next publish is cut.
        status, _, body = harness.call(daemon.base, "GET", "/v1/bindings?subject=olga&api=plant.example/Line/press1/temperature",
                                       token=admin)
        jtis = [b["id"] for b in body.get("bindings", [])] if isinstance(body, dict) else []
        check("the broker's decision issued a binding for the operator", len(jtis) >= 1, body)
        for jti in jtis:
            harness.call(daemon.base, "DELETE", f"/v1/bindings/{jti}", token=admin)
        settle(1)
        visitor.received.clear()
        operator.publish("plant/press1/temperature", b"after-revoke")
        settle(1.5)
        check("a revoked binding cuts the next publish", b"after-revoke" not in [p for _, p in visitor.received], visitor.received)
        check("and disconnects the client holding it", operator.disconnected.is_set(), operator.connect_code)

        # A policy change withdraws bindings it no longer permits (binding.revoked events).
        other = connect("operator2", credential("otto", "Operator"))
        other.publish("plant/press1/temperature", b"before-change")
        settle(1)
        check("a second operator publishes", b"before-change" in [p for _, p in visitor.received], visitor.received)
        status, _, body = harness.call(daemon.base, "PUT", "/v1/policies/plant", POLICY_WITHOUT_PUBLISH, token=admin,
                                       content_type="text/plain")
        check("the policy no longer permits publishing", status == 200, (status, body))
        settle(1.5)
        other.publish("plant/press1/temperature", b"after-change")
        settle(1.5)
        check("after the policy change, the next publish is refused", b"after-change" not in [p for _, p in visitor.received],
              visitor.received)
    finally:
        stop_all(clients, broker, print_log=checks.failed > 0)
        daemon.stop()
        shutil.rmtree(work, ignore_errors=True)
    checks.finish()


main()
