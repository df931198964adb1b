"""Filtered watches over HTTP: `/v1/events` narrowed by name prefix, event kind and registration;
long-polls on `/v1/services?name=` and `/v1/resolve?name=` that return only when what they
answer changed; and 1,000 idle watchers on other names that one name changing 100 times does not
wake (read from `registryd_watch_wakeups_total`) and that cost the daemon next to no CPU (its
CPU time per change, with and without them, is printed).

Usage: python3 Tests/e2e/watches.py path/to/registryd"""
import json
import os
import resource
import socket
import sys
import threading
import time

from harness import Checks, Daemon, call

checks = Checks("watches")
check = checks.check
SITE = "watch.example"


def manifest(name, instance):
    return {"name": name, "version": "1.0.0", "instance": {"id": instance, "tier": "edge"},
            "objects": [{"name": f"{name}/main",
                         "methods": [{"name": "op", "endpoints": [{"protocol": "rest", "url": "http://10.0.0.1/op"}]}]}]}


def metric(daemon, name):
    _, _, text = call(daemon.base, "GET", "/metrics")
    for line in text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    return None


def cpu_seconds(pid):
    """User plus system CPU time of a process, from /proc."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def open_request(daemon, path):
    """A connection with one GET sent and nothing read yet."""
    sock = socket.create_connection(("127.0.0.1", daemon.port))
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {daemon.admin}\r\n\r\n".encode())
    return sock


def received(sock):
    """What the server has sent on `sock` so far, without waiting."""
    sock.setblocking(False)
    data = b""
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except BlockingIOError:
        pass
    return data


def until(predicate, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


class EventReader(threading.Thread):
    """Reads one SSE stream and keeps the events' types and data."""

    def __init__(self, daemon, query):
        super().__init__(daemon=True)
        self.sock = open_request(daemon, "/v1/events?" + query)
        self.events, self.status = [], None

    def run(self):
        buffer = b""
        self.sock.settimeout(60)
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    return
                buffer += chunk
                if self.status is None and b"\r\n" in buffer:
                    self.status = int(buffer.split(b" ", 2)[1])
                for block in buffer.split(b"\n\n")[:-1]:
                    lines = dict(line.split(": ", 1) for line in block.decode().splitlines() if line.startswith(("event: ", "data: ")))
                    if "event" in lines:
                        self.events.append((lines["event"], json.loads(lines["data"])))
                buffer = buffer.split(b"\n\n")[-1]
        except OSError:
            return

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)  # a recv blocked in run() keeps the fd open past close()
        except OSError:
            pass
        self.sock.close()


def filtered_streams(daemon):
    """Each filter of /v1/events passes what it names and nothing else."""
    by_name = EventReader(daemon, f"name={SITE}/Lab")
    by_type = EventReader(daemon, "type=service.health,name.*")
    by_id = EventReader(daemon, "id=lab-2")
    readers = [by_name, by_type, by_id]
    for reader in readers:
        reader.start()
    time.sleep(0.3)
    call(daemon.base, "POST", "/v1/services", manifest(f"{SITE}/Lab", "lab-1"), token=daemon.admin)
    call(daemon.base, "POST", "/v1/services", manifest(f"{SITE}/Lab/Probe", "lab-2"), token=daemon.admin)
    call(daemon.base, "POST", "/v1/services", manifest(f"{SITE}/Laboratory", "other-1"), token=daemon.admin)
    call(daemon.base, "PUT", "/v1/services/other-1/health", {"status": "degraded"}, token=daemon.admin)
    call(daemon.base, "PUT", "/v1/services/lab-2/health", {"status": "broken"}, token=daemon.admin)
    status, _, body = call(daemon.base, "PUT", "/v1/resolve/pin?name=" + f"{SITE}/Lab/main",
                           {"generation": 0, "instances": ["lab-1"]}, token=daemon.admin)
    check("a pin is set", status == 200, body)
    time.sleep(0.5)
    for reader in readers:
        reader.close()
    names = [(kind, event.get("name")) for kind, event in by_name.events]
    check("name=<prefix> streams the prefix and the names below it, not a name that merely starts alike",
          names == [("service.registered", f"{SITE}/Lab"), ("service.registered", f"{SITE}/Lab/Probe"),
                    ("service.health", f"{SITE}/Lab/Probe"), ("name.rebound", f"{SITE}/Lab/main")], names)
    kinds = [(kind, event.get("id") or event.get("name")) for kind, event in by_type.events]
    check("type= takes several kinds and families", kinds == [("service.health", "other-1"), ("service.health", "lab-2"),
                                                             ("name.rebound", f"{SITE}/Lab/main")], kinds)
    ids = [kind for kind, _ in by_id.events]
    check("id= streams one registration's events", ids == ["service.registered", "service.health"], ids)
    status, _, body = call(daemon.base, "GET", "/v1/events?type=service.health;drop", token=daemon.admin)
    check("a malformed type is refused with a JSON error", status == 400 and body.get("error", {}).get("code") == "registry.invalid_request",
          (status, body))


