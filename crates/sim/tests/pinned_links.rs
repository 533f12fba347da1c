//! Pinned share links: links of today's format must open to the same moment forever.
//!
//! These links were made on 2026-12-01 with format version 1 (`link::VERSION`), by
//! `ballot link FILE.scn` on the code of that day; the fingerprint, time and event count next to
//! each are what `ballot replay LINK` printed for it. If this test fails, a change altered
//! replays (the simulator, a protocol, a default parameter, the network model, the link codec…):
//! either fix it, or bump the format version and keep decoding version 1 exactly, so that links
//! people already shared still open to the moment they shared.
//!
//! Never update a pinned value to make this test pass: a new value means old links now show
//! something else.
//!
//! Links carry only the protocol parameters that differ from the defaults (`config_pairs`), so
//! changing a protocol's default parameters changes what old links replay: that is caught here.

use ballot_sim::link::{self, LinkError, SharedRun};
use ballot_sim::protocols::{MultiPaxos, Paxos, Raft, TwoPc};
use ballot_sim::Protocol;

/// One link as it was shared, and the moment it must open to.
struct Pinned {
    /// The protocol the link names (`link::protocol_of`).
    protocol: &'static str,
    /// The link exactly as `link::encode` wrote it (the CLI prints it after a `#`).
    link: &'static str,
    /// `World::fingerprint` at the shared moment, as `ballot replay` prints it.
    fingerprint: &'static str,
    /// Virtual time of the shared moment, µs.
    at_micros: u64,
    /// Events processed by the shared moment.
    events: u64,
    /// Interventions the link carries.
    interventions: usize,
}

