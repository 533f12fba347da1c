// Runs RaftScope's raft.js (vendor/, unmodified) headless under Node.js on the workload of
// Ballot's classic Raft benchmark (crates/sim/src/bench.rs, classic_raft) and prints simulated
// seconds per wall second. Usage: node bench/raftscope/run.mjs [SECONDS] [SEED]
//
// raft.js has no event queue: the page calls raft.update(model) once per animation frame with
// model.time advanced, and every rule checks its own due time. Here the clock jumps straight to
// the next instant at which something is due (a message's arrival, an election alarm, a
// leader's heartbeat, its next entry for a follower or an RPC retry, a candidate's RequestVote
// retry or its majority, the next client request) and raft.update runs there, so every rule acts
// at the instant it becomes due, as at an unbounded frame rate, with one update per instant.
// What the page does around raft.update (a deep clone of the whole model per frame for time
// travel, util.equals against the last checkpoint, SVG rendering) is left out, so this is
// raft.js's protocol code alone. raft.js checks no invariant, and neither does this harness.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const seconds = Number(process.argv[2] ?? 1000);
const seed = Number(process.argv[3] ?? 1);
if (!(seconds > 0) || !Number.isInteger(seed)) {
  console.error('usage: node bench/raftscope/run.mjs [SECONDS] [SEED]');
  process.exit(2);
}

// util.js's mapValues calls jQuery's $.map; this is $.map's behaviour on a plain object
// (each own enumerable value through the callback, null and undefined results dropped).
globalThis.$ = {
  map(object, callback) {
    const out = [];
    for (const key in object) {
      const value = callback(object[key], key);
      if (value != null) out.push(value);
    }
    return out;
  },
};

// raft.js draws its election timeouts and latencies from Math.random; a seeded generator
// (mulberry32) makes a run repeatable. It is about as cheap as V8's own.
let state = seed >>> 0;
Math.random = function () {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

// The two files are browser scripts that define globals (util, raft and raft.js's constants).
const here = path.dirname(fileURLToPath(import.meta.url));
for (const file of ['util.js', 'raft.js']) {
  const source = fs.readFileSync(path.join(here, 'vendor', file), 'utf8');
  vm.runInThisContext(source, { filename: file });
}
const { raft, util } = globalThis;

// raft.js's own constants are already the classic workload's (times in microseconds):
// ELECTION_TIMEOUT 100 ms (alarms drawn in [100, 200) ms, heartbeats every ELECTION_TIMEOUT / 2
// = 50 ms), latency 10-15 ms, BATCH_SIZE 1 entry per AppendEntries, 5 servers, RPC_TIMEOUT 50 ms.
const expect = { NUM_SERVERS: 5, ELECTION_TIMEOUT: 100000, MIN_RPC_LATENCY: 10000, MAX_RPC_LATENCY: 15000, BATCH_SIZE: 1 };
for (const [name, value] of Object.entries(expect)) {
  if (globalThis[name] !== value) throw new Error(`raft.js's ${name} is ${globalThis[name]}, expected ${value}`);
}
const REQUEST_EVERY = 50000;

// The model as script.js builds it: servers 1..5, each with the others as peers.
const model = { time: 0, servers: [], messages: [] };
for (let i = 1; i <= NUM_SERVERS; i += 1) {
  const peers = [];
  for (let j = 1; j <= NUM_SERVERS; j += 1) if (i !== j) peers.push(j);
  model.servers.push(raft.server(i, peers));
}

// script.js's getLeader: the leader with the highest term.
const leader = () => {
  let found = null;
  for (const server of model.servers) {
    if (server.state === 'leader' && (found === null || server.term > found.term)) found = server;
  }
  return found;
};

// The earliest instant at which a message arrives or one of raft.js's rules is due to act.
// A candidate holding a majority of votes is due at once (becomeLeader has no timer); a leader's
// advanceCommitIndex is left to its next update, which runs before the leader sends anything, so
// no message sees the difference. Also notes how many messages arrive at the earliest arrival
// (raft.update delivers every message whose recvTime has come).
let arriving = 0;
let earliestArrival = util.Inf;
const nextDue = () => {
  let next = util.Inf;
  arriving = 0;
  for (const message of model.messages) {
    if (message.recvTime < next) {
      next = message.recvTime;
      arriving = 1;
    } else if (message.recvTime === next) {
      arriving += 1;
    }
  }
  earliestArrival = next;
  for (const server of model.servers) {
    if (server.state === 'follower' || server.state === 'candidate') {
      if (server.electionAlarm < next) next = server.electionAlarm;
    }
    if (server.state === 'candidate') {
      let votes = 1;
      for (const peer of server.peers) {
        if (server.voteGranted[peer]) votes += 1;
        if (server.rpcDue[peer] < next) next = server.rpcDue[peer];
      }
      if (votes > Math.floor(NUM_SERVERS / 2)) next = model.time;
    } else if (server.state === 'leader') {
      for (const peer of server.peers) {
        if (server.heartbeatDue[peer] < next) next = server.heartbeatDue[peer];
        if (server.nextIndex[peer] <= server.log.length && server.rpcDue[peer] < next) next = server.rpcDue[peer];
      }
    }
  }
  return next;
};

const end = seconds * 1e6;
let updates = 0;
let delivered = 0;
let requests = 0;
let nextRequest = REQUEST_EVERY;
const t0 = performance.now();
while (model.time < end) {
  model.time = Math.max(model.time, Math.min(nextDue(), nextRequest));
  raft.update(model);
  updates += 1;
  if (earliestArrival <= model.time) delivered += arriving;
  if (model.time >= nextRequest) {
    // As Ballot's benchmark: run up to the instant, then a request to the leader if there is one
    // (the new entry goes out at the next update, at this same instant unless an AppendEntries
    // to that follower is still awaiting its reply).
    const l = leader();
    if (l !== null) {
      raft.clientRequest(model, l);
      requests += 1;
    }
    nextRequest += REQUEST_EVERY;
  }
}
const wall = (performance.now() - t0) / 1000;

const commit = Math.max(...model.servers.map((s) => s.commitIndex));
const term = Math.max(...model.servers.map((s) => s.term));
console.log(`raftscope raft.js (node ${process.version}): simulated ${seconds}s in ${wall.toFixed(3)}s wall: ` +
  `${(seconds / wall).toFixed(0)} simulated s per wall s, ${(delivered / wall).toFixed(0)} messages delivered per wall s ` +
  `(${updates} updates, ${delivered} delivered, ${requests} requests, commit index ${commit}, term ${term}, no invariants checked)`);
if (commit < requests / 2) {
  console.error(`only ${commit} of ${requests} requests committed: the workload did not run as intended`);
  process.exit(1);
}
