// The Try-this menu's catalog: every scenario under scenarios/ with a title and a one-paragraph
// explanation in English and Simplified Chinese. tests/browser/tours.spec.ts checks that every
// scenarios/**/*.scn has exactly one entry here.
export const SCENARIOS = [
  // ---- Raft ----
  {
    id: 'raft/01-initial-election',
    protocol: 'raft',
    title: { en: 'First election', zh: '第一次选举' },
    text: {
      en: 'Five servers start as followers with empty logs. The first whose randomised election timer fires becomes a candidate in term 1, collects a majority of votes and leads (in this run it is not S1). Watch the RequestVote messages, then a request x=1 being replicated and committed on all five. Randomised timeouts are what usually make one clear winner (§5.2).',
      zh: '五台服务器都以跟随者身份启动，日志为空。随机选举计时器最先到期的那台成为任期 1 的候选人，拿到多数票后成为领导者（这次不是 S1）。留意 RequestVote 消息，以及随后请求 x=1 被复制到全部五台服务器并提交。正是随机化的超时让选举通常一次就产生唯一的胜者（§5.2）。',
    },
  },
  {
    id: 'raft/02-leader-crash',
    protocol: 'raft',
    title: { en: 'Leader crash and re-election', zh: '领导者崩溃与重新选举' },
    text: {
      en: 'S1 leads term 1, commits x=1 and crashes. The followers stop hearing heartbeats, one times out and wins a higher term, and its log still holds x=1: a new leader always has every committed entry (Leader Completeness, §5.4). It commits y=2; when S1 restarts it rejoins as a follower and its log is brought level with everyone else’s.',
      zh: 'S1 在任期 1 担任领导者，提交 x=1 后崩溃。跟随者收不到心跳，其中一台超时并在更高的任期当选，而它的日志里仍有 x=1：新领导者一定拥有所有已提交的条目（领导者完整性，§5.4）。它接着提交 y=2；S1 重启后以跟随者身份回归，日志被补齐，与其他服务器一致。',
    },
  },
  {
    id: 'raft/03-split-vote',
    protocol: 'raft',
    title: { en: 'Split vote', zh: '选票瓜分' },
    text: {
      en: 'In a four-server cluster S1 and S3 time out at the same moment. One-way cuts let S2 hear only S1 and S4 hear only S3, so each candidate gets two of four votes, one short of a majority, and term 1 ends with no leader. Once the links are restored, randomised timeouts break the tie and a leader wins a later term. A split vote wastes a term but never produces two leaders (§5.2).',
      zh: '在四台服务器的集群里，S1 和 S3 同时超时。单向切断让 S2 只能收到 S1 的请求、S4 只能收到 S3 的请求，于是两个候选人各得四票中的两票，都差一票才过半，任期 1 没有产生领导者。链路恢复后，随机化的超时打破僵局，某台服务器在之后的任期当选。选票瓜分只会浪费一个任期，绝不会产生两个领导者（§5.2）。',
    },
  },
  {
    id: 'raft/04-minority-leader',
    protocol: 'raft',
    title: { en: 'Old leader stuck in a minority', zh: '困在少数派中的旧领导者' },
    text: {
      en: 'A partition leaves leader S1 with only S2. S1 still accepts x=1 and still believes it leads, but it cannot reach a majority, so x=1 is never committed. Meanwhile S3–S5 elect a new leader in a higher term and commit y=2. When the network heals, S1 sees the higher term, steps down, and its uncommitted x=1 is overwritten: only a majority can commit (§5.3, §5.4).',
      zh: '网络分区把领导者 S1 和 S2 隔在一边。S1 仍然接受 x=1、仍自认为是领导者，但联系不到多数派，x=1 永远无法提交。与此同时，S3–S5 在更高的任期选出新领导者并提交 y=2。分区恢复后，S1 看到更高的任期便退位，它未提交的 x=1 被覆盖：只有多数派才能提交（§5.3、§5.4）。',
    },
  },
  {
    id: 'raft/05-divergent-logs',
    protocol: 'raft',
    title: { en: 'Divergent logs converge', zh: '分歧的日志重新一致' },
    text: {
      en: 'After a=1 commits everywhere, S5 crashes and leader S1 is partitioned off alone, where it appends b=1, b=2 and b=3 that nobody else receives. S2–S4 elect a new leader in a higher term and commit c=1 and c=2 without S5. When the network heals and S5 restarts, the new leader’s consistency check and nextIndex back-off bring both stragglers in line: S5 gets the entries it missed, S1’s uncommitted b entries are overwritten, and all logs end up equal (Figure 7).',
      zh: 'a=1 在所有服务器上提交后，S5 崩溃，领导者 S1 被分区单独隔开，它追加的 b=1、b=2、b=3 没有别人收到。S2–S4 在更高的任期选出新领导者，在没有 S5 的情况下提交 c=1 和 c=2。网络恢复、S5 重启后，新领导者通过一致性检查和 nextIndex 回退把两台落后的服务器拉齐：S5 补上缺失的条目，S1 未提交的 b 条目被覆盖，最终所有日志相同（图 7）。',
    },
  },
  {
    id: 'raft/06-figure8-safe',
    protocol: 'raft',
    title: { en: 'Figure 8, done right', zh: '图 8：正确的提交规则' },
    text: {
      en: 'The paper’s Figure 8, replayed with elections forced by hand. S1 leads term 3 and copies its old term-1 entry x=1 to a majority, but the correct rule forbids committing an earlier term’s entry by counting replicas, so x=1 stays uncommitted. S5, whose log ends with y=2 from term 2, then wins term 4 and overwrites x=1, which is harmless because x=1 was never committed. Watch y=2 become committed only together with S5’s own term-4 entry z=3 (§5.4.2).',
      zh: '重现论文中的图 8，选举由手动触发。S1 在任期 3 担任领导者，把它任期 1 的旧条目 x=1 复制到了多数派，但正确的规则禁止靠数副本来提交先前任期的条目，所以 x=1 仍未提交。随后，日志末尾是任期 2 的 y=2 的 S5 赢得任期 4 并覆盖 x=1；x=1 从未提交，所以这样做没有任何损失。留意 y=2 要等到 S5 自己任期 4 的条目 z=3 提交时才一起被提交（§5.4.2）。',
    },
  },
  {
    id: 'raft/07-figure8-unsafe',
    protocol: 'raft',
    title: { en: 'Figure 8 with the bug: commit lost', zh: '图 8 的错误：已提交条目丢失' },
    text: {
      en: 'The same Figure 8 sequence with the bug commit-previous-term: in term 3, S1 commits its term-1 entry x=1 just because a majority holds a copy, and applies it. S5 then wins term 4 without x=1 and overwrites it, so an entry that was committed and applied disappears. The checker reports Leader Completeness (a new leader lacks a committed entry) and State Machine Safety (servers apply different commands at the same index). Compare 06-figure8-safe.',
      zh: '与图 8 相同的步骤，但启用了错误 commit-previous-term：S1 在任期 3 只因多数派持有副本，就提交了任期 1 的条目 x=1，并把它应用到状态机。随后 S5 在没有 x=1 的情况下赢得任期 4 并将其覆盖，一个已提交、已应用的条目就这样消失了。检查器报告领导者完整性被破坏（新领导者缺少已提交的条目），以及状态机安全被破坏（不同服务器在同一索引上应用了不同的命令）。可与 06-figure8-safe 对照。',
    },
  },
  {
    id: 'raft/08-next-index-backs-off',
    protocol: 'raft',
    title: { en: 'nextIndex backs off', zh: 'nextIndex 逐步回退' },
    text: {
      en: 'S3 is down while S1 and S2 commit four more entries, so its log holds only a=1. S2 then wins term 2 and, not knowing how far behind S3 is, starts nextIndex just past its own log, at 6. Each rejected AppendEntries lowers it by one (5, 4, 3, 2) until the logs match at index 1; then S3 receives the four missing entries at once. The probes show nextIndex and matchIndex at every step (Figure 2, §5.3).',
      zh: 'S3 宕机期间，S1 和 S2 又提交了四个条目，S3 的日志里只有 a=1。随后 S2 赢得任期 2；它不知道 S3 落后多少，于是把 nextIndex 设为自己日志末尾之后的 6。每次 AppendEntries 被拒绝，nextIndex 就减一（5、4、3、2），直到在索引 1 处日志匹配，S3 才一次收到缺失的四个条目。探针展示了每一步的 nextIndex 和 matchIndex（图 2，§5.3）。',
    },
  },
  {
    id: 'raft/09-leader-timeout',
    protocol: 'raft',
    title: { en: 'Forcing a leader’s timeout', zh: '强制领导者超时' },
    text: {
      en: 'Leader S1 has its election timer fired by hand (the playground’s “force timeout”). Like any server, it becomes a candidate in term 2: it stops its heartbeats, persists the new term and its vote for itself before asking for votes, and, its log being up to date, wins again. x=1, committed in term 1, survives, and y=2 commits in term 2. A new term costs an election, never a committed entry (§5.2, §5.4.1).',
      zh: '手动触发领导者 S1 的选举计时器（即界面上的“强制超时”）。和任何服务器一样，它成为任期 2 的候选人：停止发送心跳，先把新任期和投给自己的一票持久化，再请求投票；它的日志是最新的，所以再次当选。任期 1 提交的 x=1 完好无损，y=2 在任期 2 提交。换一个任期只需付出一次选举的代价，不会丢失已提交的条目（§5.2、§5.4.1）。',
    },
  },
  {
    id: 'raft/10-hold-and-release',
    protocol: 'raft',
    title: { en: 'Holding and releasing messages', zh: '扣留与放行消息' },
    text: {
      en: 'Right after S2 wins term 1, its first heartbeat to S3 is dropped (chosen by message kind and link rather than by envelope id), so S3 stays a candidate until the next one. Then every message from S2 to S3 is held as it comes due: S1 and S2 commit x=5 while S3’s log stays empty. Released, the held messages arrive at once, in the order they were sent, and S3 catches up. Holding is a delay, not a loss.',
      zh: 'S2 刚赢得任期 1，它发给 S3 的第一个心跳就被丢弃（按消息类型和链路选中，而不是按信封编号），所以 S3 一直是候选人，直到下一个心跳到来。随后，S2 发往 S3 的所有消息在到期时都被扣留：S1 和 S2 提交了 x=5，S3 的日志却仍为空。放行后，被扣留的消息按发送顺序一齐到达，S3 随即追上。扣留只是延迟，不是丢失。',
    },
  },
  {
    id: 'raft/11-lossy-link',
    protocol: 'raft',
    title: { en: 'A leader whose messages are lost', zh: '领导者发出的消息全部丢失' },
    text: {
      en: 'From 1 s on, every message leader S2 sends is lost: a per-link override, with the rest of the network untouched. The followers hear no heartbeats and elect a new leader in a higher term; S2 can still receive, so it sees that term and steps down. Once the link is reset, the new leader commits x=5 on all three. To its followers, a leader that cannot be heard is no different from a crashed one.',
      zh: '从第 1 秒起，领导者 S2 发出的每条消息都会丢失：这是针对单条链路的设置，网络的其余部分不受影响。跟随者收不到心跳，在更高的任期选出新领导者；S2 仍能收到消息，看到更高的任期后便退位。链路设置复位后，新领导者在三台服务器上都提交了 x=5。对跟随者来说，听不到的领导者和崩溃的领导者没有区别。',
    },
  },
  {
    id: 'raft/12-vote-before-persist',
    protocol: 'raft',
    title: { en: 'Bug: vote sent before it is saved', zh: '错误：投票先发送、后持久化' },
    text: {
      en: 'With the bug vote-before-persist, S3 grants S1 its vote in term 1 but writes votedFor to disk only after the reply has left, and the simulator flags Persist Before Send at once. S3 crashes while the reply is in flight; S1 still wins term 1 with it. S3 restarts from a disk that says “term 1, no vote”, so when S2, which never heard S1, campaigns in term 1, S3 votes again and S2 becomes a second leader of term 1: the checker reports Election Safety. Raft’s rule is to update stable storage before responding to any RPC (Figure 2).',
      zh: '启用错误 vote-before-persist 后，S3 在任期 1 把票投给 S1，却在回复发出之后才把 votedFor 写入磁盘，模拟器当即标出“先持久化再发送”被违反。S3 在回复仍在途中时崩溃；S1 仍凭这张票赢得任期 1。S3 重启后，磁盘上记的是“任期 1，尚未投票”，于是当从未收到 S1 消息的 S2 在任期 1 发起选举时，S3 又投了一次票，S2 成为任期 1 的第二个领导者：检查器报告选举安全被破坏。Raft 的规则是先更新稳定存储，再响应任何 RPC（图 2）。',
    },
  },

  // ---- Paxos ----
  {
    id: 'paxos/01-single-proposer',
    protocol: 'paxos',
    title: { en: 'A single proposer', zh: '单个提议者' },
    text: {
      en: 'S1 is asked to propose x=5. Its Prepare with ballot 1.1 (round 1 of S1) is promised by a majority; since no acceptor reports an accepted value, S1 is free to propose its own. Its Accept(1.1, x=5) is accepted by a majority, every learner hears of it, and x=5 is chosen. These are the two phases every Paxos round goes through (Paxos Made Simple §2.2, §2.3).',
      zh: 'S1 受请求提议 x=5。它以选票编号 1.1（S1 的第 1 轮）发出 Prepare，得到多数派的承诺；没有接受者报告已接受的值，所以 S1 可以提议自己的值。它的 Accept(1.1, x=5) 被多数派接受，所有学习者都得知此事，x=5 被选定。这就是每一轮 Paxos 都要经历的两个阶段（Paxos Made Simple §2.2、§2.3）。',
    },
  },
  {
    id: 'paxos/02-second-proposer-adopts',
    protocol: 'paxos',
    title: { en: 'A later proposer adopts the value', zh: '后来的提议者沿用已选定的值' },
    text: {
      en: 'S1 gets x=1 chosen in ballot 1.1. Then S3 is asked to propose x=3: its Prepare(2.3) is promised, but the promises report x=1 accepted in 1.1, so in phase 2 S3 must propose x=1, not x=3. x=1 is chosen again in ballot 2.3 and x=3 never is. This is the heart of Paxos safety: once a value is chosen, every higher ballot carries it (P2c).',
      zh: 'S1 在选票 1.1 中让 x=1 被选定。之后 S3 受请求提议 x=3：它的 Prepare(2.3) 得到了承诺，但这些承诺报告了在 1.1 中已接受的 x=1，所以 S3 在第二阶段必须提议 x=1，而不是 x=3。x=1 在选票 2.3 中再次被选定，x=3 则永远不会。这正是 Paxos 安全性的核心：一个值一旦被选定，之后每个更高的选票都只会携带这个值（P2c）。',
    },
  },
  {
    id: 'paxos/03-dueling-livelock',
    protocol: 'paxos',
    title: { en: 'Dueling proposers: livelock', zh: '提议者相互竞争：活锁' },
    text: {
      en: 'S1 and S2 are asked at the same moment to propose different values, and they retry after a fixed 5 ms with no random back-off, shorter than a message’s 10 ms flight. Each new Prepare reaches the acceptors before the other proposer’s Accept does and pre-empts it, so ballot numbers keep climbing (past 100) and after ten seconds nothing is chosen. Safety holds but progress does not: this is the livelock of Paxos Made Simple §2.4. Compare 04-dueling-backoff.',
      zh: 'S1 和 S2 同时受请求提议不同的值，重试采用固定的 5 ms 间隔、没有随机退避，比消息 10 ms 的传输时间还短。每个新的 Prepare 都赶在对方的 Accept 之前到达接受者并将其抢占，选票编号不断攀升（超过 100），十秒后仍没有任何值被选定。安全性没有被破坏，但系统无法推进：这就是 Paxos Made Simple §2.4 所说的活锁。可与 04-dueling-backoff 对照。',
    },
  },
  {
    id: 'paxos/04-dueling-backoff',
    protocol: 'paxos',
    title: { en: 'Dueling proposers with back-off', zh: '相互竞争的提议者与随机退避' },
    text: {
      en: 'The same start as 03-dueling-livelock, but each retry waits a random time between 5 and 150 ms. Soon one proposer waits long enough for the other’s round to finish; its own next round then finds that value in the promises and adopts it, so a single value, x=2, is chosen and every node learns it. Paxos Made Simple suggests electing a distinguished proposer; random back-off is the simpler cure, the same one Raft uses for its elections (§2.4).',
      zh: '开局与 03-dueling-livelock 相同，但每次重试都随机等待 5 到 150 ms。很快，一个提议者等得足够久，让对方的一轮得以完成；它自己的下一轮便在承诺中发现那个值并沿用它，于是只有一个值 x=2 被选定，所有节点都学到它。Paxos Made Simple 建议选出一个特定的提议者；随机退避是更简单的办法，Raft 的选举用的也是它（§2.4）。',
    },
  },
  {
    id: 'paxos/05-acceptor-crash-between-phases',
    protocol: 'paxos',
    title: { en: 'Acceptor crash between phases', zh: '接受者在两个阶段之间崩溃' },
    text: {
      en: 'S3 persists its promise for ballot 1.1, answers S1 and crashes. S1 still has a majority of promises (its own and S3’s); S1 and S2 accept, and x=5 is chosen without S3. S3 restarts with its promise intact but knowing no value, since learners are volatile. Asked to propose x=7, it runs ballot 2.3, finds x=5 in the promises and proposes that instead, so everyone learns x=5: an acceptor must remember what it promised and accepted across a crash (§2.3).',
      zh: 'S3 先把对选票 1.1 的承诺持久化，再回复 S1，随后崩溃。S1 仍有多数派的承诺（自己的和 S3 的）；S1 和 S2 接受提议，x=5 在没有 S3 的情况下被选定。S3 重启后承诺仍在，但不知道任何值，因为学习者的状态不持久。它受请求提议 x=7，以选票 2.3 发起一轮，在承诺中发现 x=5，便改为提议 x=5，于是所有节点都学到 x=5：接受者必须在崩溃后仍记得自己承诺和接受过什么（§2.3）。',
    },
  },
  {
    id: 'paxos/06-minority-partition',
    protocol: 'paxos',
    title: { en: 'A minority cannot choose', zh: '少数派无法选定值' },
    text: {
      en: 'S1 and S2 are partitioned from S3, S4 and S5. S1’s Prepares never gather a majority of promises: it times out, backs off and retries again and again, and nothing is chosen, while the majority side has not even seen a ballot. S3 then gets x=3 chosen on the majority side. When the partition heals, S1’s next retry finds x=3 in the promises and proposes it, so S1 and S2 learn x=3 too and S1’s own x=1 is never chosen.',
      zh: 'S1、S2 与 S3、S4、S5 之间发生网络分区。S1 的 Prepare 始终凑不齐多数派的承诺：它超时、退避、一次又一次重试，却没有任何值被选定，而多数派一侧甚至没见过任何选票。接着，S3 在多数派一侧让 x=3 被选定。分区恢复后，S1 的下一次重试在承诺中发现 x=3 并提议它，于是 S1 和 S2 也学到 x=3，S1 自己的 x=1 始终没有被选定。',
    },
  },
  {
    id: 'paxos/07-ignore-promised-values-caught',
    protocol: 'paxos',
    title: { en: 'Bug: ignoring promised values', zh: '错误：忽略承诺中报告的值' },
    text: {
      en: 'The broken variant ignore-promised-values: a proposer ignores the values its promises report and always proposes its own. S1 gets x=1 chosen; S3 then runs ballot 2.3 and, although a majority of promises report x=1, asks for x=3, and a majority accepts it. Two different values are chosen, so the checker reports Agreement, the property that at most one value is ever chosen. The same script without the bug line is 02-second-proposer-adopts.',
      zh: '错误变体 ignore-promised-values：提议者无视承诺中报告的值，总是提议自己的值。S1 先让 x=1 被选定；随后 S3 以选票 2.3 发起一轮，尽管多数派的承诺都报告了 x=1，它仍请求接受 x=3，而且被多数派接受。两个不同的值都被选定，检查器报告一致性被破坏——这条性质要求最多只有一个值被选定。去掉 bug 那一行，就是 02-second-proposer-adopts。',
    },
  },

  // ---- Multi-Paxos ----
  {
    id: 'multipaxos/01-leader-applies-in-order',
    protocol: 'multipaxos',
    title: { en: 'A leader fills slots in order', zh: '领导者按顺序填充槽位' },
    text: {
      en: 'A leader is elected by running phase 1 once, for every slot at the same time; after that each command needs only one accept round. x=1, y=2 and x=3 land in slots 1, 2 and 3, are chosen, and every server applies them in that order, so x ends as 3 everywhere. Skipping phase 1 for each command is what makes Multi-Paxos practical (Paxos Made Simple §3). Try sending a request to a follower: it refuses and points the client to the leader.',
      zh: '领导者只运行一次第一阶段，就一次性覆盖所有槽位；此后每条命令只需要一轮接受。x=1、y=2、x=3 依次落入槽位 1、2、3 并被选定，每台服务器都按这个顺序应用它们，最终各处的 x 都是 3。省去每条命令的第一阶段，正是 Multi-Paxos 实用的原因（Paxos Made Simple §3）。不妨把请求发给一个跟随者：它会拒绝，并把客户端指向领导者。',
    },
  },
  {
    id: 'multipaxos/02-leader-crash-recovery',
    protocol: 'multipaxos',
    title: { en: 'Leader crash: gap filled with no-op', zh: '领导者崩溃：用空操作填补空缺' },
    text: {
      en: 'S1 leads with ballot 1.1 and gets a=1 chosen in slot 1. Then, cut off, it proposes b=2 for slot 2 (only its own acceptor accepts) and c=3 for slot 3 (S1 and S3 accept, two of five), and crashes; neither is chosen. S2 runs phase 1 with ballot 2.2: the promises of S3, S4 and S5 report c=3 in slot 3 and nothing in slot 2, so S2 re-proposes c=3, fills slot 2 with a no-op, then puts d=4 in slot 4. S1 restarts and catches up: every server applies a=1, no-op, c=3, d=4, and b=2 is gone for good.',
      zh: 'S1 以选票 1.1 担任领导者，让 a=1 在槽位 1 被选定。随后它被隔离，为槽位 2 提议 b=2（只有它自己的接受者接受），为槽位 3 提议 c=3（S1 和 S3 接受，五台中的两台），然后崩溃；两者都没有被选定。S2 以选票 2.2 运行第一阶段：S3、S4、S5 的承诺报告槽位 3 有 c=3、槽位 2 为空，于是 S2 重新提议 c=3，用空操作（no-op）填补槽位 2，再把 d=4 放进槽位 4。S1 重启后追上进度：每台服务器都依次应用 a=1、空操作、c=3、d=4，b=2 则永远消失了。',
    },
  },
  {
    id: 'multipaxos/03-ignore-promised-values-caught',
    protocol: 'multipaxos',
    title: { en: 'Bug: new leader ignores promised values', zh: '错误：新领导者忽略承诺中报告的值' },
    text: {
      en: 'The broken variant ignore-promised-values: a new leader fills every slot it re-proposes with a no-op instead of the values the promises report. S1 gets x=1 accepted by S1, S3 and S4, a majority, so x=1 is chosen for slot 1; but S1 crashes and its Decide messages are lost before any other server learns it. S2 takes over, and S3 and S4 report x=1 for slot 1, yet the broken leader proposes a no-op, which S3, S4 and S5 accept. Two values are chosen for slot 1, so the checker reports Agreement, and, since S2 applies a no-op where S1 had applied x=1, Applied Sequence Agreement as well.',
      zh: '错误变体 ignore-promised-values：新领导者在需要重新提议的槽位里一律填入空操作，而不是承诺中报告的值。S1 让 x=1 被 S1、S3、S4 接受——这已是多数派，x=1 在槽位 1 被选定——但 S1 随即崩溃，它的 Decide 消息全部丢失，其他服务器都还不知道结果。S2 接任，S3 和 S4 报告槽位 1 有 x=1，出错的领导者却提议空操作，并被 S3、S4、S5 接受。槽位 1 有两个值被选定，检查器报告一致性被破坏；又因为 S2 在 S1 应用 x=1 的位置应用了空操作，应用序列一致也被破坏。',
    },
  },

  // ---- Two-phase commit ----
  {
    id: 'twopc/01-all-commit',
    protocol: 'twopc',
    title: { en: 'Everyone votes yes', zh: '全体投赞成票' },
    text: {
      en: 'Coordinator S1 sends Prepare; every participant votes yes and is from then on prepared and in doubt, bound by its vote until the decision arrives. With every vote yes, S1 decides commit, and each participant writes x=5 and acknowledges. A second request, sent to participant S2, is redirected to S1 and becomes transaction 2, which commits y=7 the same way. This is the failure-free path of two-phase commit: two round trips.',
      zh: '协调者 S1 发出准备请求；每个参与者都投赞成票，从此处于已准备、存疑的状态，受自己的投票约束，只能等待决定到达。票全是赞成，S1 决定提交，每个参与者写入 x=5 并回复确认。第二个请求发给了参与者 S2，它被转给 S1，成为事务 2，以同样的方式提交 y=7。这是两阶段提交没有故障时的路径：两个来回。',
    },
  },
  {
    id: 'twopc/02-one-votes-no',
    protocol: 'twopc',
    title: { en: 'One participant votes no', zh: '一个参与者投反对票' },
    text: {
      en: 'S3 is configured to vote no, and aborts at once: a single no already dooms the transaction. S1 aborts as soon as the no arrives, and every participant rolls back, including those that had voted yes and were waiting in doubt. Nobody writes x. Commit needs every participant’s yes; one no is enough to abort.',
      zh: 'S3 被配置为投反对票，并立即中止：一张反对票就注定了事务的失败。S1 一收到反对票就决定回滚，所有参与者都回滚，包括那些已投赞成票、正在存疑中等待的参与者。没有人写入 x。提交需要每个参与者都投赞成票，一张反对票就足以中止。',
    },
  },
  {
    id: 'twopc/03-coordinator-crash-after-decision',
    protocol: 'twopc',
    title: { en: 'Coordinator crashes after deciding', zh: '协调者在决定之后崩溃' },
    text: {
      en: 'S1 collects every yes vote, decides commit, writes the decision to disk and sends it, then crashes, and every Commit message is lost. The participants are prepared and in doubt; none may decide alone, because S1 has decided and they cannot know what. They keep asking S1, in vain, blocked until it restarts, finds its decision on disk and re-sends it: everyone commits. This blocking is two-phase commit’s well-known weakness.',
      zh: 'S1 收齐赞成票，决定提交，把决定写入磁盘并发出，随即崩溃，所有提交消息都丢失了。参与者已准备、处于存疑状态；谁也不能自行决定，因为 S1 已经做出了决定，而它们无从得知是哪一个。它们一次次向 S1 询问结果却得不到回应，只能阻塞，直到 S1 重启、在磁盘上找到决定并重新发送：所有参与者提交。这种阻塞正是两阶段提交众所周知的弱点。',
    },
  },
  {
    id: 'twopc/04-coordinator-crash-before-decision',
    protocol: 'twopc',
    title: { en: 'Coordinator crashes before deciding', zh: '协调者在决定之前崩溃' },
    text: {
      en: 'S1 sends Prepare and crashes while the yes votes are on their way. The participants are prepared and in doubt, and wait: having voted yes, they may not abort on their own. S1 restarts with no decision on disk, so it aborts; presuming abort is safe, because nobody can have committed without being told to. Everyone rolls back and x is never written.',
      zh: 'S1 发出准备请求后崩溃，此时赞成票还在途中。参与者已准备、处于存疑状态，只能等待：它们已投赞成票，不能自行中止。S1 重启后磁盘上没有任何决定，于是决定回滚；这种“推定中止”是安全的，因为没有谁会在未被告知的情况下提交。所有参与者回滚，x 从未被写入。',
    },
  },
  {
    id: 'twopc/05-participant-crash-before-voting',
    protocol: 'twopc',
    title: { en: 'Participant down before voting', zh: '参与者在投票前宕机' },
    text: {
      en: 'S3 is down when the transaction starts and never votes. When S1’s vote timeout fires, it aborts, and S2 and S4 roll back: a coordinator that has not decided may always abort. S1 stays busy, re-sending Abort until S3 restarts, learns of transaction 1 from it and acknowledges.',
      zh: '事务开始时 S3 处于宕机状态，始终没有投票。S1 的投票超时到期后，它决定回滚，S2 和 S4 随之回滚：尚未做出决定的协调者总是可以中止。S1 仍处于忙碌状态，不断重发回滚消息，直到 S3 重启、从中得知事务 1 并回复确认。',
    },
  },
  {
    id: 'twopc/06-lost-commit-resent',
    protocol: 'twopc',
    title: { en: 'Lost Commit messages are re-sent', zh: '丢失的提交消息被重发' },
    text: {
      en: 'S1 decides commit, but every Commit message is lost on the way. The participants stay prepared and in doubt; nothing has gone wrong yet, they are only waiting. S1 re-sends its decision every 100 ms until each participant has acknowledged, so the next re-send reaches them and they commit. A decision is not finished until everyone has heard it.',
      zh: 'S1 决定提交，但所有提交消息都在途中丢失。参与者保持已准备、存疑的状态；此时并没有出错，它们只是在等待。S1 每 100 ms 重发一次决定，直到每个参与者都确认为止，于是下一次重发送达后它们提交。只有当所有人都得知决定，这个决定才算完成。',
    },
  },
  {
    id: 'twopc/07-cut-participant-waits',
    protocol: 'twopc',
    title: { en: 'A cut-off participant waits', zh: '断联的参与者耐心等待' },
    text: {
      en: 'Right after S3 votes yes, the link from S1 to S3 is cut. S1 commits and S2 commits, but S3 is in doubt: its status queries reach S1, while the answers, like the re-sent Commits, are cut off. S3 waits as long as it takes, because having voted yes it must never decide alone, and it commits once the link is restored. Compare 08-bug-abort-after-yes.',
      zh: 'S3 刚投出赞成票，S1 到 S3 的链路就被切断。S1 提交，S2 也提交，S3 却处于存疑状态：它的状态询问能到达 S1，但回复和重发的提交消息一样被切断。S3 无论等多久都只能等，因为投了赞成票之后它绝不能自行决定；链路恢复后它便提交。可与 08-bug-abort-after-yes 对照。',
    },
  },
  {
    id: 'twopc/08-bug-abort-after-yes',
    protocol: 'twopc',
    title: { en: 'Bug: abort after voting yes', zh: '错误：投赞成票后自行中止' },
    text: {
      en: 'The bug abort-after-yes lets a participant give up while in doubt. S3 votes yes, then the link from S1 to S3 is cut; when S3’s status timer fires it aborts on its own, but S1 had decided commit and S2 commits. One participant committed and another aborted, so the checker reports Atomicity: all participants must reach the same outcome. Without the bug this is 07-cut-participant-waits, where S3 waits.',
      zh: '错误 abort-after-yes 让参与者在存疑时放弃等待。S3 投了赞成票，随后 S1 到 S3 的链路被切断；S3 的状态计时器到期后，它自行中止，可 S1 早已决定提交，S2 也已提交。一个参与者提交、另一个回滚，检查器报告原子性被破坏：所有参与者必须得到相同的结果。去掉这个错误，就是 07-cut-participant-waits，S3 会一直等待。',
    },
  },
  {
    id: 'twopc/09-bug-commit-on-timeout',
    protocol: 'twopc',
    title: { en: 'Bug: commit on vote timeout', zh: '错误：投票超时后提交' },
    text: {
      en: 'The bug commit-on-timeout makes the coordinator treat a missing vote as a yes. S3 votes no and aborts, but the link from S3 to S1 is cut, so S1 never hears the no; when the vote timeout fires, the broken coordinator commits anyway. The checker reports Commit Validity at once (a commit without every yes vote), and Atomicity when S2 commits while S3 has aborted. Correct two-phase commit aborts on the timeout.',
      zh: '错误 commit-on-timeout 让协调者把缺失的投票当作赞成票。S3 投反对票并中止，但 S3 到 S1 的链路被切断，S1 收不到这张反对票；投票超时到期后，出错的协调者照样提交。检查器当即报告提交有效性被破坏（没有收齐赞成票就提交），而当 S2 提交、S3 已中止时，又报告原子性被破坏。正确的两阶段提交在超时后会中止。',
    },
  },
  {
    id: 'twopc/10-client-asks-a-participant-to-vote-no',
    protocol: 'twopc',
    title: { en: 'A participant chooses to abort', zh: '参与者选择中止' },
    text: {
      en: 'A client tells S3 to vote no (vote=no), which is what the background clients do one time in three. S3 votes no on the next transaction it is asked to prepare, and only on that one: the first transaction rolls back everywhere, the second commits. This is the spec\'s RMChooseToAbort: a participant may refuse before it has voted yes, never after.',
      zh: '客户端让 S3 投反对票（vote=no），后台客户端每三次事务中就有一次这样做。S3 只会对它接下来被要求准备的那一个事务投反对票：第一个事务在所有地方回滚，第二个事务则提交。这就是规范中的 RMChooseToAbort：参与者可以在投赞成票之前拒绝，但投了赞成票之后就不能再反悔。',
    },
  },

  // ---- Zab ----
  {
    id: 'zab/01-election-highest-zxid',
    protocol: 'zab',
    title: { en: 'Election picks the latest history', zh: '选举选出历史最新的服务器' },
    text: {
      en: 'S3, the highest id, leads epoch 1 and commits x=1 everywhere; then S2 is cut off while y=2 commits on S1 and S3. When S3 crashes, S1’s vote carries zxid 0x1_0002 and S2’s only 0x1_0001, so S2 adopts S1’s better vote and S1 leads epoch 2 with y=2 in its history. Fast Leader Election compares epoch, then zxid, and only then server id, so the winner is the most up-to-date server, not simply the highest id.',
      zh: 'id 最大的 S3 领导纪元 1，把 x=1 提交到所有服务器；随后 S2 被隔离，y=2 只在 S1 和 S3 上提交。S3 崩溃后，S1 的投票带着 zxid 0x1_0002，S2 的只有 0x1_0001，于是 S2 改投 S1 这张更优的选票，S1 带着含有 y=2 的历史领导纪元 2。快速领导者选举依次比较纪元、zxid，最后才比较服务器 id，所以当选的是历史最新的服务器，而不只是 id 最大的。',
    },
  },
  {
    id: 'zab/02-broadcast-and-commit',
    protocol: 'zab',
    title: { en: 'Broadcast and commit', zh: '广播与提交' },
    text: {
      en: 'S5 leads epoch 1 and proposes three commands with consecutive zxids 0x1_0001, 0x1_0002 and 0x1_0003. Each follower appends the proposal, persists it and sends ACK; once a quorum has acknowledged, the leader delivers it and sends COMMIT. Every server delivers the same sequence, so x ends as 3 and y as 2 everywhere. This is Zab’s broadcast phase, the steady state between elections.',
      zh: 'S5 领导纪元 1，以连续的 zxid 0x1_0001、0x1_0002、0x1_0003 提议三条命令。每个跟随者追加提案、持久化后回复 ACK；法定人数确认后，领导者交付该提案并发送 COMMIT。每台服务器交付的序列都相同，各处的 x 最终为 3，y 为 2。这就是 Zab 的广播阶段，两次选举之间的常态。',
    },
  },
  {
    id: 'zab/03-uncommitted-on-minority-lost',
    protocol: 'zab',
    title: { en: 'Uncommitted proposal on a minority', zh: '少数派上未提交的提案被丢弃' },
    text: {
      en: 'S5 leads epoch 1 and commits a=1; then its links to S1, S2 and S3 are cut, so its proposal x=9 reaches only S4: two servers of five, no quorum, never delivered. S4 and S5 crash; S1–S3 establish epoch 2, led by S3, from histories without x=9, and commit y=1. When S4 and S5 come back they follow the new leader and NEWLEADER replaces their histories: x=9 is gone, which is safe because it was never committed.',
      zh: 'S5 领导纪元 1 并提交了 a=1；随后它到 S1、S2、S3 的链路被切断，提案 x=9 只到达 S4——五台中的两台，不足法定人数，始终没有交付。S4 和 S5 崩溃；S1–S3 以不含 x=9 的历史建立纪元 2，由 S3 领导，并提交 y=1。S4 和 S5 回来后跟随新领导者，NEWLEADER 替换了它们的历史：x=9 消失了，而这是安全的，因为它从未被提交。',
    },
  },
  {
    id: 'zab/04-committed-survives',
    protocol: 'zab',
    title: { en: 'A committed proposal survives', zh: '已提交的提案得以保留' },
    text: {
      en: 'S3 leads epoch 1 and its link to S1 is cut, so x=1 is acknowledged by S2 only; with S3 itself that is a quorum of two out of three, and S3 delivers x=1. S3 crashes before S1 ever hears of it. In the election S2’s vote (zxid 0x1_0001) beats S1’s (0x0_0000), so S2 leads epoch 2 with x=1 in its initial history, and NEWLEADER brings x=1 to S1. Every quorum overlaps the one that acknowledged x=1 and the election picks the most recent history, so the next leader always has it.',
      zh: 'S3 领导纪元 1，它到 S1 的链路被切断，所以只有 S2 确认了 x=1；加上 S3 自己，三台中的两台构成法定人数，S3 交付了 x=1。S1 还没听说 x=1，S3 就崩溃了。选举中 S2 的投票（zxid 0x1_0001）胜过 S1 的（0x0_0000），于是 S2 带着含有 x=1 的初始历史领导纪元 2，NEWLEADER 再把 x=1 带给 S1。任何法定人数都与确认过 x=1 的法定人数相交，而选举会选出历史最新的服务器，所以下一任领导者一定拥有 x=1。',
    },
  },
  {
    id: 'zab/05-lagging-follower-synced',
    protocol: 'zab',
    title: { en: 'A lagging follower is synced', zh: '落后的跟随者被同步' },
    text: {
      en: 'S1 is down while leader S3 commits a=1, b=2 and c=3 with S2. S1 restarts just as S3 crashes, and S2, holding the most recent history, leads epoch 2. S1’s ACKEPOCH reports an empty history, so NEWLEADER sends it the whole history, which S1 delivers at COMMITLD. Synchronising before broadcasting guarantees that every follower of an epoch starts from the leader’s history.',
      zh: 'S1 宕机期间，领导者 S3 与 S2 一起提交了 a=1、b=2、c=3。S1 重启的同时 S3 崩溃，拥有最新历史的 S2 领导纪元 2。S1 的 ACKEPOCH 报告自己的历史为空，于是 NEWLEADER 把完整的历史发给 S1，S1 在收到 COMMITLD 时交付它们。先同步、再广播，保证了同一纪元的每个跟随者都从领导者的历史出发。',
    },
  },
  {
    id: 'zab/06-partitioned-old-leader',
    protocol: 'zab',
    title: { en: 'Partitioned old leader cannot commit', zh: '被分区的旧领导者无法提交' },
    text: {
      en: 'S5 leads epoch 1 and is then partitioned from everyone. It still believes it leads and proposes x=9, which no follower acknowledges. S1–S4 stop hearing its heartbeats, elect S4, establish epoch 2 and commit y=2; S5, hearing from no quorum, steps down and goes back to looking for a leader. When the partition heals, S5 follows epoch 2 and NEWLEADER replaces its history: x=9 was never delivered anywhere.',
      zh: 'S5 领导纪元 1，随后被分区隔离。它仍自认为是领导者，提议了 x=9，但没有任何跟随者确认。S1–S4 收不到它的心跳，选出 S4、建立纪元 2 并提交 y=2；S5 联系不到法定人数，于是退位，重新进入选举状态。分区恢复后，S5 跟随纪元 2，NEWLEADER 替换了它的历史：x=9 从未在任何服务器上交付。',
    },
  },
  {
    id: 'zab/07-commit-before-quorum-caught',
    protocol: 'zab',
    title: { en: 'Bug: commit before a quorum ACKs', zh: '错误：未获法定人数确认就提交' },
    text: {
      en: 'With the bug commit-before-quorum, the leader delivers a proposal without waiting for a quorum of ACKs. S3’s outgoing links are cut, so its PROPOSE of x=1 reaches nobody, yet S3 delivers x=1 at once. S3 crashes and S1 and S2 establish epoch 2 from histories without x=1, so a transaction already delivered as committed is gone: the checker reports Committed Never Lost. The quorum is exactly what guarantees that the next leader has every committed transaction.',
      zh: '启用错误 commit-before-quorum 后，领导者不等法定人数的 ACK 就交付提案。S3 的出站链路被切断，它对 x=1 的 PROPOSE 没有送达任何人，S3 却立即交付了 x=1。S3 崩溃后，S1 和 S2 以不含 x=1 的历史建立纪元 2，一个已作为已提交事务交付的 x=1 就此消失：检查器报告“已提交事务不丢失”被破坏。正是法定人数保证了下一任领导者拥有所有已提交的事务。',
    },
  },
  {
    id: 'zab/08-skip-sync-caught',
    protocol: 'zab',
    title: { en: 'Bug: new leader skips sync', zh: '错误：新领导者跳过同步' },
    text: {
      en: 'With the bug skip-sync, NEWLEADER carries no history, so each follower keeps its own. S3 proposes x=9 with its links cut, so only S3 has it, and crashes; S1 and S2 establish epoch 2 and commit y=1. S3 restarts and follows S2 with its stale history, still holding x=9, which no quorum ever accepted; at COMMITLD it delivers x=9 as its first transaction where everyone else delivered y=1, and the checker reports Agreement. Discarding such leftover proposals is the job of synchronisation.',
      zh: '启用错误 skip-sync 后，NEWLEADER 不携带历史，每个跟随者各自保留原有的历史。S3 在链路被切断时提议了 x=9，只有它自己有这条提案，随后崩溃；S1 和 S2 建立纪元 2 并提交 y=1。S3 重启后跟随 S2，但它陈旧的历史里仍有从未被法定人数接受的 x=9；收到 COMMITLD 时，它把 x=9 作为第一个事务交付，而其他服务器交付的第一个事务是 y=1，检查器报告一致性被破坏。丢弃这类残留的提案，正是同步阶段的职责。',
    },
  },
  {
    id: 'zab/09-ack-before-persist-caught',
    protocol: 'zab',
    title: { en: 'Bug: ACK before persisting NEWLEADER', zh: '错误：NEWLEADER 未持久化就确认' },
    text: {
      en: 'With the bug ack-before-persist, a follower acknowledges NEWLEADER before writing the new epoch and history to disk: the crash window of ZOOKEEPER-4643 and ZOOKEEPER-4646. During the very first election the ACKLD leaves while that state is only in memory, and the simulator flags Persist Before Send at once. The danger is that the leader counts the acknowledgement toward its quorum while a crash before the write would take it back. The script ends there: no crash is needed for the checker to catch it.',
      zh: '启用错误 ack-before-persist 后，跟随者在把新纪元和历史写入磁盘之前就确认 NEWLEADER——这正是 ZOOKEEPER-4643 和 ZOOKEEPER-4646 中的崩溃窗口。在第一次选举中，ACKLD 发出时这些状态还只在内存里，模拟器当即标出“先持久化再发送”被违反。危险在于：领导者会把这次确认计入法定人数，而若跟随者在写盘前崩溃，这次确认就等于被收回了。脚本到此为止：检查器无需真的发生崩溃就能发现问题。',
    },
  },
];
