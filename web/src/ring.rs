//! Where the nodes of a cluster sit: evenly on a circle, node 1 at the top, clockwise.
//!
//! The positions are a table (clusters have 1 to 9 nodes), so the wasm bundle carries no
//! sine/cosine code; a test checks every entry against the trigonometry.

/// Width and height of the square SVG viewBox.
pub const VIEW_SIZE: i32 = 320;
/// Distance from the centre to each node's centre.
pub const RING_RADIUS: f64 = 115.0;
/// Radius of a node's circle.
pub const NODE_RADIUS: f64 = 25.0;
/// Largest cluster the table covers.
const MAX_NODES: u32 = 9;

/// Centres in tenths of a viewBox unit: for 1 node, then 2, …, then 9, node 1 first.
#[rustfmt::skip]
const CENTERS: [(i16, i16); 45] = [
    (1600, 450),
    (1600, 450), (1600, 2750),
    (1600, 450), (2596, 2175), (604, 2175),
    (1600, 450), (2750, 1600), (1600, 2750), (450, 1600),
    (1600, 450), (2694, 1245), (2276, 2530), (924, 2530), (506, 1245),
    (1600, 450), (2596, 1025), (2596, 2175), (1600, 2750), (604, 2175), (604, 1025),
    (1600, 450), (2499, 883), (2721, 1856), (2099, 2636), (1101, 2636), (479, 1856), (701, 883),
    (1600, 450), (2413, 787), (2750, 1600), (2413, 2413), (1600, 2750), (787, 2413), (450, 1600), (787, 787),
    (1600, 450), (2339, 719), (2733, 1400), (2596, 2175), (1993, 2681), (1207, 2681), (604, 2175), (467, 1400), (861, 719),
];

/// Centre of node `index` (0-based) of `count`, in viewBox units, rounded to 0.1.
pub fn node_center(index: u32, count: u32) -> (f64, f64) {
    let count = count.clamp(1, MAX_NODES);
    let first = count * (count - 1) / 2;
    let (x, y) = CENTERS[(first + index.min(count - 1)) as usize];
    (f64::from(x) / 10.0, f64::from(y) / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_matches_the_circle() {
        for n in 1..=MAX_NODES {
            for i in 0..n {
                let c = f64::from(VIEW_SIZE) / 2.0;
                let angle = f64::from(i) / f64::from(n) * std::f64::consts::TAU - std::f64::consts::FRAC_PI_2;
                let (x, y) = node_center(i, n);
                assert!((x - (c + RING_RADIUS * angle.cos())).abs() <= 0.051, "{i}/{n}");
                assert!((y - (c + RING_RADIUS * angle.sin())).abs() <= 0.051, "{i}/{n}");
            }
        }
    }

    #[test]
    fn first_node_is_at_the_top_and_the_rest_go_clockwise() {
        assert_eq!(node_center(0, 5), (160.0, 45.0));
        let (x1, y1) = node_center(1, 5);
        assert!(x1 > 160.0 && y1 < 160.0, "node 2 is upper right: {x1},{y1}");
    }

    #[test]
    fn nodes_stay_inside_the_view() {
        for n in 1..=9 {
            for i in 0..n {
                let (x, y) = node_center(i, n);
                let lo = NODE_RADIUS;
                let hi = f64::from(VIEW_SIZE) - NODE_RADIUS;
                assert!((lo..=hi).contains(&x) && (lo..=hi).contains(&y));
            }
        }
    }
}