/// The links, two or more per protocol. The scenarios named `scenarios/…` are the repository's
/// files as of 2026-12-01; the others were written only to make links and are quoted at the end
/// of this file.
const PINNED: &[Pinned] = &[
    // scenarios/raft/02-leader-crash.scn: forced timeout, client requests (to a node and to
    // `leader`), crash and restart of the leader; 5 nodes, default parameters and network.
    Pinned {
        protocol: "raft",
        link: "run=1.BHJhZnQFApBOmHUAAAAAAIDd2wHeBAUAAAIBoMIeXwMBA3g9MeCnEkAAAYCJeq8CAwQDeT0y4KcSNgEBsIWCRQ",
        fingerprint: "def3c06f63626bcf",
        at_micros: 3_600_000,
        events: 606,
        interventions: 5,
    },
    // scenarios/raft/07-figure8-unsafe.scn: the broken variant (`bug commit-previous-term`), a
    // changed parameter (`config election-timeout 5s..6s`), 18 interventions: partitions into
    // two and three groups, crashes, restarts, timeouts, requests, several at one instant; the
    // run ends with a safety violation.
    Pinned {
        protocol: "raft",
        link: "run=1.BHJhZnQFCJBOmHUAAAAUY29tbWl0LXByZXZpb3VzLXRlcm0BEGVsZWN0aW9uLXRpbWVvdXQSNTAwMDAwMC4uNjAwMDAwMHVzsJhGxQESAAACAaCNBhUEAgIBAgMDBAUAAAMBA3g9MaCNBhUAAQAAAgWgjQYSBAMCAQICAwQBBQAAAwUDeT0y0IYDCgAFAAABAQAABAMDAQIDAQQBBQAAAgGgjQYGAgHAmgwhAAEAAAEFAAAEAgEBBAIDBAUAAAIFoI0GCQIFoI0GGQMFA3o9M-nkzDY",
        fingerprint: "c988699515ea21a6",
        at_micros: 1_150_000,
        events: 197,
        interventions: 18,
    },
    // raft-lossy-long.scn (below): the long run, 5 minutes of virtual time and 46 541 events, on
    // a changed network (latency 2..30ms, 3% loss, 1% duplication, 5% reordering) changed twice
    // mid-run (SetNet), every Raft parameter changed (election-timeout, heartbeat, max-entries),
    // a crash, a partition, a heal, a restart, requests.
    Pinned {
        protocol: "raft",
        link: "run=1.BHJhZnQFKtAPsOoBHgoyAAMQZWxlY3Rpb24tdGltZW91dBAyMDAwMDAuLjQwMDAwMHVzCWhlYXJ0YmVhdAc2MDAwMHVzC21heC1lbnRyaWVzATKAxoaPAc3rAgvAjbcBowMDAQNhPTEAAAMBA2I9MoCHpw65IwACAAADAQNjPTOAtIkT1ykLiCeA8QRkAMgBAAAEAgIBAgMDBAWAjs4c4VsDBANkPTQAAAUAAAECgJX1KollC-gHkE4AAAAAAAMEA2U9NcwVSFo",
        fingerprint: "efbed2f1572822ff",
        at_micros: 300_000_000,
        events: 46_541,
        interventions: 11,
    },
    // scenarios/paxos/03-dueling-livelock.scn: changed parameters (`config backoff off`,
    // `config retry 5..150ms`), fixed 10ms latency, two dueling proposers for 10s (7 326 events).
    Pinned {
        protocol: "paxos",
        link: "run=1.BXBheG9zAwSQTpBOAAAAAAIHYmFja29mZgNvZmYFcmV0cnkONTAwMC4uMTUwMDAwdXOAreIEnjkCAAADAQN4PTEAAAMCA3g9MuWHrag",
        fingerprint: "c20206471b1156e7",
        at_micros: 10_000_000,
        events: 7_326,
        interventions: 2,
    },
    // scenarios/paxos/07-ignore-promised-values-caught.scn: the broken variant
    // (`bug ignore-promised-values`), two requests on different nodes.
    Pinned {
        protocol: "paxos",
        link: "run=1.BXBheG9zAwKQTph1AAAAFmlnbm9yZS1wcm9taXNlZC12YWx1ZXMAwM8kGAIAAAMBA3g9MeCnEgwDAwN4PTPYPtsC",
        fingerprint: "b1417d8220f35515",
        at_micros: 600_000,
        events: 24,
        interventions: 2,
    },
    // paxos-message-faults.scn (below): dropping, duplicating and delaying single messages by
    // id, a cut and restored link, a network change mid-run, and a moment shared in the middle
    // of an instant (2 of the 4 events due at 231ms processed).
    Pinned {
        protocol: "paxos",
        link: "run=1.BXBheG9zAweQTqCcAQAAAAAA2IwOEggAAAMBA3g9MegHAAgBAAAJAgAACgKowwEAAAYCAcCaDAwHAgEAAAuQTpBOAAAAAAADAwN5PTNwD_aL",
        fingerprint: "cbef3d5c16b55947",
        at_micros: 231_000,
        events: 18,
        interventions: 8,
    },
    // scenarios/multipaxos/02-leader-crash-recovery.scn: changed parameters (election-timeout,
    // heartbeat), fixed 10ms latency, partitions, a crash and restart, forced timeouts, requests.
    Pinned {
        protocol: "multipaxos",
        link: "run=1.Cm11bHRpcGF4b3MFApBOkE4AAAAAAhBlbGVjdGlvbi10aW1lb3V0EjUwMDAwMDAuLjYwMDAwMDB1cwloZWFydGJlYXQJMTAwMDAwMHVzwKOGAVQLAAACAaCNBgwDAQNhPTGgjQYMBAIBAQQCAwQFAAADAQNiPTLQhgMEBAICAQMDAgQFAAADAQNjPTPQhgMFAAEAAAUAAAICwJoMIQMCA2Q9NMCaDAsBAQHS90A",
        fingerprint: "e6c666769f8ab2b7",
        at_micros: 2_200_000,
        events: 84,
        interventions: 11,
    },
    // scenarios/multipaxos/03-ignore-promised-values-caught.scn: the broken variant
    // (`bug ignore-promised-values`) with changed parameters, a partition, a crash, `drop all`
    // (four DropMessage interventions at one instant), a forced timeout.
    Pinned {
        protocol: "multipaxos",
        link: "run=1.Cm11bHRpcGF4b3MFA5BOkE4AAAAWaWdub3JlLXByb21pc2VkLXZhbHVlcwIQZWxlY3Rpb24tdGltZW91dBI1MDAwMDAwLi42MDAwMDAwdXMJaGVhcnRiZWF0CTEwMDAwMDB1c4jrEygKAAACAaCNBgwEAgMBAwQCAgUAAAMBA3g9MajDAQYAAQAACBMAAAgUAAAIFQAACBYAAAUAAAICkhOLKA",
        fingerprint: "4146202f09d6988d",
        at_micros: 325_000,
        events: 40,
        interventions: 10,
    },
    // multipaxos-params-net.scn (below): every Multi-Paxos parameter changed (election-timeout,
    // heartbeat, max-decide, recovery-window), a lossy duplicating reordering network, requests,
    // crash and restart of the leader, a forced timeout; 11s, 3 nodes.
    Pinned {
        protocol: "multipaxos",
        link: "run=1.Cm11bHRpcGF4b3MDBYgnqMMBMh5kAAQQZWxlY3Rpb24tdGltZW91dBA0MDAwMDAuLjgwMDAwMHVzCWhlYXJ0YmVhdAgxMDAwMDB1cwptYXgtZGVjaWRlATIPcmVjb3Zlcnktd2luZG93ATPAsZ8FzwIHgIl6MQMBA2E9MQAAAwEDYj0yAAADAQNjPTPAhD0vAAHAjbcBSwIBgIl6PAEBAAADAwNkPTRGLEK_",
        fingerprint: "9a333dea60ccedca",
        at_micros: 11_000_000,
        events: 335,
        interventions: 7,
    },
    // scenarios/twopc/03-coordinator-crash-after-decision.scn: `drop all` (three DropMessage
    // interventions), the coordinator crashes and restarts; fixed 10ms latency.
    Pinned {
        protocol: "twopc",
        link: "run=1.BXR3b3BjBAOQTpBOAAAAAACI1UQqBgAAAwEDeD01qMMBBggHAAAICAAACAkAAAABwIQ9GgEBIPPXJQ",
        fingerprint: "541ce4e1d1b070c6",
        at_micros: 1_125_000,
        events: 42,
        interventions: 6,
    },
    // scenarios/twopc/09-bug-commit-on-timeout.scn: the broken variant (`bug commit-on-timeout`)
    // with a changed parameter (`config vote-no 3`) and a cut link.
    Pinned {
        protocol: "twopc",
        link: "run=1.BXR3b3BjAwmQTpBOAAAAEWNvbW1pdC1vbi10aW1lb3V0AQd2b3RlLW5vATOgwh4OAgAABgMBAAADAQN4PTWSFscl",
        fingerprint: "ba1669e2e74eb221",
        at_micros: 500_000,
        events: 14,
        interventions: 2,
    },
    // twopc-params-net.scn (below): 7 nodes; vote-timeout, resend, status-interval and queue
    // changed (queue 2, then four requests at once); 2% duplication, the network changed mid-run
    // (SetNet: 20..40ms, 30% reordering), a partition and heal, a participant crash and restart.
    Pinned {
        protocol: "twopc",
        link: "run=1.BXR3b3BjBw24F5h1ABQAAAQMdm90ZS10aW1lb3V0EDE1MDAwMC4uMjUwMDAwdXMGcmVzZW5kBzgwMDAwdXMPc3RhdHVzLWludGVydmFsDjQwMDAwLi42MDAwMHVzBXF1ZXVlATLgm5MBvQIKAAADAQN4PTXgXQUEAgQBAgMEAwUGBwAAAAaAtRhQC6CcAcC4AgAUrAIAAAUAAAEGwIQ9HgMBA3k9NwAAAwEDej0xAAADAQN3PTIAAAMBA3Y9M_ul7eo",
        fingerprint: "9ca8f8cc89d7a94d",
        at_micros: 2_412_000,
        events: 317,
        interventions: 10,
    },
];