def timed(daemon, path, action=None, delay=0.3):
    """Seconds a GET takes when `action` runs `delay` s after it starts."""
    if action:
        threading.Timer(delay, action).start()
    started = time.time()
    status, _, body = call(daemon.base, "GET", path, token=daemon.admin)
    return time.time() - started, status, body


def filtered_long_polls(daemon):
    """A long-poll on one name returns for that name's changes, not for another's."""
    index = int(call(daemon.base, "GET", "/v1/services", token=daemon.admin)[1]["X-Registryd-Index"])
    services = f"/v1/services?name={SITE}/Lab&index={index}&wait=1500ms"
    waited, status, body = timed(daemon, services, lambda: call(daemon.base, "PUT", "/v1/services/other-1/health",
                                                                {"status": "ok"}, token=daemon.admin))
    check("a services long-poll on one prefix sleeps through another name's change", waited >= 1.4, waited)
    waited, status, body = timed(daemon, services)
    check("asked again from the same index it still waits: no change since matched", waited >= 1.4, waited)
    waited, status, body = timed(daemon, f"/v1/services?name={SITE}/Lab&index={index}&wait=10s",
                                 lambda: call(daemon.base, "PUT", "/v1/services/lab-1/health", {"status": "degraded"}, token=daemon.admin))
    check("a services long-poll returns when its prefix changes", 0.25 <= waited < 3 and status == 200, (waited, status))
    _, plain, _ = call(daemon.base, "GET", "/v1/services", token=daemon.admin)
    _, blocking, _ = call(daemon.base, "GET", "/v1/services?index=0&wait=1s", token=daemon.admin)
    check("a blocking query's answer says Connection: close (its connection cannot be reused), a plain GET's does not",
          (blocking.get("Connection") or "").lower() == "close" and (plain.get("Connection") or "").lower() != "close",
          (blocking.get("Connection"), plain.get("Connection")))
    index = int(call(daemon.base, "GET", "/v1/services", token=daemon.admin)[1]["X-Registryd-Index"])
    resolve = f"/v1/resolve?name={SITE}/Lab/main/op&index={index}&wait=10s"
    waited, status, body = timed(daemon, f"/v1/resolve?name={SITE}/Lab/main/op&index={index}&wait=1500ms",
                                 lambda: call(daemon.base, "POST", "/v1/services", manifest(f"{SITE}/Lab/Probe", "lab-3"), token=daemon.admin))
    check("a resolve long-poll sleeps through a registration of a name below it", waited >= 1.4, waited)
    waited, status, body = timed(daemon, resolve, lambda: call(daemon.base, "POST", "/v1/services", manifest(f"{SITE}/Lab", "lab-4"),
                                                               token=daemon.admin))
    check("a resolve long-poll returns when its service gains an instance", 0.25 <= waited < 3 and status == 200, (waited, status))
    index = int(call(daemon.base, "GET", "/v1/services", token=daemon.admin)[1]["X-Registryd-Index"])
    waited, status, body = timed(daemon, f"/v1/resolve?name={SITE}/Lab/main/op&index={index}&wait=10s",
                                 lambda: call(daemon.base, "PUT", "/v1/policies/watch", 'permit call on "watch.example/**";\n',
                                              token=daemon.admin, content_type="text/plain"))
    check("a resolve long-poll returns when the policies change (their routes move names)", 0.25 <= waited < 3, waited)


