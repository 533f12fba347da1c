//! Where the nodes of a cluster sit: evenly on a circle, node 1 at the top, clockwise.

/// Width and height of the square SVG viewBox.
pub const VIEW_SIZE: i32 = 320;
/// Distance from the centre to each node's centre.
pub const RING_RADIUS: f64 = 115.0;
/// Radius of a node's circle.
pub const NODE_RADIUS: f64 = 25.0;

/// Centre of node `index` (0-based) of `count`, in viewBox units, rounded to 0.1.
pub fn node_center(index: u32, count: u32) -> (f64, f64) {
    let c = f64::from(VIEW_SIZE) / 2.0;
    let turn = f64::from(index) / f64::from(count.max(1));
    let angle = turn * std::f64::consts::TAU - std::f64::consts::FRAC_PI_2;
    let round = |v: f64| (v * 10.0).round() / 10.0;
    (round(c + RING_RADIUS * angle.cos()), round(c + RING_RADIUS * angle.sin()))
}

#[cfg(test)]
mod tests {
    use super::*;

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
