"""What the MQTT end-to-end tests share: Debian's mosquitto started with the registryd plugin from
`examples/mosquitto/mosquitto.conf` (addresses, paths and token replaced), and a paho-mqtt client
that records what it receives."""
import getpass
import os
import shutil
import socket
import subprocess
import threading
import time

import paho.mqtt.client as mqtt

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLUGIN = os.path.join(ROOT, ".build/mosquitto/registryd_mosquitto.so")
MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"


class Broker:
    """mosquitto on a free loopback port with the shipped example configuration, pointed at
    `registryd_base` with `token`; `options` replaces `plugin_opt_NAME VALUE` lines."""

    def __init__(self, work, port, registryd_base, token, options=None):
        self.work, self.port = work, port
        token_file = os.path.join(work, "registryd.token")
        with open(token_file, "w") as file:
            file.write(token + "\n")
        text = open(os.path.join(ROOT, "examples/mosquitto/mosquitto.conf")).read()
        replacements = [("listener 1883", f"listener {port} 127.0.0.1\nuser {getpass.getuser()}\npersistence false\nlog_dest stderr"),
                        ("/usr/local/lib/registryd/registryd_mosquitto.so", PLUGIN),
                        ("http://127.0.0.1:8470", registryd_base), ("/etc/mosquitto/registryd.token", token_file)]
        for name, value in (options or {}).items():
            line = next((line for line in text.splitlines() if line.startswith(f"plugin_opt_{name} ")), None)
            if line is None:
                raise RuntimeError(f"examples/mosquitto/mosquitto.conf no longer has plugin_opt_{name}")
            replacements.append((line, f"plugin_opt_{name} {value}"))
        for old, new in replacements:
            if old not in text:
                raise RuntimeError(f"examples/mosquitto/mosquitto.conf no longer has `{old}`")
            text = text.replace(old, new)
        config = os.path.join(work, "mosquitto.conf")
        with open(config, "w") as file:
            file.write(text)
        self.log = os.path.join(work, "mosquitto.log")
        self.process = subprocess.Popen([MOSQUITTO, "-c", config], stdout=open(self.log, "w"), stderr=subprocess.STDOUT)
        deadline = time.time() + 10
        while time.time() < deadline and self.process.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)

    def running(self):
        return self.process.poll() is None

    def log_tail(self, size=3000):
        return open(self.log).read()[-size:]

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Client:
    """A paho client (MQTT 3.1.1) that records what it receives and how its subscriptions and
    connection went; `password` None connects without credentials."""

    def __init__(self, port, name, password):
        self.received = []
        self.granted = {}
        self.connected = threading.Event()
        self.disconnected = threading.Event()
        self.connect_code = None
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=name, protocol=mqtt.MQTTv311)
        if password is not None:
            self.client.username_pw_set(name, password)
        self.client.on_connect = self.on_connect
        self.client.on_disconnect = lambda client, userdata, flags, reason, properties: self.disconnected.set()
        self.client.on_message = lambda client, userdata, message: self.received.append((message.topic, message.payload))
        self.client.on_subscribe = self.on_subscribe
        self.pending = {}
        self.client.connect("127.0.0.1", port, keepalive=30)
        self.client.loop_start()

    def on_connect(self, client, userdata, flags, reason, properties):
        self.connect_code = reason
        (self.disconnected if reason.is_failure else self.connected).set()

    def on_subscribe(self, client, userdata, mid, reasons, properties):
        self.granted[self.pending.pop(mid, None)] = not reasons[0].is_failure

    def wait(self, timeout=10):
        """Until the CONNECT was answered either way."""
        self.connected.wait(timeout) or self.disconnected.wait(5)
        return self

    def subscribe(self, topic):
        """Subscribes and returns whether SUBACK granted it (None: no answer within 10 s)."""
        result, mid = self.client.subscribe(topic, qos=0)
        self.pending[mid] = topic
        deadline = time.time() + 10
        while topic not in self.granted and time.time() < deadline:
            time.sleep(0.02)
        return self.granted.get(topic)

    def publish(self, topic, payload):
        self.client.publish(topic, payload, qos=0)

    def close(self):
        self.client.loop_stop()
        self.client.disconnect()


def stop_all(clients, broker, print_log=False):
    """Disconnects every client and stops the broker (printing its log's tail when asked)."""
    for client in clients:
        try:
            client.close()
        except Exception:  # noqa: BLE001 - a client the broker already dropped
            pass
    if broker:
        broker.stop()
        if print_log:
            print(broker.log_tail())
