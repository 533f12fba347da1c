//! The playground's components: functions of props and callbacks.

pub mod attrs;
pub mod controls;
pub mod diagram;
pub mod node_panel;
pub mod notices;
pub mod ring;
pub mod timetravel;
