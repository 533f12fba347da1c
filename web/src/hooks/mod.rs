//! Hooks. [`use_animation_frame`] is the only wall-clock code of the playground.

mod animation;

pub use animation::use_animation_frame;
