"""Broker throughput through the registryd plugin (gateways/mosquitto) with cached bindings, next to
mosquitto with no plugin and with its own ACL file: the same clients (Debian's mosquitto_pub and
mosquitto_sub), the same messages, one run, configurations alternated.

    scripts/mosquitto-plugin && swift build --product registryd
    python3 bench/mosquitto.py [--messages 200000] [--runs 5] [--registryd PATH]

One publisher sends MESSAGES messages of 64 bytes (QoS 0, `mosquitto_pub -l`) on one topic as fast
as it can; one subscriber waits for all of them. A run's figure is messages / (time from the
publisher's start to the subscriber's last message). With the plugin, every publish and every
delivery is checked (the publisher's `publish` and the subscriber's `subscribe` binding, both
with a `limit` of 1,000,000 msg/s so the limit's arithmetic runs too); the decisions are asked
once, before the timed part, by a warm-up message. Prints the median of each configuration and
the plugin's cost against each peer.
"""
import argparse
import getpass
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "Tests/e2e"))
import harness  # noqa: E402
import jwt  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ed25519  # noqa: E402

PLUGIN = os.path.join(ROOT, ".build/mosquitto/registryd_mosquitto.so")
MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
TOPIC = "bench/line1/temperature"
POLICY = """\
attribute subject.role : String from authority "bench.example";
pub: permit publish, subscribe on "bench.example/Line/line1/temperature" when subject.role == "operator";
cap: limit publish, subscribe on "bench.example/Line/line1/temperature" to 1000000 msg/s;
"""
MANIFEST = {"name": "bench.example/Line", "version": "1.0.0", "instance": {"id": "bench-line"},
            "objects": [{"name": "bench.example/Line/line1", "channels": [
                {"name": "temperature", "endpoints": [{"protocol": "mqtt", "broker": "mqtt://127.0.0.1:1883", "topic": TOPIC}]}]}]}


def start_broker(work, name, lines):
    port = harness.free_port()
    config = os.path.join(work, f"{name}.conf")
    with open(config, "w") as file:
        file.write(f"listener {port} 127.0.0.1\nuser {getpass.getuser()}\npersistence false\nlog_type error\n# QoS 0 messages beyond the queue limit are dropped: none is, here.\nmax_queued_messages 0\n" + "".join(lines))
    process = subprocess.Popen([MOSQUITTO, "-c", config], stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, f"{name}.log"), "w"))
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            __import__("socket").create_connection(("127.0.0.1", port), timeout=1).close()
            return process, port
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"mosquitto ({name}) did not start: " + open(os.path.join(work, f"{name}.log")).read()[-800:])


