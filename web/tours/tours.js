// Guided tours, as data (issue 11): a tour is a scenario of scenarios/ plus captions in English
// and Simplified Chinese. Step 0 is the start of the run; every later step has a condition,
// `when`, and the tour reaches it when the condition first holds in the simulation: the run
// plays from one step to the next and pauses there (web/tours.js).
//
// A condition reads only the page's DOM API (ARCHITECTURE.md, "The DOM is an API"):
//   'SELECTOR'                 some element matches the CSS selector
//   { sel: 'SELECTOR', count } at least `count` elements match
//   { ms: N }                  the shown moment is at or after N ms of virtual time
//   [c1, c2, …]                all of them
// `speed` is the tour's playing speed (virtual time per wall time) unless ?speed= is given.
const LEADER = '#ballot:not([data-leader=""])';
const COMMITTED = '[data-log-node]:not([data-commit-index="0"])';
const CHOSEN = '#ballot[data-chosen]:not([data-chosen=""])';
const VIOLATION = '#ballot:not([data-violations="0"])';
const role = (id, name) => `[data-node-id="${id}"][data-role="${name}"]`;
const state = (id, name) => `[data-node-id="${id}"][data-state="${name}"]`;
/** A server whose data-term (Paxos: the round of its promised ballot) is at least `n` (n ≤ 10). */
const termAtLeast = (n) => `[data-node-id]${[...Array(n).keys()].map((k) => `:not([data-term="${k}"])`).join('')}`;