/// Opens `pin` the way `ballot replay` does (decode for the protocol the link names, replay to
/// the shared moment) and checks the moment, and that sharing it again writes the same link.
fn check<P: Protocol>(pin: &Pinned) {
    let link = pin.link;
    let run = link::decode::<P>(link).unwrap_or_else(|e| panic!("{link}: {e}"));
    let world = run.replay(0);
    assert_eq!(format!("{:016x}", world.fingerprint()), pin.fingerprint, "fingerprint of {link}");
    assert_eq!(world.now().micros, pin.at_micros, "time of {link}");
    assert_eq!(world.events(), pin.events, "events of {link}");
    assert_eq!(world.history().len(), pin.interventions, "interventions of {link}");
    assert_eq!((run.at.micros, run.at_events), (pin.at_micros, pin.events), "shared moment of {link}");
    // The format round-trips byte for byte for links the encoder wrote: the decoded run, and
    // the replayed world shared again (what the page's Share does), encode to the same text.
    assert_eq!(link::encode(&run).unwrap(), link, "re-encoding the decoded run");
    assert_eq!(link::encode(&SharedRun::of(&world)).unwrap(), link, "sharing the replayed moment");
    // The CLI accepts the fragment with its `#` or a whole URL; both open the same run.
    let again = link::decode::<P>(&format!("#{link}")).unwrap().replay(0);
    assert_eq!(again.fingerprint(), world.fingerprint());
}

#[test]
fn pinned_links_open_to_the_same_moment() {
    assert_eq!(link::VERSION, 1, "a new format version must still decode every version-1 link below");
    for pin in PINNED {
        assert!(pin.link.starts_with("run=1."), "{}", pin.link);
        let protocol = link::protocol_of(pin.link).unwrap_or_else(|e| panic!("{}: {e}", pin.link));
        assert_eq!(protocol, pin.protocol, "{}", pin.link);
        match protocol.as_str() {
            "raft" => check::<Raft>(pin),
            "paxos" => check::<Paxos>(pin),
            "multipaxos" => check::<MultiPaxos>(pin),
            "twopc" => check::<TwoPc>(pin),
            other => panic!("unknown protocol `{other}` in {}", pin.link),
        }
    }
}