def cpu_seconds(pid):
    """The broker's user + system CPU time so far (/proc/PID/stat)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_run(port, pid, messages, payload_file, auth):
    subscriber = subprocess.Popen(["mosquitto_sub", "-h", "127.0.0.1", "-p", str(port), "-t", TOPIC, "-C", str(messages + 1),
                                   "-W", "30", "-i", "bench-sub", *auth], stdout=subprocess.PIPE, text=True)
    time.sleep(0.5)
    # The warm-up message: the decisions (and their bindings) are asked here, untimed.
    subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", str(port), "-t", TOPIC, "-m", "warm-up", "-i", "bench-warm", *auth], check=True)
    time.sleep(0.3)
    cpu = cpu_seconds(pid)
    started = time.perf_counter()
    with open(payload_file) as lines:
        subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", str(port), "-t", TOPIC, "-l", "-q", "0", "-i", "bench-pub", *auth],
                       stdin=lines, check=True)
    out, _ = subscriber.communicate(timeout=180)
    elapsed = time.perf_counter() - started
    cpu = cpu_seconds(pid) - cpu
    received = out.count("\n") - 1
    if received != messages:
        raise RuntimeError(f"the subscriber received {received} of {messages} messages")
    return messages / elapsed, cpu / messages * 1e6


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=200000)
    parser.add_argument("--runs", type=int, default=5)
    # registryd answers the warm-up's decisions only, never a timed message: a debug build will do.
    release = os.path.join(ROOT, ".build-release/release/registryd")
    parser.add_argument("--registryd", default=release if os.path.exists(release) else os.path.join(ROOT, ".build/debug/registryd"))
    options = parser.parse_args()
    if not os.path.exists(PLUGIN):
        sys.exit("bench/mosquitto.py: build the plugin first (scripts/mosquitto-plugin)")
    work = tempfile.mkdtemp(prefix="registryd-bench-mosquitto-")
    payload_file = os.path.join(work, "payload")
    with open(payload_file, "w") as file:
        for i in range(options.messages):
            file.write(("%08d" % i) + "x" * 55 + "\n")  # 64 bytes with the newline mosquitto_pub strips: 63
    daemon = harness.Daemon(options.registryd, prefix="registryd-bench-mosquitto-")
    brokers = []
    try:
        key = ed25519.Ed25519PrivateKey.generate()
        jwk = jwt.algorithms.OKPAlgorithm.to_jwk(key.public_key(), as_dict=True)
        for method, path, body, kind in [("PUT", "/v1/authorities/bench.example", {"keys": [jwk]}, None),
                                         ("PUT", "/v1/policies/bench", POLICY, "text/plain"),
                                         ("POST", "/v1/services", MANIFEST, None)]:
            status, _, answer = harness.call(daemon.base, method, path, body, token=daemon.admin, content_type=kind)
            if status >= 300:
                raise RuntimeError(f"{method} {path}: {status} {answer}")
        _, _, answer = harness.call(daemon.base, "POST", "/v1/tokens", {"scopes": ["decide", "query"]}, token=daemon.admin)
        token_file = os.path.join(work, "registryd.token")
        with open(token_file, "w") as file:
            file.write(answer["token"] + "\n")
        now = int(time.time())
        credential = jwt.encode({"iss": "bench.example", "sub": "bench", "nbf": now - 60, "exp": now + 7200,
                                 "attributes": {"role": "operator"}}, key, algorithm="EdDSA")
        acl = os.path.join(work, "acl")
        with open(acl, "w") as file:
            file.write(f"topic readwrite {TOPIC}\n")  # before any `user` line: the anonymous clients' rules
        configurations = [
            ("mosquitto alone", ["allow_anonymous true\n"], []),
            ("mosquitto + ACL file", ["allow_anonymous true\n", f"acl_file {acl}\n"], []),
            ("mosquitto + registryd plugin", ["allow_anonymous false\n", f"plugin {PLUGIN}\n",
                                              f"plugin_opt_registryd_url {daemon.base}\n",
                                              f"plugin_opt_registryd_token_file {token_file}\n"],
             ["-u", "bench", "-P", credential]),
        ]
        started = {}
        for name, lines, _ in configurations:
            process, port = start_broker(work, name.replace(" ", "_").replace("+", ""), lines)
            brokers.append(process)
            started[name] = (port, process.pid)
        figures = {name: [] for name, _, _ in configurations}
        cpu = {name: [] for name, _, _ in configurations}
        for run in range(options.runs):
            # Each configuration goes first as often as the others: the machine's noise is shared.
            for name, _, auth in configurations[run % 3:] + configurations[:run % 3]:
                rate, microseconds = one_run(*started[name], options.messages, payload_file, auth)
                figures[name].append(rate)
                cpu[name].append(microseconds)
        medians = {name: statistics.median(values) for name, values in figures.items()}
        cpu_medians = {name: statistics.median(values) for name, values in cpu.items()}
        print(f"{options.messages} messages of 63 bytes, QoS 0, one publisher and one subscriber, median of {options.runs} runs")
        print("| broker | msg/s (median) | broker CPU µs/msg (median) | msg/s of each run |")
        print("| --- | --- | --- | --- |")
        for name, values in figures.items():
            print(f"| {name} | {medians[name]:,.0f} | {cpu_medians[name]:.2f} | {', '.join(f'{v:,.0f}' for v in values)} |")
        plugin, plugin_cpu = medians["mosquitto + registryd plugin"], cpu_medians["mosquitto + registryd plugin"]
        for peer in ("mosquitto alone", "mosquitto + ACL file"):
            print(f"plugin / {peer}: throughput {plugin / medians[peer]:.3f} (cost {100 * (1 - plugin / medians[peer]):.1f}%), "
                  f"broker CPU per message {plugin_cpu / cpu_medians[peer]:.3f}")
    finally:
        for process in brokers:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        daemon.stop()
        shutil.rmtree(work, ignore_errors=True)


main()
