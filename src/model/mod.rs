//! The settings model: the merged raw tree with origins ([`tree`]), how Kibana builds it from
//! files, Docker env and keystore ([`load`]), and connector specs ([`connector`]).

pub mod connector;
pub mod load;
pub mod tree;