#[test]
fn the_table_covers_every_protocol_twice() {
    for protocol in ["raft", "paxos", "multipaxos", "twopc"] {
        let n = PINNED.iter().filter(|p| p.protocol == protocol).count();
        assert!(n >= 2, "{protocol}: {n} pinned links");
    }
}

#[test]
fn a_newer_version_is_refused_as_newer() {
    for pin in PINNED {
        let body = pin.link.strip_prefix("run=1.").unwrap();
        for version in [link::VERSION + 1, 9] {
            let newer = format!("run={version}.{body}");
            assert_eq!(link::protocol_of(&newer), Err(LinkError::FutureVersion(version)));
            let err = link::decode::<Raft>(&newer).unwrap_err();
            assert_eq!(err, LinkError::FutureVersion(version));
            assert!(err.to_string().contains("newer"), "{err}");
        }
    }
}

#[test]
fn a_version_0_link_is_refused() {
    // There never was a format 0. Until 2026-12-01 the decoder refused it through the same check
    // as newer versions, as `FutureVersion(0)`, "made by a newer Ballot" — refused, but wrongly
    // worded. It is now `UnknownVersion`, which says no Ballot wrote that format; likewise for a
    // format that is not a number. What must hold forever is that they are refused without
    // decoding; the exact variant is pinned here so that a change to it is deliberate.
    for pin in PINNED {
        let body = pin.link.strip_prefix("run=1.").unwrap();
        let old = format!("run=0.{body}");
        let zero = LinkError::UnknownVersion(String::from("0"));
        assert_eq!(link::protocol_of(&old), Err(zero.clone()));
        assert_eq!(link::decode::<Raft>(&old).unwrap_err(), zero);
        assert_eq!(link::decode::<TwoPc>(&old).unwrap_err(), zero);
        let text = zero.to_string();
        assert!(!text.contains("newer") && text.contains("no Ballot ever wrote"), "{text}");
        for version in ["x", "+1", "-1", "1e0", ""] {
            let odd = format!("run={version}.{body}");
            let err = link::decode::<Raft>(&odd).unwrap_err();
            assert_eq!(err, LinkError::UnknownVersion(String::from(version)), "{odd}");
        }
        let long = format!("run={}.{body}", "9".repeat(1000));
        let err = link::decode::<Raft>(&long).unwrap_err().to_string();
        assert!(err.len() < 200, "{err}");
    }
}

// The scenarios written only to make the links above (not in `scenarios/`), as run by
// `ballot link FILE.scn` on 2026-12-01:
//
// raft-lossy-long.scn
//   protocol raft
//   cluster 5
//   seed 42
//   net latency 2..30ms loss 3% dup 1% reorder 5%
//   config election-timeout 200..400ms
//   config heartbeat 60ms
//   config max-entries 2
//   run 3s
//   request leader a=1
//   request leader b=2
//   run 30s
//   crash 2
//   request leader c=3
//   run 40s
//   net latency 5..80ms loss 10% dup 0% reorder 20%
//   partition 1,2 | 3,4,5
//   run 60s
//   request 4 d=4
//   heal
//   restart 2
//   run 90s
//   net latency 1..10ms loss 0% dup 0% reorder 0%
//   request leader e=5
//   run 77s
//
// paxos-message-faults.scn
//   protocol paxos
//   cluster 3
//   seed 7
//   net latency 10..20ms
//   request 1 x=1
//   at 1ms
//   drop message 1
//   duplicate message 2
//   delay message 2 25ms
//   cut 2->1
//   run 200ms
//   restore 2->1
//   net latency 10ms
//   request 3 y=3
//   at 231ms 18              # 2 of the 4 events due at 231ms processed
//
// multipaxos-params-net.scn
//   protocol multipaxos
//   cluster 3
//   seed 5
//   net latency 5..25ms loss 5% dup 3% reorder 10%
//   config election-timeout 400..800ms
//   config heartbeat 100ms
//   config max-decide 2
//   config recovery-window 3
//   run 2s
//   request leader a=1
//   request leader b=2
//   request leader c=3
//   run 1s
//   crash leader
//   run 3s
//   timeout 1
//   run 2s
//   restart 1
//   request leader d=4
//   run 3s
//
// twopc-params-net.scn
//   protocol twopc
//   cluster 7
//   seed 13
//   net latency 3..15ms dup 2%
//   config vote-timeout 150..250ms
//   config resend 80ms
//   config status-interval 40..60ms
//   config queue 2
//   request 1 set x 5
//   run 12ms
//   partition 1,2,3,4 | 5,6,7
//   crash 6
//   run 400ms
//   net latency 20..40ms reorder 30%
//   heal
//   restart 6
//   run 1s
//   request 1 set y 7
//   request 1 set z 1
//   request 1 set w 2
//   request 1 set v 3
//   run 1s