export const TOURS = [
  {
    id: 'raft-election',
    protocol: 'raft',
    scenario: 'raft/01-initial-election',
    speed: 0.1,
    title: { en: 'Raft: the first election', zh: 'Raft：第一次选举' },
    steps: [
      {
        en: 'Five servers start as followers with empty logs. Each one\'s election timer (the arc around it) runs for a random 150–300 ms. Whoever times out first asks the others for votes.',
        zh: '五台服务器都以跟随者身份启动，日志为空。每台服务器的选举计时器（圆圈外的弧）随机运行 150–300 毫秒；谁先超时，谁就向其他服务器请求投票。',
      },
      {
        // (A leader too: at a high speed a frame can cover the whole candidacy.)
        when: '[data-role="candidate"], [data-role="leader"]',
        en: 'A timer ran out: that server became a candidate for term 1, voted for itself and sent RequestVote (RV) to everyone. A server votes at most once per term.',
        zh: '有一个计时器到期了：这台服务器成为任期 1 的候选人，先投自己一票，再向所有人发送 RequestVote（RV）。每台服务器在一个任期内最多投一票。',
      },
      {
        when: LEADER,
        en: 'Three of five votes (a majority) arrived: it is the leader of term 1 (the star). At most one leader can win a term, because two majorities always share a voter.',
        zh: '五票中拿到了三票（多数）：它成为任期 1 的领导者（带星标）。一个任期最多只有一个领导者，因为任意两个多数派至少有一个共同的投票者。',
      },
      {
        when: { ms: 900 },
        en: 'The leader sends heartbeats (HB: empty AppendEntries) more often than any election timeout, and each one resets the followers\' timers. As long as they arrive, nobody starts another election.',
        zh: '领导者发送心跳（HB：空的 AppendEntries）的间隔比任何选举超时都短，每次心跳都会重置跟随者的计时器。只要心跳不断，就不会有人发起新的选举。',
      },
    ],
  },
  {
    id: 'raft-replication',
    protocol: 'raft',
    scenario: 'raft/01-initial-election',
    speed: 0.1,
    title: { en: 'Raft: log replication and commit', zh: 'Raft：日志复制与提交' },
    steps: [
      {
        en: 'First a leader is elected; then a client sends it the command x=1. Watch the Logs panel on the right: one row per server.',
        zh: '先选出领导者，然后客户端把命令 x=1 发给它。请看右侧的“日志”面板：每台服务器一行。',
      },
      {
        when: LEADER,
        en: 'A leader is elected. Only the leader accepts client commands; the others would redirect a client to it.',
        zh: '领导者已选出。只有领导者接受客户端命令；其他服务器会把客户端转给它。',
      },
      {
        when: '[data-log-node] [data-index="1"]',
        en: 'x=1 is appended to the leader\'s log at index 1, in term 1 — hollow, because it is not committed yet. The leader sends it to every follower in AppendEntries (AE).',
        zh: 'x=1 被追加到领导者日志的第 1 个位置，任期为 1——是空心的，因为还没有提交。领导者通过 AppendEntries（AE）把它发给每个跟随者。',
      },
      {
        when: COMMITTED,
        en: 'A majority stored the entry (AE✓ = a successful reply), so the leader committed it (filled) and applied x=1 to its state machine. A committed entry will be in the log of every future leader.',
        zh: '多数服务器已存下这条日志（AE✓ 表示成功的回复），于是领导者提交了它（实心）并把 x=1 应用到状态机。已提交的日志一定会出现在之后每一任领导者的日志中。',
      },
      {
        when: { sel: COMMITTED, count: 5 },
        en: 'The next AppendEntries carried the leader\'s commit index, so every follower now commits and applies x=1 too. All five state machines hold x=1.',
        zh: '下一条 AppendEntries 带上了领导者的提交索引，于是每个跟随者也提交并应用了 x=1。五个状态机里都有 x=1 了。',
      },
    ],
  },
  {
    id: 'raft-leader-crash',
    protocol: 'raft',
    scenario: 'raft/02-leader-crash',
    speed: 0.1,
    title: { en: 'Raft: leader crash and re-election', zh: 'Raft：领导者崩溃与重新选举' },
    steps: [
      {
        en: 'S1 is forced to time out, so it becomes the first leader. It will commit x=1 and then crash.',
        zh: 'S1 被强制超时，因此成为第一个领导者。它会提交 x=1，然后崩溃。',
      },
      {
        when: role(1, 'leader'),
        en: 'S1 leads term 1.',
        zh: 'S1 是任期 1 的领导者。',
      },
      {
        when: { sel: COMMITTED, count: 5 },
        en: 'x=1 is committed on all five servers.',
        zh: 'x=1 已在全部五台服务器上提交。',
      },
      {
        when: role(1, 'crashed'),
        en: 'S1 crashed. Without heartbeats, the followers\' election timers run down.',
        zh: 'S1 崩溃了。没有了心跳，跟随者的选举计时器开始耗尽。',
      },
      {
        when: '#ballot:not([data-leader=""]):not([data-leader="1"])',
        en: 'A follower timed out and won a higher term. It could win only because its log is at least as up to date as a majority\'s, so it has x=1 (Leader Completeness).',
        zh: '一个跟随者超时并赢得了更高的任期。它之所以能当选，是因为它的日志至少和多数派一样新，所以它一定有 x=1（领导者完整性）。',
      },
      {
        when: { sel: '[data-log-node][data-commit-index="2"]', count: 4 },
        en: 'The new leader commits y=2 with the four live servers: four of five is still a majority.',
        zh: '新领导者和四台存活的服务器一起提交了 y=2：五台中的四台仍然是多数。',
      },
      {
        when: [role(1, 'follower'), { sel: '[data-log-node][data-commit-index="2"]', count: 5 }],
        en: 'S1 restarts from its disk as a follower, learns the new term, and catches up: every log is equal again.',
        zh: 'S1 从磁盘重启，成为跟随者，得知了新任期并追上了进度：所有日志再次一致。',
      },
    ],
  },
  {
    id: 'raft-split-vote',
    protocol: 'raft',
    scenario: 'raft/03-split-vote',
    speed: 0.05,
    title: { en: 'Raft: a split vote', zh: 'Raft：选票分裂' },
    steps: [
      {
        en: 'Four servers. S1 and S3 time out at the same moment, and two one-way cuts make S2 hear only S1 and S4 hear only S3.',
        zh: '四台服务器。S1 和 S3 同时超时；两条单向断开的链路让 S2 只能收到 S1 的消息，S4 只能收到 S3 的消息。',
      },
      {
        when: { sel: '[data-role="candidate"]', count: 2 },
        en: 'Two candidates in term 1, each asking for votes.',
        zh: '任期 1 中出现了两个候选人，各自请求投票。',
      },
      {
        when: { ms: 60 },
        en: 'Each got two of four votes: no majority, so nobody wins term 1. Both wait for a new random timeout.',
        zh: '每人都只拿到四票中的两票：没有多数，任期 1 无人胜出。两人都等待新的随机超时。',
      },
      {
        when: LEADER,
        en: 'The links are back, and the randomised timeouts broke the tie: one server timed out first in a later term and won. Randomness is how Raft makes split votes rare.',
        zh: '链路恢复了，随机的超时打破了僵局：在后来的某个任期里有一台服务器先超时并胜出。Raft 正是靠随机化让选票分裂很少发生。',
      },
    ],
  },
  {
    id: 'raft-minority-leader',
    protocol: 'raft',
    scenario: 'raft/04-minority-leader',
    speed: 0.1,
    title: { en: 'Raft: a leader cut off in a minority', zh: 'Raft：被隔离在少数派中的领导者' },
    steps: [
      {
        en: 'S1 becomes leader; then the network splits into S1, S2 and S3, S4, S5.',
        zh: 'S1 成为领导者；随后网络分裂为 S1、S2 和 S3、S4、S5 两部分。',
      },
      {
        when: role(1, 'leader'),
        en: 'S1 leads term 1.',
        zh: 'S1 是任期 1 的领导者。',
      },
      {
        when: '[data-log-node="1"] [data-index="1"]',
        en: 'Partitioned: S1 still believes it leads and appends the client\'s x=1, but only S2 can store it: two of five is not a majority, so x=1 is never committed.',
        zh: '网络已分区：S1 仍以为自己是领导者，并追加了客户端的 x=1，但只有 S2 能存下它：五台中的两台不是多数，所以 x=1 永远不会被提交。',
      },
      {
        when: '[data-role="leader"]:not([data-node-id="1"])',
        en: 'The majority side stopped hearing S1, elected a leader in a higher term, and can go on. For a while there are two leaders, but of different terms: only one of them can commit.',
        zh: '多数派那一侧收不到 S1 的心跳，于是在更高的任期选出了领导者，可以继续工作。一时间出现了两个领导者，但任期不同：只有其中一个能提交。',
      },
      {
        when: { sel: COMMITTED, count: 3 },
        en: 'The new leader commits y=2 with its majority.',
        zh: '新领导者与它的多数派一起提交了 y=2。',
      },
      {
        when: [role(1, 'follower'), { sel: COMMITTED, count: 5 }],
        en: 'The partition healed: S1 saw the higher term and stepped down, and its uncommitted x=1 was overwritten by y=2. Nothing committed was lost.',
        zh: '分区恢复：S1 看到了更高的任期，退位成为跟随者，它未提交的 x=1 被 y=2 覆盖。已提交的内容没有丢失。',
      },
    ],
  },
  {
    id: 'raft-figure8-safe',
    protocol: 'raft',
    scenario: 'raft/06-figure8-safe',
    speed: 0.1,
    title: { en: 'Raft: Figure 8, the correct rule', zh: 'Raft：图 8，正确的规则' },
    steps: [
      {
        en: 'The Raft paper\'s Figure 8, replayed with forced elections. The rule it shows: a leader commits only entries of its own term by counting replicas.',
        zh: '重现 Raft 论文的图 8（选举由人工触发）。它展示的规则是：领导者只能通过统计副本数来提交自己任期内的日志。',
      },
      {
        when: '[data-log-node="2"] [data-index="1"]',
        en: '(a) S1 leads term 1 and replicates x=1 to S2 only.',
        zh: '(a) S1 是任期 1 的领导者，只把 x=1 复制到了 S2。',
      },
      {
        when: '[data-log-node="5"] [data-term="2"]',
        en: '(b) S1 crashed; S5 won term 2 with the votes of S3 and S4 and takes y=2 alone, then crashes too.',
        zh: '(b) S1 崩溃；S5 凭借 S3 和 S4 的选票赢得任期 2，独自写下 y=2，随后也崩溃了。',
      },
      {
        // (Or crashed in term 3, its leadership over: a frame may cover the whole of it.)
        when: '[data-node-id="1"][data-term="3"]:is([data-role="leader"], [data-role="crashed"])',
        en: '(c) S1 restarted and leads term 3. It copies its old x=1 (term 1) to S3: x=1 is now on a majority — but it is from an earlier term, so S1 does not count it as committed.',
        zh: '(c) S1 重启并成为任期 3 的领导者。它把旧的 x=1（任期 1）复制到 S3：x=1 现在在多数服务器上——但它来自更早的任期，所以 S1 不会把它算作已提交。',
      },
      {
        when: '[data-node-id="5"][data-role="leader"][data-term="4"]',
        en: '(d) S1 crashed; S5 restarted and won term 4 (its last entry, term 2, beats their term 1). It overwrites x=1 with its own log. That is allowed: x=1 was never committed.',
        zh: '(d) S1 崩溃；S5 重启并赢得任期 4（它最后一条日志的任期 2 比其他人的任期 1 新）。它用自己的日志覆盖了 x=1。这是允许的：x=1 从未被提交。',
      },
      {
        when: { sel: '[data-log-node]:not([data-commit-index="0"])', count: 3 },
        en: 'S5 commits y=2 and z=3 with a majority: z=3 is from its own term, and committing it commits y=2 before it. Every safety property still holds.',
        zh: 'S5 与多数派一起提交了 y=2 和 z=3：z=3 属于它自己的任期，提交它也就提交了它之前的 y=2。所有安全性质仍然成立。',
      },
    ],
  },
  {
    id: 'raft-figure8-unsafe',
    protocol: 'raft',
    scenario: 'raft/07-figure8-unsafe',
    speed: 0.1,
    title: { en: 'Raft: Figure 8, the broken rule', zh: 'Raft：图 8，错误的规则' },
    steps: [
      {
        en: 'The same Figure 8 sequence, with the deliberately broken variant commit-previous-term: a leader commits an entry of an earlier term as soon as a majority holds it.',
        zh: '同样的图 8 过程，但使用故意写错的变体 commit-previous-term：只要多数服务器持有某条日志，领导者就提交它，哪怕它来自更早的任期。',
      },
      {
        when: '[data-log-node="5"] [data-term="2"]',
        en: 'S1 replicated x=1 (term 1) to S2 and crashed; S5 won term 2, wrote y=2 alone and crashes.',
        zh: 'S1 把 x=1（任期 1）复制到 S2 后崩溃；S5 赢得任期 2，独自写下 y=2 后崩溃。',
      },
      {
        // (Or crashed in term 3, its leadership over: a frame may cover the whole of it.)
        when: '[data-node-id="1"][data-term="3"]:is([data-role="leader"], [data-role="crashed"])',
        en: 'S1 leads term 3 and copies x=1 to S3. With the broken rule, x=1 on three of five servers counts as committed: S1 commits and applies x=1.',
        zh: 'S1 成为任期 3 的领导者，把 x=1 复制到 S3。在错误的规则下，五台中有三台持有 x=1 就算已提交：S1 提交并应用了 x=1。',
      },
      {
        when: '[data-node-id="5"][data-role="leader"][data-term="4"]',
        en: 'S1 crashed; S5 won term 4 without x=1 in its log — legally, by the voting rule. It will overwrite x=1 everywhere.',
        zh: 'S1 崩溃；S5 在日志里没有 x=1 的情况下赢得了任期 4——按投票规则这是合法的。它将在所有地方覆盖 x=1。',
      },
      {
        when: VIOLATION,
        en: 'A committed entry is lost: the checker reports Leader Completeness and State Machine Safety broken (see the safety properties). This is why Raft commits only entries of the leader\'s own term.',
        zh: '一条已提交的日志丢失了：检查器报告领导者完整性和状态机安全性被破坏（见安全性质）。这正是 Raft 只提交领导者当前任期日志的原因。',
      },
    ],
  },
  {
    id: 'paxos-one-round',
    protocol: 'paxos',
    scenario: 'paxos/01-single-proposer',
    speed: 0.05,
    title: { en: 'Paxos: one round', zh: 'Paxos：一轮提议' },
    steps: [
      {
        en: 'Three servers, each a proposer, an acceptor and a learner. S1 is asked to propose x=5.',
        zh: '三台服务器，每台都同时是提议者、接受者和学习者。S1 被要求提议 x=5。',
      },
      {
        when: '[data-node-id="1"][data-phase="prepare"]',
        en: 'Phase 1: S1 picks ballot 1.1 (round 1, proposer S1) and sends Prepare. An acceptor that promises will ignore every lower ballot from now on.',
        zh: '第一阶段：S1 选定编号 1.1（第 1 轮，提议者 S1）并发送 Prepare。承诺了的接受者从此会忽略所有更小的编号。',
      },
      {
        when: '[data-node-id="1"]:is([data-phase="accept"], [data-phase="done"])',
        en: 'A majority promised, and none had accepted anything, so S1 is free to propose its own value. Phase 2: Accept(1.1, x=5).',
        zh: '多数接受者做出了承诺，而且它们都还没有接受过任何值，所以 S1 可以提议自己的值。第二阶段：Accept(1.1, x=5)。',
      },
      {
        when: CHOSEN,
        en: 'A majority accepted x=5 in ballot 1.1: x=5 is chosen, and no other value can ever be. The learners hear of it.',
        zh: '多数接受者在编号 1.1 中接受了 x=5：x=5 被选定，之后不可能再选定别的值。学习者得知了这一结果。',
      },
    ],
  },
  {
    id: 'paxos-dueling',
    protocol: 'paxos',
    scenario: 'paxos/03-dueling-livelock',
    speed: 0.02,
    title: { en: 'Paxos: dueling proposers (livelock)', zh: 'Paxos：决斗的提议者（活锁）' },
    steps: [
      {
        en: 'S1 and S2 are asked at the same moment to propose different values, and back-off is switched off: each retries after 5 ms, faster than a message\'s 10 ms flight.',
        zh: 'S1 和 S2 在同一时刻被要求提议不同的值，并且关闭了退避：每次重试只等 5 毫秒，比消息 10 毫秒的传输还快。',
      },
      {
        when: termAtLeast(3),
        en: 'Each new Prepare reaches the acceptors before the other\'s Accept and pre-empts it: the ballots climb.',
        zh: '每个新的 Prepare 都先于对方的 Accept 到达接受者，从而抢占了它：编号不断攀升。',
      },
      {
        when: termAtLeast(10),
        en: 'Round 10 and still nothing chosen. Safety holds — no two values are ever chosen — but progress does not: this is the FLP result made visible. No deterministic protocol can guarantee both in an asynchronous network.',
        zh: '已经到第 10 轮，仍然没有选定任何值。安全性成立——永远不会选定两个不同的值——但无法推进：这就是 FLP 结论的直观体现。在异步网络中，没有确定性的协议能同时保证两者。',
      },
      {
        when: { ms: 2000 },
        en: 'Seconds pass, ballots keep rising. The cure is randomised back-off (scenario paxos/04) or a single distinguished proposer, which is what Multi-Paxos and Raft elect.',
        zh: '几秒过去，编号还在上升。解决办法是随机退避（场景 paxos/04），或者只让一个选定的提议者提议——这正是 Multi-Paxos 和 Raft 选出领导者的原因。',
      },
    ],
  },
  {
    id: 'paxos-adopt',
    protocol: 'paxos',
    scenario: 'paxos/02-second-proposer-adopts',
    speed: 0.05,
    title: { en: 'Paxos: a second proposer adopts the chosen value', zh: 'Paxos：第二个提议者采纳已选定的值' },
    steps: [
      {
        en: 'S1 gets x=1 chosen; later S3 is asked to propose x=3.',
        zh: 'S1 让 x=1 被选定；之后 S3 被要求提议 x=3。',
      },
      {
        when: CHOSEN,
        en: 'x=1 is chosen in ballot 1.1.',
        zh: 'x=1 在编号 1.1 中被选定。',
      },
      {
        when: '[data-node-id="3"]:not([data-term="0"]):not([data-term="1"])',
        en: 'S3 starts ballot 2.3 with Prepare. The promises will report what each acceptor has accepted: x=1 in 1.1.',
        zh: 'S3 用 Prepare 开始编号 2.3。承诺中会报告每个接受者已接受的值：编号 1.1 中的 x=1。',
      },
      {
        when: { sel: '[data-accepted="2.3 x=1"]', count: 2 },
        en: 'So S3 must propose x=1, not its own x=3: a proposer adopts the value of the highest ballot in the promises. Once a value is chosen, every higher ballot carries it — x=3 is never chosen.',
        zh: '因此 S3 必须提议 x=1，而不是自己的 x=3：提议者要采纳承诺中编号最高的那个值。一旦某个值被选定，之后每个更高的编号都会带着它——x=3 永远不会被选定。',
      },
    ],
  },
  {
    id: 'multipaxos-leader-change',
    protocol: 'multipaxos',
    scenario: 'multipaxos/02-leader-crash-recovery',
    speed: 0.05,
    title: { en: 'Multi-Paxos: leader change and no-op gap filling', zh: 'Multi-Paxos：更换领导者与空操作填补空缺' },
    steps: [
      {
        en: 'Multi-Paxos runs phase 1 once for all slots, then one Accept round per command. S1 will lead, then crash with slots half-done.',
        zh: 'Multi-Paxos 对所有槽位只运行一次第一阶段，之后每条命令只需一轮 Accept。S1 将成为领导者，然后在槽位只完成一半时崩溃。',
      },
      {
        when: role(1, 'leader'),
        en: 'S1 leads with ballot 1.1.',
        zh: 'S1 以编号 1.1 成为领导者。',
      },
      {
        when: '[data-slot-node] [data-slot="1"][data-chosen="true"]',
        en: 'a=1 is chosen in slot 1. Then S1 is cut off: b=2 for slot 2 reaches only its own acceptor, c=3 for slot 3 only S1 and S3.',
        zh: 'a=1 在槽位 1 被选定。随后 S1 被隔离：槽位 2 的 b=2 只到达了它自己的接受者，槽位 3 的 c=3 只到达了 S1 和 S3。',
      },
      {
        when: role(1, 'crashed'),
        en: 'S1 crashed with slot 2 and slot 3 not chosen.',
        zh: 'S1 崩溃了，槽位 2 和槽位 3 都没有被选定。',
      },
      {
        when: role(2, 'leader'),
        en: 'S2 ran phase 1 with ballot 2.2. The promises report c=3 for slot 3 and nothing for slot 2, so it re-proposes c=3 and fills the gap in slot 2 with a no-op.',
        zh: 'S2 用编号 2.2 运行了第一阶段。承诺中报告槽位 3 有 c=3、槽位 2 什么都没有，于是它重新提议 c=3，并用空操作（no-op）填补槽位 2 的空缺。',
      },
      {
        when: { sel: '[data-slot-node][data-applied="4"]', count: 5 },
        en: 'd=4 went into slot 4, and S1 restarted and caught up: every server applies a=1, no-op, c=3, d=4 in the same order. b=2 is gone — it was never chosen.',
        zh: 'd=4 写入了槽位 4，S1 重启后也追上了进度：每台服务器都按相同顺序应用 a=1、no-op、c=3、d=4。b=2 消失了——它从未被选定。',
      },
    ],
  },
  {
    id: 'twopc-commit',
    protocol: 'twopc',
    scenario: 'twopc/01-all-commit',
    speed: 0.02,
    title: { en: 'Two-phase commit: everyone votes yes', zh: '两阶段提交：全员投赞成票' },
    steps: [
      {
        en: 'S1 is the coordinator, S2–S4 the participants. A client asks for the transaction "set x 5".',
        zh: 'S1 是协调者，S2–S4 是参与者。客户端请求执行事务“set x 5”。',
      },
      {
        when: '[data-in-doubt="true"], [data-role="participant"]:not([data-state="working"])',
        en: 'Phase 1: each participant got Prepare, voted yes and is now prepared — in doubt: it promised to commit if told to and may not decide on its own any more.',
        zh: '第一阶段：每个参与者收到 Prepare，投了赞成票，现在处于已准备状态——也就是“不确定”：它承诺一旦被告知就提交，自己再也不能单方面决定。',
      },
      {
        when: state(1, 'committed'),
        en: 'Phase 2: all votes were yes, so S1 decided commit and sends Commit.',
        zh: '第二阶段：所有票都是赞成，于是 S1 决定提交并发送 Commit。',
      },
      {
        when: { sel: '[data-role="participant"][data-state="committed"]', count: 3 },
        en: 'Every participant committed and wrote x=5. Atomicity: all committed, none aborted.',
        zh: '每个参与者都提交并写入了 x=5。原子性：全部提交，无人中止。',
      },
    ],
  },
  {
    id: 'twopc-rollback',
    protocol: 'twopc',
    scenario: 'twopc/02-one-votes-no',
    speed: 0.02,
    title: { en: 'Two-phase commit: one no rolls everyone back', zh: '两阶段提交：一票反对，全体回滚' },
    steps: [
      {
        en: 'Five servers; participant S3 will vote no on the transaction "set x 5".',
        zh: '五台服务器；参与者 S3 将对事务“set x 5”投反对票。',
      },
      {
        when: state(3, 'aborted'),
        en: 'S3 voted no and aborted at once — a participant that votes no needs nobody\'s permission. The others voted yes and are in doubt.',
        zh: 'S3 投了反对票并立即中止——投反对票的参与者不需要任何人批准。其他人投了赞成票，处于不确定状态。',
      },
      {
        when: state(1, 'aborted'),
        en: 'The no reached S1: the coordinator decides abort without waiting for more votes.',
        zh: '反对票到达了 S1：协调者无需再等其他票，直接决定中止。',
      },
      {
        when: { sel: '[data-role="participant"][data-state="aborted"]', count: 4 },
        en: 'Everyone rolled back, the yes voters included; nobody wrote x. One no is enough to abort.',
        zh: '所有人都回滚了，包括投赞成票的参与者；没有人写入 x。一票反对就足以中止。',
      },
    ],
  },
  {
    id: 'twopc-blocking',
    protocol: 'twopc',
    scenario: 'twopc/04-coordinator-crash-before-decision',
    speed: 0.02,
    title: { en: 'Two-phase commit: the blocking problem', zh: '两阶段提交：阻塞问题' },
    steps: [
      {
        en: 'The coordinator S1 will crash after sending Prepare, while the yes votes are on their way.',
        zh: '协调者 S1 会在发出 Prepare 之后、赞成票还在路上时崩溃。',
      },
      {
        when: '[data-node-id="1"][data-up="false"]',
        en: 'S1 is down. The participants voted yes: they are prepared and in doubt.',
        zh: 'S1 宕机了。参与者已投赞成票：它们处于已准备、不确定的状态。',
      },
      {
        when: { ms: 500 },
        en: 'Still waiting. A prepared participant may neither commit (someone may have voted no) nor abort (the coordinator may have decided commit). It holds its locks until the coordinator returns: 2PC blocks.',
        zh: '仍在等待。已准备的参与者既不能提交（可能有人投了反对票），也不能中止（协调者可能已经决定提交）。它会一直持有锁，直到协调者回来：两阶段提交发生了阻塞。',
      },
      {
        when: state(1, 'aborted'),
        en: 'S1 restarted with no decision on disk and aborts: presumed abort is safe, because nobody can have committed without being told.',
        zh: 'S1 重启后磁盘上没有决定，于是中止：推定中止是安全的，因为没有收到通知就不可能有人已经提交。',
      },
      {
        when: { sel: '[data-role="participant"][data-state="aborted"]', count: 3 },
        en: 'Everyone rolled back. Consensus protocols like Paxos and Raft avoid this block by deciding with a majority instead of one coordinator.',
        zh: '所有人都回滚了。Paxos 和 Raft 这样的共识协议依靠多数派而不是单个协调者来做决定，从而避免了这种阻塞。',
      },
    ],
  },
  {
    id: 'zab-broadcast',
    protocol: 'zab',
    scenario: 'zab/02-broadcast-and-commit',
    speed: 0.05,
    title: { en: 'Zab: election, epoch and broadcast', zh: 'Zab：选举、纪元与广播' },
    steps: [
      {
        en: 'ZooKeeper\'s atomic broadcast. Five servers start LOOKING: Fast Leader Election picks the server with the most recent history (ties go to the highest id).',
        zh: 'ZooKeeper 的原子广播协议。五台服务器都以 LOOKING 状态启动：快速领导者选举会选出历史最新的服务器（相同时选 id 最大的）。',
      },
      {
        when: '[data-role="leading"]',
        en: 'S5 won the election and leads. Before it may broadcast, it must establish a new epoch with a quorum: discovery (CEPOCH, NEWEPOCH, ACKEPOCH) and synchronisation (NEWLEADER, ACKLD).',
        zh: 'S5 赢得选举成为领导者。在广播之前，它必须与一个法定人数建立新的纪元：发现阶段（CEPOCH、NEWEPOCH、ACKEPOCH）和同步阶段（NEWLEADER、ACKLD）。',
      },
      {
        when: '[data-role="leading"][data-phase="broadcast"]',
        en: 'Epoch 1 is established: a quorum has the leader\'s history and acknowledged it. The leader is now in the broadcast phase.',
        zh: '纪元 1 已经建立：法定人数的服务器拿到了领导者的历史并做了确认。领导者进入广播阶段。',
      },
      {
        when: '[data-history-node] [data-zxid]',
        en: 'Clients\' commands become proposals with zxids 0x1_0001, 0x1_0002, 0x1_0003 (epoch 1, counter). Each follower appends a PROPOSE to its history, persists it, then ACKs.',
        zh: '客户端的命令变成带 zxid 的提议：0x1_0001、0x1_0002、0x1_0003（纪元 1，计数器）。每个跟随者把 PROPOSE 追加到历史中，持久化之后再回复 ACK。',
      },
      {
        when: { sel: '[data-history-node][data-delivered="3"]', count: 5 },
        en: 'With a quorum of ACKs the leader sends COMMIT, and every server delivers x=1, y=2, x=3 in zxid order: the same sequence everywhere (Total Order, Agreement).',
        zh: '收到法定人数的 ACK 后，领导者发送 COMMIT，每台服务器都按 zxid 顺序交付 x=1、y=2、x=3：所有服务器上的顺序完全相同（全序、一致性）。',
      },
    ],
  },
  {
    id: 'cap',
    protocol: 'paxos',
    scenario: 'paxos/06-minority-partition',
    speed: 0.05,
    title: { en: 'CAP: the minority side cannot commit', zh: 'CAP：少数派一侧无法提交' },
    steps: [
      {
        en: 'Five servers, partitioned into S1, S2 | S3, S4, S5. S1 is asked to propose x=1.',
        zh: '五台服务器被分区为 S1、S2 | S3、S4、S5。S1 被要求提议 x=1。',
      },
      {
        when: '[data-node-id="1"][data-phase="prepare"]',
        en: 'S1 sends Prepare, but only two servers can hear it: no majority can ever promise.',
        zh: 'S1 发送 Prepare，但只有两台服务器能收到：永远凑不齐多数的承诺。',
      },
      {
        when: { ms: 1500 },
        en: 'S1 times out, backs off and retries, again and again. The minority stays consistent by staying unavailable: it chooses nothing. That is the C-over-A choice of the CAP theorem.',
        zh: 'S1 超时、退避、重试，一次又一次。少数派以不可用为代价保持一致：它什么都不选定。这就是 CAP 定理中“选一致性、舍可用性”的取舍。',
      },
      {
        when: CHOSEN,
        en: 'On the majority side, S3 gets x=3 chosen: three of five is enough.',
        zh: '在多数派一侧，S3 让 x=3 被选定：五台中的三台就足够了。',
      },
      {
        when: { sel: '[data-learned="x=3"]', count: 5 },
        en: 'The partition healed; S1\'s next retry found x=3 in the promises and proposed it. Everyone learns x=3 — never x=1.',
        zh: '分区恢复后，S1 的下一次重试在承诺中发现了 x=3 并提议了它。所有人都学到了 x=3——而不是 x=1。',
      },
    ],
  },
];
