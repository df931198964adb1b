"""A linearizability checker for a history of concurrent operations on one object, the
Wing-Gong search with Lowe's memoization that Porcupine and Knossos use: it looks for an order of
the operations that respects real time (an operation that returned before another was invoked
comes first) and in which every result is what a sequential model gives.

An operation is `Op(call, ret, input, output)`: `call` and `ret` are times from one monotonic
clock; `ret=None` means the outcome is unknown (a timeout), and the operation may then take
effect at any time after `call`, or never. A model is `(initial_state, step)`, where
`step(state, input, output)` returns the next state, or None when `output` is impossible from
`state`."""
from collections import namedtuple

Op = namedtuple("Op", "call ret input output")


def linearizable(ops, initial, step):
    """True when the history has a linearization under the model; also returns the longest
    prefix of operation indices it could order (for a failure's detail)."""
    infinity = float("inf")
    ops = [op._replace(ret=infinity if op.ret is None else op.ret) for op in ops]
    # Events: (time, kind, index); calls before returns at equal times would order too much,
    # so returns first: an operation that returned at t does not overlap one called at t.
    events = sorted([(op.call, 1, i) for i, op in enumerate(ops)] + [(op.ret, 0, i) for i, op in enumerate(ops)])
    # A doubly linked list of the events, which the search lifts entries out of and puts back.
    entries = [{"kind": kind, "op": index} for _, kind, index in events]
    head = {"next": None, "prev": None}
    previous = head
    match = {}
    for entry in entries:
        entry["prev"], previous["next"] = previous, entry
        entry["next"] = None
        previous = entry
        if entry["kind"] == 0:
            match[entry["op"]] = entry
    for entry in entries:
        if entry["kind"] == 1:
            entry["match"] = match[entry["op"]]

    def lift(entry):
        entry["prev"]["next"] = entry["next"]
        if entry["next"]:
            entry["next"]["prev"] = entry["prev"]
        ret = entry["match"]
        ret["prev"]["next"] = ret["next"]
        if ret["next"]:
            ret["next"]["prev"] = ret["prev"]

    def unlift(entry):
        ret = entry["match"]
        ret["prev"]["next"] = ret
        if ret["next"]:
            ret["next"]["prev"] = ret
        entry["prev"]["next"] = entry
        if entry["next"]:
            entry["next"]["prev"] = entry

    unknown = {i for i, op in enumerate(ops) if op.ret == infinity}
    state, linearized, stack, seen = initial, frozenset(), [], set()
    best = []
    entry = head["next"]
    while head["next"] is not None:
        # What is left are operations of unknown outcome: they may never have taken effect.
        # (One that did is ordered like any other: its return, at infinity, never forces it.)
        if all(item["op"] in unknown for item in walk(head)):
            return True, best
        if entry is None:
            return False, best
        if entry["kind"] == 1:
            op = ops[entry["op"]]
            following = step(state, op.input, op.output)
            key = (linearized | {entry["op"]}, following)
            if following is not None and key not in seen:
                seen.add(key)
                stack.append((entry, state))
                state, linearized = following, linearized | {entry["op"]}
                if len(linearized) > len(best):
                    best = [item[0]["op"] for item in stack]
                lift(entry)
                entry = head["next"]
            else:
                entry = entry["next"]
        else:
            # A return whose call is not ordered yet: back up and try the next candidate.
            if not stack:
                return False, best
            entry, state = stack.pop()
            linearized = linearized - {entry["op"]}
            unlift(entry)
            entry = entry["next"]
    return True, best


def walk(head):
    entry = head["next"]
    while entry is not None:
        yield entry
        entry = entry["next"]


def pin_register(initial_generation, initial_instances):
    """The model of a name pin: a register of (generation, instances) with compare-and-swap.
    Inputs: ("cas", expected, target) with output True (200) or False (409); ("read",) with
    output (generation, instances)."""
    initial = (initial_generation, frozenset(initial_instances))

    def step(state, input, output):
        if input[0] == "read":
            return state if output == state else None
        _, expected, target = input
        if output:
            return (expected + 1, frozenset([target])) if state[0] == expected else None
        return state if state[0] != expected else None

    return initial, step


def self_check():
    """The checker on histories whose answer is known; returns the failures (empty: good)."""
    initial, step = pin_register(0, ["a", "b"])
    failures = []
    good = [Op(0, 2, ("cas", 0, "a"), True), Op(1, 3, ("cas", 0, "b"), False), Op(4, 5, ("read",), (1, frozenset(["a"])))]
    if not linearizable(good, initial, step)[0]:
        failures.append("a sequential history was refused")
    overlapping = [Op(0, 10, ("cas", 0, "a"), True), Op(1, 2, ("read",), (1, frozenset(["a"]))), Op(3, 4, ("read",), (1, frozenset(["a"])))]
    if not linearizable(overlapping, initial, step)[0]:
        failures.append("a read of a write still in flight was refused")
    stale = [Op(0, 1, ("cas", 0, "a"), True), Op(2, 3, ("read",), (0, frozenset(["a", "b"])))]
    if linearizable(stale, initial, step)[0]:
        failures.append("a stale read after a completed write was accepted")
    double = [Op(0, 2, ("cas", 0, "a"), True), Op(1, 3, ("cas", 0, "b"), True)]
    if linearizable(double, initial, step)[0]:
        failures.append("two successful flips from one generation were accepted")
    lost = [Op(0, None, ("cas", 0, "a"), True), Op(5, 6, ("read",), (1, frozenset(["a"])))]
    if not linearizable(lost, initial, step)[0]:
        failures.append("an unknown-outcome write seen later was refused")
    return failures


if __name__ == "__main__":
    problems = self_check()
    print("linearizability checker:", "ok" if not problems else problems)