def idle_watchers(daemon, count=1000, changes=100):
    """`count` watchers of other names stay asleep while one name changes `changes` times."""
    call(daemon.base, "POST", "/v1/services", manifest(f"{SITE}/Changing", "changing-1"), token=daemon.admin)

    def change_it(times):
        started = cpu_seconds(daemon.pid)
        for number in range(times):
            status, _, _ = call(daemon.base, "PUT", "/v1/services/changing-1/health",
                                {"status": "degraded" if number % 2 == 0 else "ok"}, token=daemon.admin)
            assert status == 200, status
        return cpu_seconds(daemon.pid) - started

    time.sleep(0.3)
    # The daemon's own follower of changes (the access service's) wakes on each of them too.
    time.sleep(0.6)
    quiet = metric(daemon, "registryd_watch_wakeups_total")
    baseline = change_it(changes)
    time.sleep(0.6)
    own = metric(daemon, "registryd_watch_wakeups_total") - quiet
    index = int(call(daemon.base, "GET", "/v1/services", token=daemon.admin)[1]["X-Registryd-Index"])
    idle = []
    for number in range(count):
        name = f"{SITE}/Idle{number}"
        if number % 3 == 0:
            path = f"/v1/events?name={name}"
        elif number % 3 == 1:
            path = f"/v1/services?name={name}&index={index}&wait=120s"
        else:
            path = f"/v1/resolve?name={name}/main/op&index={index}&wait=120s"
        idle.append(open_request(daemon, path))
    watcher = EventReader(daemon, f"name={SITE}/Changing&type=service.health")
    watcher.start()
    parked = until(lambda: (metric(daemon, "registryd_watchers") or 0) >= count + 1, 30)
    check(f"{count} idle watchers and one on the changing name are parked", parked, metric(daemon, "registryd_watchers"))
    time.sleep(0.5)
    before = metric(daemon, "registryd_watch_wakeups_total")
    with_watchers = change_it(changes)
    delivered = until(lambda: len(watcher.events) >= changes, 10)
    time.sleep(0.6)  # the wake-up counter is read every maintenance tick
    woken = metric(daemon, "registryd_watch_wakeups_total") - before - own
    check(f"the watcher of the changing name got all {changes} changes", delivered and len(watcher.events) == changes,
          len(watcher.events))
    check(f"{changes} changes woke the one watcher of that name only, not the {count} others",
          changes * 0.5 <= woken <= changes + 5, woken)
    silent = sum(1 for sock in idle if b"event:" not in received(sock) and b"\r\n\r\n[" not in received(sock))
    answered_long_polls = sum(1 for number, sock in enumerate(idle) if number % 3 and received(sock))
    check("no idle stream received an event and no idle long-poll was answered", silent == count and answered_long_polls == 0,
          (silent, answered_long_polls))
    check(f"{count} idle watchers left the daemon's CPU time for {changes} changes within 2x of none",
          with_watchers <= 2 * baseline + 0.1, (with_watchers, baseline))
    print(f"cpu for {changes} changes: {baseline * 1000:.0f} ms with no watchers, {with_watchers * 1000:.0f} ms with {count} idle "
          f"watchers; wake-ups {woken:.0f} besides the daemon's own {own:.0f}")
    for sock in idle:
        sock.close()
    watcher.close()
    # What stays is the access service's own follower, parked for a second at a time.
    check("the watchers are gone once their connections close, long-polls before their wait ran out",
          until(lambda: (metric(daemon, "registryd_watchers") or 0) <= 1, 20), metric(daemon, "registryd_watchers"))


def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))
    daemon = Daemon(sys.argv[1], args=["--max-connections", "4000", "--max-in-flight", "4000"])
    try:
        filtered_streams(daemon)
        filtered_long_polls(daemon)
        idle_watchers(daemon)
    finally:
        daemon.stop()
    checks.finish()


main()
