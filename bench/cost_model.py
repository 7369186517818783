#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Cost model of vact's kernels: cycles per element against a lower bound.

Run it from the repository root after a release build with benchmarks (the
`release` preset), on the machine the numbers are for, as one command:

    python3 bench/cost_model.py build/release

It needs objdump (binutils) and only the Python standard library. It runs
BUILD/bench/vact_cost_model (or reads its saved output: --measurements
FILE), disassembles the library's avx2 and avx512 objects
(BUILD/CMakeFiles/vact.dir/src/isa/{avx2,avx512}.cpp.o, with
`objdump -d -r --no-show-raw-insn -C`) and prints markdown: per op and ISA,
the vector instructions per element of the kernel's main loop, the
measured cycles per element at n = 16384 (softmax: 1024 x 1000), a lower
bound and the resource that sets it; then, for the kernels well above their
bound, how much out-of-order window they would need to reach it. --json
prints every count, bound term and hot path instead. The precise tier by
default; --tier fast models the fast tier's own element-wise kernels
(map_kernel<..., tier 1, ...>), softmax left out. All cycles are TSC
(reference) cycles, the unit of every measurement here.

Counting. An element-wise op's value kernel is map_kernel<Arch, op,
false>, whose loop usually sits in a clone of simd::transform<..,
bound_op<op, false, ..>>: detail::transform_with's loop, four vectors
loaded from x and four stored to y per iteration. The script builds the
control-flow graph of those functions, finds their loops (back edges) and,
in each, the hot path: the cheapest cycle, in instructions, from the loop
header back to itself. The kernels' rare branches (with_tiny_side's
`if (!vec::any(below))`, math::exp's `rare`, gelu's tails) sit inside the
loop body and do extra work when taken, so the cheapest cycle is the one
that takes none of them. The main loop is the loop whose hot path loads 4
distinct vectors from x (through a register the loop changes) and stores 4
to y with plain stores (transform has a copy with streaming stores, for
outputs of 2^23 floats and more, and the compiler makes further copies);
of those candidates, the one with the shortest hot path (a rare block that
jumps back into the loop makes a mid-loop header whose cheapest cycle may
be forced through it). Per element = count / (4 * lanes). Softmax adds up
its three passes, which run one after the other on each row: the row
maximum (row_max's loop of four loads into four accumulators, no store),
the exponentials and their sum (row_sum_exp, on the path that stores
to y), and the scaling (transform of softmax_output::emit); per-row work
outside these loops (the 16-slot fold, the division, the partial last
block) is left out, which only lowers the bound. Checked on avx2 with
valgrind (callgrind's instruction count at n = 16384 minus n = 0): within
0.03 instructions per element of the hot path for every op but gelu_tanh
(below).

Classes. fma (vfmadd/vfmsub/vfnmadd/vfnmsub), mul, add (vaddps, vsubps),
minmax, cmp (vcmpps, into a vector or a mask register), logic
(and/or/xor/andn/ternlog), int (vpaddd, vpsubd, vpcmpgtd, ...), shift,
blend (vblendvps, vblendmps, masked register moves), div (vdivps), sqrt;
`other` is every other vector instruction (vtestps, broadcasts from a
register, ...) and `mask` the mask-register ones (kortestw, ...). Full
register-to-register moves (renamed away), pure loads (vmovups,
vbroadcastss from memory) and stores are not pipe work; --json lists them,
with the spills (stack loads and stores). An instruction with a memory
source (vandps 0x180(%rsp),%ymm4,%ymm3: a spilled constant) counts in its
class and as a load. The table's columns: FP-pipe ops = fma + mul + add +
minmax + cmp; div = div + sqrt; other vector ops = logic + int + shift +
blend + other + mask.

Lower bound, per element, the largest of:
  - each class alone: its count / its measured throughput (vact_cost_model
    times 12 independent instructions of one kind per iteration);
  - FMA pipes: the classes that share the FMA pipes (a loop of FMAs and
    that class together runs no faster than FMAs alone, within 10%), at
    the FMA rate;
  - FP add pipes: likewise the classes that share the add pipes (paired
    with adds instead), at the add rate;
  - vector issue: every vector instruction counted in the table except the
    mask ones, at the rate of the fastest class (the issue width: vandps,
    on all 4 vector pipes of this machine);
  - divider: div / its rate + sqrt / its rate (one divide/sqrt unit);
  - loop-carried latency: the longest chain from a register (or spill
    slot) at the top of the hot path to itself at the bottom, with the
    measured latencies of fma, add, mul, minmax and div, one core cycle for
    the other vector instructions and none for moves, loads and stores
    (so a spill's store-to-load forwarding counts as free): softmax's row
    maximum (four vmaxps chains) and compensated sums; 0 for element-wise ops;
  - memory: memcpy of the same number of floats (it moves the same bytes
    between the same levels: 16384 floats to and from L2; for softmax,
    1024000 floats through L3, its 4 KB rows staying in L1 between passes).
Classes that share neither (vandps and vpaddd, which issue on all four
pipes of this machine, vblendmps, vcmpps into a mask register) count only
alone and in vector issue.
Terms within 3% of the largest (the measurements' noise) are named
together ("memory ~ FP add pipes"). For softmax the passes' bounds add up,
then memory is compared with the sum.

The window table: a kernel reaches its throughput bound only if the core
keeps enough instructions in flight to cover one iteration's longest
dependency chain (computed as for the latency term, across two passes of
the hot path); that number is chain / (bound per iteration) * instructions
per iteration. It is a diagnostic, not part of the bound (the window's
size, and which of its queues fills first, is the CPU's).

What it cannot see: branches that are not rare for these inputs. gelu_tanh
takes with_tiny_side's branch when z = 2 sqrt(2/pi) (x + 0.044715 x^3) <
-60, i.e. x below about -8.65: 6.75% of the uniform inputs, so about 43%
of avx2 vectors and 67% of avx512 vectors run the tiny side as well;
valgrind counts 13.6 instructions per element on avx2 against the hot
path's 11.6, so its bound is low by up to that much. Also beyond it: the
front end, load/store ports, macro-fusion, memory-operand micro-ops, port
conflicts between classes not paired with FMAs, latencies of loads and of
classes not measured, time outside the main loops (call overhead; the n mod
4W tail is 0 at n = 16384). The throughput loops and the kernels both
count TSC cycles; if the core clock changes between them (boost, another
core's load, an SMT sibling on the host), so does the ratio.
"""

import argparse
import collections
import heapq
import json
import os
import re
import subprocess
import sys

ISAS = ("avx2", "avx512")
# The tiers, in vact::detail::tier's order (its index in the kernels' names).
TIERS = ("precise", "fast")

# Instruction classes: the first pattern that matches the mnemonic wins.
CLASS_PATTERNS = [
    ("fma", r"vf(n)?m(add|sub)(sub|add)?(132|213|231)(ps|ss)"),
    ("div", r"vdiv(ps|ss)"),
    ("sqrt", r"vsqrt(ps|ss)"),
    ("mul", r"vmul(ps|ss)"),
    ("add", r"v(add|sub)(ps|ss)"),
    ("minmax", r"v(min|max)(ps|ss)"),
    ("cmp", r"vcmp\w*(ps|ss)"),
    ("logic", r"v(and|andn|or|xor)(ps|pd)|vp(and|andn|or|xor)[dq]?|"
              r"vpternlog[dq]"),
    ("int", r"vp(add|sub)[bwdq]|vpcmp(gt|eq)[bwdq]|vp(min|max)[su][bwdq]|"
            r"vpabs[bwdq]"),
    ("shift", r"vps(ll|rl|ra)v?[wdq]"),
    ("blend", r"vp?blend(v|m)?(ps|b|d|w)"),
]
# Pure data movement: no vector pipe when the source is a register (move
# elimination) or memory (a load); a store when the destination is memory.
MOVE_PATTERN = re.compile(
    r"vmov(aps|ups|apd|upd|dqa|dqu|dqa32|dqa64|dqu8|dqu16|dqu32|dqu64|"
    r"ntps|ntdq|ss|d|q)|vp?broadcast(ss|sd|d|q|f32x\d|i32x\d)|"
    r"vpmaskmov[dq]|vmaskmovps|vextract[fi](128|32x4|32x8|64x4)")
FP_PIPE_CLASSES = ("fma", "mul", "add", "minmax", "cmp")
DIVIDE_CLASSES = ("div", "sqrt")
OTHER_CLASSES = ("logic", "int", "shift", "blend", "other")
STACK_BASES = ("rsp", "rbp")
PREFIXES = {"rep", "repz", "repnz", "lock", "notrack", "bnd", "data16",
            "cs", "ds"}


def classify(mnemonic):
    """The class of a vector instruction, or None for a scalar one."""
    for name, pattern in CLASS_PATTERNS:
        if re.fullmatch(pattern, mnemonic):
            return name
    if mnemonic.startswith("k"):
        return "mask"
    if mnemonic.startswith("v"):
        return "other"
    return None


def split_operands(text):
    """AT&T operands, split at the commas outside parentheses."""
    operands, depth, current = [], 0, ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            operands.append(current.strip())
            current = ""
        else:
            current += ch
    if current.strip():
        operands.append(current.strip())
    return operands


def memory_registers(operand):
    """The base and index registers of a memory operand (a tuple, empty for
    an absolute address), or None if the operand is not in memory."""
    operand = operand.split("{")[0]
    if operand.startswith(("%", "$")):
        return None
    match = re.search(r"\((.*)\)", operand)
    if match:
        return tuple(re.findall(r"%(\w+)", match.group(1)))
    if re.fullmatch(r"-?(0x)?[0-9a-f]+", operand):
        return ()
    return None


def full_register(name):
    """The 64-bit general register that `name` is part of (eax -> rax, r8d
    -> r8), or name itself."""
    legacy = {"ax": "rax", "bx": "rbx", "cx": "rcx", "dx": "rdx",
              "si": "rsi", "di": "rdi", "bp": "rbp", "sp": "rsp"}
    match = re.fullmatch(r"(r\d+)[dwb]?", name)
    if match:
        return match.group(1)
    match = re.fullmatch(r"[re]?(ax|bx|cx|dx|si|di|bp|sp)|(a|b|c|d)[lh]",
                         name)
    if match:
        return legacy[match.group(1) or match.group(2) + "x"]
    return name


class Instruction:
    """One disassembled instruction (AT&T syntax: destination last)."""

    def __init__(self, address, mnemonic, operand_text):
        self.address = address
        self.mnemonic = mnemonic
        self.text = (mnemonic + " " + operand_text).strip()
        # Drop objdump's "<symbol+offset>" and "# comment" annotations.
        operand_text = re.split(r"\s*#|\s+<", operand_text)[0].strip()
        self.operands = split_operands(operand_text)
        self.relocated = False  # set when a relocation points inside it
        self.target = None      # address of a direct jump's target
        if mnemonic.startswith("j") and self.operands:
            first = self.operands[0]
            if re.fullmatch(r"[0-9a-f]+", first):
                self.target = int(first, 16)

    @property
    def is_jump(self):
        return self.mnemonic.startswith("j")

    @property
    def is_conditional(self):
        return self.is_jump and self.mnemonic != "jmp"

    @property
    def ends_flow(self):
        return self.mnemonic in ("ret", "ud2", "hlt") or (
            self.mnemonic == "jmp" and (self.target is None or self.relocated))

    def memory(self):
        """(registers of each memory source, registers of a memory
        destination or None); see memory_registers."""
        if not self.operands:
            return [], None
        sources = [memory_registers(op) for op in self.operands[:-1]]
        return ([regs for regs in sources if regs is not None],
                memory_registers(self.operands[-1]))

    def written_register(self):
        """The general register a scalar instruction writes (AT&T: the last
        operand), or None."""
        if self.is_jump or not self.operands:
            return None
        match = re.fullmatch(r"%(\w+)", self.operands[-1])
        if match and not re.match(r"[xyz]mm|k\d", match.group(1)):
            return full_register(match.group(1))
        return None

    def dataflow(self):
        """(sources, destination) for the loop-carried chains: vector and
        mask registers ("v3" for xmm3/ymm3/zmm3, "k1") and stack slots
        ("stack:0x40(%rsp)"); destination None when it writes neither."""
        sources, destination = [], None
        operands = self.operands
        for index, operand in enumerate(operands):
            last = index == len(operands) - 1
            base = operand.split("{")[0]
            decorations = re.findall(r"\{%(k\d)\}", operand)
            registers = memory_registers(base)
            if registers is not None:
                slot = None
                if registers and full_register(registers[0]) in STACK_BASES:
                    slot = "stack:" + base
                if last:
                    destination = slot
                elif slot:
                    sources.append(slot)
                continue
            match = re.fullmatch(r"%([xyz]mm(\d+)|k\d)", base)
            if not match:
                continue
            name = "v" + match.group(2) if match.group(2) else match.group(1)
            sources.extend(decorations)
            if last:
                destination = name
                merging = decorations and "{z}" not in operand
                if classify(self.mnemonic) == "fma" or merging:
                    sources.append(name)
            else:
                sources.append(name)
        if (re.fullmatch(r"vp?xor(ps|pd|d|q)?|vpsub[bwdq]", self.mnemonic)
                and len(sources) == 2 and sources[0] == sources[1]):
            sources = []  # a zero idiom: no input
        return sources, destination

    def register_width(self):
        """Lanes of float of the widest vector register it names."""
        if "%zmm" in self.text:
            return 16
        if "%ymm" in self.text:
            return 8
        if "%xmm" in self.text:
            return 4
        return 0


def parse_objdump(text):
    """[(function name, [Instruction])] from `objdump -d -r -C` output (a
    name can come twice: local functions of the same name)."""
    functions = []
    current = None
    for line in text.splitlines():
        header = re.match(r"^[0-9a-f]+ <(.*)>:$", line)
        if header:
            current = []
            functions.append((header.group(1), current))
            continue
        if current is None:
            continue
        relocation = re.match(r"^\s+([0-9a-f]+): R_", line)
        if relocation:
            offset = int(relocation.group(1), 16)
            for instruction in reversed(current):
                if instruction.address < offset:
                    instruction.relocated = True
                    break
            continue
        match = re.match(r"^\s+([0-9a-f]+):\t(\S+)\s*(.*)$", line)
        if not match:
            continue
        address, mnemonic, rest = int(match.group(1), 16), match.group(2), \
            match.group(3)
        while mnemonic in PREFIXES and rest:
            mnemonic, _, rest = rest.partition(" ")
            rest = rest.strip()
        current.append(Instruction(address, mnemonic, rest))
    return functions


class Graph:
    """Basic blocks of one function and their successors (jumps through a
    relocation, to another function, end the flow)."""

    def __init__(self, instructions):
        addresses = {ins.address for ins in instructions}
        leaders = {instructions[0].address}
        for i, ins in enumerate(instructions):
            if ins.is_jump or ins.ends_flow:
                if ins.target in addresses and not ins.relocated:
                    leaders.add(ins.target)
                if i + 1 < len(instructions):
                    leaders.add(instructions[i + 1].address)
        self.blocks = collections.OrderedDict()
        block = None
        for ins in instructions:
            if ins.address in leaders:
                block = self.blocks.setdefault(ins.address, [])
            block.append(ins)
        starts = list(self.blocks)
        self.successors = {}
        for index, start in enumerate(starts):
            last = self.blocks[start][-1]
            following = starts[index + 1] if index + 1 < len(starts) else None
            successors = []
            if last.is_jump and last.target in self.blocks and \
                    not last.relocated:
                successors.append(last.target)
            falls_through = not last.ends_flow and (
                not last.is_jump or last.is_conditional)
            if falls_through and following is not None:
                successors.append(following)
            self.successors[start] = successors

    def loops(self):
        """{header: set of blocks} of the natural loops of the back edges
        (an edge to a block at the same or a lower address)."""
        predecessors = collections.defaultdict(list)
        for block, successors in self.successors.items():
            for successor in successors:
                predecessors[successor].append(block)
        loops = collections.OrderedDict()
        for block, successors in self.successors.items():
            for header in successors:
                if header > block:
                    continue
                body = loops.setdefault(header, {header})
                stack = [block]
                while stack:
                    node = stack.pop()
                    if node in body:
                        continue
                    body.add(node)
                    stack.extend(predecessors[node])
        return loops

    def hot_path(self, header, body, required=frozenset()):
        """The cheapest cycle header -> ... -> header inside `body`, in
        instructions, as a list of block starts; with `required`, the
        cheapest one through at least one of those blocks."""
        start = (header, header in required or not required)
        cost = {start: len(self.blocks[header])}
        previous = {}
        queue = [(cost[start], start)]
        best = None
        while queue:
            distance, state = heapq.heappop(queue)
            if distance > cost.get(state, float("inf")):
                continue
            block, satisfied = state
            for successor in self.successors[block]:
                if successor == header:
                    if satisfied and (best is None or distance < best[0]):
                        best = (distance, state)
                    continue
                if successor not in body:
                    continue
                following = (successor, satisfied or successor in required)
                candidate = distance + len(self.blocks[successor])
                if candidate < cost.get(following, float("inf")):
                    cost[following] = candidate
                    previous[following] = state
                    heapq.heappush(queue, (candidate, following))
        if best is None:
            return []
        path = [best[1]]
        while path[-1] != start:
            path.append(previous[path[-1]])
        return [block for block, _ in reversed(path)]


def count_path(instructions):
    """Counts of one pass over a hot path: classes, loads, stores, moves.

    A memory operand is the data stream (input_loads, stores, or
    stream_stores when non-temporal) when its address uses a register that
    the loop changes, a stack slot (spills) when it is based on rsp or rbp,
    a constant when rip-relative, and loop-invariant otherwise (the op's
    parameter, read through the functor's pointer)."""
    varying = {ins.written_register() for ins in instructions} - {None}

    def where(registers):
        if any(full_register(r) in varying for r in registers):
            return "stream"
        if registers and full_register(registers[0]) in STACK_BASES:
            return "stack"
        if registers and registers[0] == "rip":
            return "constant"
        return "invariant"

    counts = collections.Counter()
    lanes = 0
    # The compiler may read one x vector more than once (as a memory
    # operand of several instructions): elements come from the distinct
    # addresses.
    input_addresses = set()
    for ins in instructions:
        sources, destination = ins.memory()
        kind = instruction_kind(ins)
        if kind is None:
            counts["scalar"] += 1
            if ins.is_conditional:
                counts["branches"] += 1
            continue
        if destination is not None:
            place = where(destination)
            if place != "stream":
                counts[place + "_stores"] += 1
            elif ins.mnemonic.startswith("vmovnt"):
                counts["stream_stores"] += 1
            else:
                counts["stores"] += 1
        for registers in sources:
            place = where(registers)
            if place == "stream":
                counts["input_loads"] += 1
                input_addresses.add(next(
                    op.split("{")[0] for op in ins.operands
                    if memory_registers(op) == registers))
                lanes = max(lanes, ins.register_width())
            else:
                counts[place + "_loads"] += 1
        if kind in ("move", "load"):
            counts[kind + "s"] += 1
        elif kind != "store":
            counts[kind] += 1
    counts["input_vectors"] = len(input_addresses)
    return counts, lanes


def instruction_kind(ins):
    """classify(), with data movement told apart: "move" (a full register
    copy, renamed away), "load" (memory to register, no pipe work),
    "store"; a masked register move merges or zeroes lanes ("blend"), and
    a broadcast or element move from a register is a shuffle ("other")."""
    kind = classify(ins.mnemonic)
    if kind is None or MOVE_PATTERN.fullmatch(ins.mnemonic) is None:
        return kind
    sources, destination = ins.memory()
    if destination is not None:
        return "store"
    if sources:
        return "load"
    if "{%k" in ins.text:
        return "blend"
    if re.fullmatch(r"vmov(aps|ups|apd|upd|dq[au](8|16|32|64)?)",
                    ins.mnemonic):
        return "move"
    return "other"


def _dataflow_costs(instructions, latency, default_latency):
    """(sources, destination, latency) of each instruction that writes
    something: moves, loads and stores cost nothing, classes in `latency`
    their measured latency, other vector instructions default_latency."""
    for ins in instructions:
        kind = instruction_kind(ins)
        if kind is None:
            continue
        sources, destination = ins.dataflow()
        if destination is None:
            continue
        if kind in ("move", "load", "store"):
            yield sources, destination, 0.0
        else:
            yield sources, destination, latency.get(kind, default_latency)


def recurrence(instructions, latency, default_latency):
    """The longest loop-carried chain of one pass over the hot path, in TSC
    cycles: for each register or stack slot, the longest chain of
    latencies from its value at the top of the path to its value at the
    bottom. `latency` maps classes to measured latencies; other vector
    instructions get default_latency (one core cycle, the least any
    takes), moves, loads and stores none (so store-to-load forwarding
    through a spilled slot counts as free)."""
    chains = {}  # name -> {name at the top: longest latency}
    for sources, destination, cost in _dataflow_costs(
            instructions, latency, default_latency):
        merged = {}
        for source in sources:
            for origin, length in chains.get(source, {source: 0.0}).items():
                merged[origin] = max(merged.get(origin, 0.0), length + cost)
        chains[destination] = merged
    return max([chain.get(name, 0.0) for name, chain in chains.items()] +
               [0.0])


def longest_chain(instructions, latency, default_latency):
    """The longest chain of dependent latencies in `instructions` (costs as
    in recurrence())."""
    ends = {}
    longest = 0.0
    for sources, destination, cost in _dataflow_costs(
            instructions, latency, default_latency):
        ends[destination] = max([ends.get(s, 0.0) for s in sources] +
                                [0.0]) + cost
        longest = max(longest, ends[destination])
    return longest


# vact::simd's inline namespace per ISA (vec.hpp's VACT_SIMD_TARGET) and
# the table machinery's unnamed one (make_kernel_table.hpp).
NAMESPACES_LEFT_OUT = re.compile(
    r"(?<=vact::simd::)(scalar|portable|sse2|sse41|avx_other|avx2|"
    r"avx2_without_f16c|avx512|avx512_other|avx512_bf16|neon)::|"
    r"\(anonymous namespace\)::")


def plain_name(name):
    """A demangled name without the namespaces the source does not write."""
    return NAMESPACES_LEFT_OUT.sub("", name)


def loops_of(functions, name_filter, need_stores=False):
    """Every loop of the functions whose names pass name_filter, each a
    dict: function, header, counts, lanes, instructions (the hot path's).
    With need_stores, the hot path must pass a block that stores a vector
    to memory other than the stack (softmax's `if (y != nullptr)`)."""
    found = []
    for name, instructions in functions:
        if not instructions or not name_filter(plain_name(name)):
            continue
        graph = Graph(instructions)
        required = frozenset()
        if need_stores:
            required = frozenset(
                start for start, block in graph.blocks.items()
                if any(instruction_kind(ins) == "store" and
                       full_register((ins.memory()[1] or ("rsp",))[0])
                       not in STACK_BASES for ins in block))
        for header, body in graph.loops().items():
            if need_stores and not required & body:
                continue
            path = graph.hot_path(header, body, required)
            if not path:
                continue
            hot = [ins for start in path for ins in graph.blocks[start]]
            counts, lanes = count_path(hot)
            found.append({"function": name, "header": header,
                          "counts": counts, "lanes": lanes,
                          "instructions": hot})
    return found


def pick(loops, predicate, what):
    """Of the loops that satisfy predicate, the one with the shortest hot
    path, and how many satisfied it. A rare branch that jumps back into a
    loop adds a back edge, and so a loop header, in the middle of it; the
    cheapest cycle from such a header can be forced through the rare block,
    while the real header's cheapest cycle is the hot path itself."""
    matching = [loop for loop in loops if predicate(loop["counts"])]
    if not matching:
        raise SystemExit("cost_model.py: found no " + what)
    best = min(matching, key=lambda loop: len(loop["instructions"]))
    best["candidates"] = len(matching)
    return best


def describe_loop(loop, elements):
    return {"function": loop["function"], "header": hex(loop["header"]),
            "candidate_loops": loop["candidates"],
            "elements_per_iteration": elements,
            "counts_per_iteration": dict(loop["counts"]),
            "hot_path": [ins.text for ins in loop["instructions"]]}


def elementwise_loops(functions, op_index, tier_index):
    """[(loop, elements per iteration)]: the op's main loop."""
    # The f32 value kernel of the tier, map_kernel<Arch, tier, storage, op,
    # false>, or the simd::transform over floats it calls.
    kernel = re.compile(
        r"void vact::detail::map_kernel<[^<>]*(<[^<>]*>)?[^<>]*, "
        r"\(vact::detail::tier\)%d, \(vact::detail::storage\)0, "
        r"\(vact_op\)%d, false>" % (tier_index, op_index))
    loop = re.compile(
        r"void vact::simd::transform<.*, float, float, "
        r"vact::detail::bound_op<\(vact_op\)%d, "
        r"\(vact::detail::tier\)%d, false," % (op_index, tier_index))

    def wanted(name):
        return bool(kernel.match(name) or loop.match(name))

    loop = pick(loops_of(functions, wanted),
                lambda c: c["input_vectors"] == 4 and c["stores"] == 4,
                "4-load, 4-store loop for op %d" % op_index)
    return [("main loop", loop, 4 * loop["lanes"])]


def softmax_loops(functions):
    """[(pass, loop, elements per iteration)] of softmax's three passes."""
    passes = [
        ("max",
         lambda name: name.startswith("float vact::simd::rows::row_max<"),
         False, lambda c: c["input_vectors"] == 4 and c["stores"] == 0
         and c["minmax"] >= 4),
        ("exp+sum",
         lambda name: " vact::simd::rows::row_sum_exp<" in name,
         True, lambda c: c["input_vectors"] >= 1 and c["stores"] >= 1
         and c["fma"] >= 1),
        ("scale",
         lambda name: name.startswith("void vact::simd::transform<") and
         "rows::softmax_output::emit<" in name,
         False, lambda c: c["input_vectors"] == 4 and c["stores"] == 4),
    ]
    found = []
    for what, wanted, need_stores, predicate in passes:
        loop = pick(loops_of(functions, wanted, need_stores), predicate,
                    "softmax loop: " + what)
        found.append((what, loop, loop["counts"]["input_vectors"] *
                      loop["lanes"]))
    return found


class Machine:
    """This CPU's measured rates for one vector width, and the pipe groups
    they imply (see the module docstring)."""

    def __init__(self, rows, bits, core_per_tsc):
        rows = [row for row in rows if row.get("bits") == bits]
        throughput = [row for row in rows if row["kind"] == "throughput"]
        self.rate = {row["classes"]: row["per_tsc_cycle"]
                     for row in throughput if "+" not in row["classes"]}
        self.latency = {row["classes"]: row["tsc_cycles"] for row in rows
                        if row["kind"] == "latency"}
        if "div+mul" in self.latency and "mul" in self.latency:
            self.latency["div"] = (self.latency.pop("div+mul") -
                                   self.latency["mul"])
        self.core_cycle = 1.0 / core_per_tsc
        pair = {tuple(row["classes"].split("+")): row["per_tsc_cycle"]
                for row in throughput if "+" in row["classes"]}
        self.fma = self.rate["fma"]
        self.add = self.rate["add"]
        self.issue = max(rate for name, rate in self.rate.items()
                         if name not in DIVIDE_CLASSES)
        # A class shares the FMA (add) pipes when FMAs (adds) and it
        # together run no faster than FMAs (adds) alone.
        self.group = {"fma": "fma", "add": "add"}
        for name in self.rate:
            if name in self.group or name in DIVIDE_CLASSES:
                continue
            if pair.get(("fma", name), float("inf")) <= 1.1 * self.fma:
                self.group[name] = "fma"
            elif pair.get(("add", name), float("inf")) <= 1.1 * self.add:
                self.group[name] = "add"
            else:
                self.group[name] = "any"

    def bound(self, loop, elements):
        """{term: TSC cycles per element} of one loop (memory aside)."""
        counts = {key: value / elements
                  for key, value in loop["counts"].items()}
        terms = {}
        for name, rate in self.rate.items():
            if counts.get(name) and name not in DIVIDE_CLASSES:
                terms[name + " alone"] = counts[name] / rate
        groups = collections.Counter()
        for name, group in self.group.items():
            groups[group] += counts.get(name, 0)
        terms["FMA pipes"] = groups["fma"] / self.fma
        terms["FP add pipes"] = groups["add"] / self.add
        issued = sum(counts.get(name, 0) for name in
                     FP_PIPE_CLASSES + DIVIDE_CLASSES + OTHER_CLASSES)
        terms["vector issue"] = issued / self.issue
        terms["divider"] = (counts.get("div", 0) / self.rate["div"] +
                            counts.get("sqrt", 0) / self.rate["sqrt"])
        terms["loop-carried latency"] = recurrence(
            loop["instructions"], self.latency, self.core_cycle) / elements
        return counts, terms

    def critical_path(self, loop):
        """TSC cycles of the longest dependency chain through two passes of
        the hot path (two, so that a chain the loop's rotation splits is
        seen whole)."""
        return longest_chain(loop["instructions"] * 2, self.latency,
                             self.core_cycle)


def describe_groups(machine):
    members = collections.defaultdict(list)
    for name, group in sorted(machine.group.items()):
        members[group].append(name)
    return {group: " ".join(names) for group, names in members.items()}


def read_measurements(args):
    if args.measurements:
        with open(args.measurements) as f:
            text = f.read()
    else:
        program = os.path.join(args.build, "bench", "vact_cost_model")
        text = subprocess.run([program], check=True, stdout=subprocess.PIPE,
                              universal_newlines=True).stdout
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("{"):
            rows.append(json.loads(line))
        elif line:
            raise SystemExit("cost_model.py: vact_cost_model says: " + line)
    return rows


def disassemble(args, isa):
    path = os.path.join(args.build, "CMakeFiles", "vact.dir", "src", "isa",
                        isa + ".cpp.o")
    text = subprocess.run(
        [args.objdump, "-d", "-r", "--no-show-raw-insn", "-C", path],
        check=True, stdout=subprocess.PIPE, universal_newlines=True).stdout
    return parse_objdump(text)


def format_number(value):
    return "%.2f" % value if value >= 0.995 else "%.3f" % value


# The order in which terms within 3% of the largest are named (the
# classes alone come after these).
TERM_PRIORITY = ("memory", "divider", "FMA pipes", "FP add pipes",
                 "vector issue", "loop-carried latency")


def largest(terms):
    """The names of the terms within 3% (the measurements' noise) of the
    largest, at most two, in TERM_PRIORITY's order."""
    top = max(terms.values())
    names = [name for name in TERM_PRIORITY if name in terms]
    names += [name for name in terms if name not in TERM_PRIORITY]
    return [name for name in names if terms[name] >= 0.97 * top][:2]


def analyse(machines, functions, row, memory, tier_index):
    """The table row of one measurement: counts per element summed over
    the kernel's loops (one, or softmax's three passes, which run one
    after the other on each row, so their bounds add up), the bound and
    what sets it."""
    if row["op"] == "softmax":
        loops = softmax_loops(functions)
    else:
        loops = elementwise_loops(functions, row["op_index"], tier_index)
    total = collections.Counter()
    compute, limits, details = 0.0, [], []
    for what, loop, elements in loops:
        machine = machines[32 * loop["lanes"]]
        counts, terms = machine.bound(loop, elements)
        total.update(counts)
        limit = largest(terms)[0]
        compute += terms[limit]
        limits.append((what, limit))
        detail = describe_loop(loop, elements)
        # How far the out-of-order window must reach to run at the bound:
        # the instructions issued while one iteration's longest chain
        # completes (a diagnostic, not part of the bound).
        chain = machine.critical_path(loop)
        bound_per_iteration = terms[limit] * elements
        detail.update(
            name=what, bound_terms=terms, limit=limit,
            critical_path_core_cycles=chain / machine.core_cycle,
            instructions_in_flight_at_bound=(
                chain / bound_per_iteration * len(loop["instructions"])
                if bound_per_iteration > 0 else None))
        details.append(detail)
    bound = max(memory, compute)
    if len(limits) == 1:
        terms = dict(details[0]["bound_terms"], memory=memory)
        limit = " ~ ".join(largest(terms))
    elif memory >= 0.97 * compute:
        limit = "memory"
    else:
        limit = "; ".join("%s: %s" % (what, limit) for what, limit in limits)
    return {"op": row["op"], "isa": row["isa"], "n": row["n"],
            "measured": row["cycles_per_element"], "counts": dict(total),
            "compute_bound": compute, "memory_bound": memory,
            "bound": bound, "limit": limit, "loops": details}


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("build", nargs="?", default="build/release",
                        help="the CMake build directory (default: "
                             "build/release)")
    parser.add_argument("--measurements", metavar="FILE",
                        help="vact_cost_model's saved output, instead of "
                             "running it")
    parser.add_argument("--objdump", default="objdump")
    parser.add_argument("--json", action="store_true",
                        help="print every count and bound term as JSON")
    parser.add_argument("--tier", choices=TIERS, default="precise",
                        help="the kernels to model: the precise tier "
                             "(default) or the fast tier's own kernels, "
                             "element-wise only")
    args = parser.parse_args()

    rows = read_measurements(args)
    clock = next(row for row in rows if row["kind"] == "clock")
    core_per_tsc = clock["core_cycles_per_tsc_cycle"]
    memcpy = {row["n"]: row["cycles_per_element"] for row in rows
              if row["kind"] == "memcpy"}
    machines = {bits: Machine(rows, bits, core_per_tsc) for bits in (256, 512)
                if any(row.get("bits") == bits for row in rows)}

    results = []
    tier_index = TIERS.index(args.tier)
    for isa in ISAS:
        # The tier's rows. The fast softmax's passes are not told apart
        # from the precise one's here, so --tier fast leaves softmax out.
        measured = [row for row in rows
                    if row["kind"] == "op" and row["isa"] == isa and
                    row.get("tier", "precise") == args.tier and
                    not (args.tier == "fast" and row["op"] == "softmax")]
        if measured:
            functions = disassemble(args, isa)
            results.extend(analyse(machines, functions, row, memcpy[row["n"]],
                                   tier_index)
                           for row in measured)

    if args.json:
        print(json.dumps({
            "measurements": rows,
            "groups": {bits: describe_groups(machine)
                       for bits, machine in machines.items()},
            "results": results}, indent=1))
        return 0

    print("Cycles are TSC reference cycles (TSC %.2f GHz; core clock during "
          "the run %.2f GHz, %.2f core cycles per TSC cycle)." %
          (clock["tsc_ghz"], clock["core_ghz"], core_per_tsc))
    print()
    print("| op | ISA | FP-pipe ops/elem | div/elem | other vec ops/elem | "
          "measured cycles/elem | lower bound cycles/elem | limited by | "
          "measured/bound |")
    print("|---|---|--:|--:|--:|--:|--:|---|--:|")
    for result in results:
        counts = result["counts"]
        fp = sum(counts.get(name, 0) for name in FP_PIPE_CLASSES)
        divide = sum(counts.get(name, 0) for name in DIVIDE_CLASSES)
        other = sum(counts.get(name, 0) for name in OTHER_CLASSES + ("mask",))
        op = result["op"]
        if op == "softmax":
            op = "softmax 1024x1000"
        limit = result["limit"].replace(" alone", " throughput")
        print("| %s | %s | %s | %s | %s | %s | %s | %s | %.1f |" % (
            op, result["isa"], format_number(fp), format_number(divide),
            format_number(other), format_number(result["measured"]),
            format_number(result["bound"]), limit,
            result["measured"] / result["bound"]))
    print()
    slow = [result for result in results
            if result["measured"] >= 1.4 * result["bound"]
            and not result["limit"].startswith("memory")]
    # Loops that need little window (softmax's max and scale passes) say
    # nothing here.
    window = [(result, loop) for result in slow for loop in result["loops"]
              if (loop["instructions_in_flight_at_bound"] or 0) >= 100]
    if window:
        print("Kernels at 1.4x their bound or more: the out-of-order window "
              "each would need to run at the bound (instructions issued "
              "while one iteration's longest dependency chain completes, "
              "with the measured latencies).")
        print()
        print("| op | ISA | loop | instructions/iteration | longest chain, "
              "core cycles | instructions in flight at the bound |")
        print("|---|---|---|--:|--:|--:|")
        for result, loop in window:
            print("| %s | %s | %s | %d | %.0f | %.0f |" % (
                result["op"], result["isa"], loop["name"],
                len(loop["hot_path"]), loop["critical_path_core_cycles"],
                loop["instructions_in_flight_at_bound"]))
        print()
    for bits, machine in sorted(machines.items()):
        groups = describe_groups(machine)
        print("%d-bit, per TSC cycle: FMA %.2f, add %.2f, divide %.2f, "
              "issue %.2f; on the FMA pipes: %s; on the add pipes: %s; "
              "elsewhere or unclear: %s." % (
                  bits, machine.rate["fma"], machine.rate["add"],
                  machine.rate["div"], machine.issue, groups.get("fma", "-"),
                  groups.get("add", "-"), groups.get("any", "-")))
    print("memcpy, cycles/elem: " + ", ".join(
        "%.3f at n = %d" % (value, n) for n, value in sorted(memcpy.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
