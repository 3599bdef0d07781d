pub mod kibana;
pub mod model;
pub mod rules;
pub mod source;
